package org.umgw.directory;

import com.unboundid.ldap.sdk.ResultCode;
import org.umgw.model.UmgwException;

/** An LDAP operation the directory refused or could not carry out, with its result code. */
public class DirectoryException extends UmgwException {
  private static final long serialVersionUID = 1L;

  private final transient ResultCode resultCode;

  public DirectoryException(String message, ResultCode resultCode, Throwable cause) {
    super(message, cause);
    this.resultCode = resultCode;
  }

  public ResultCode resultCode() {
    return resultCode;
  }
}
