package org.umgw.directory;

import com.unboundid.ldap.sdk.ResultCode;

/** No directory server could be reached, or the connection broke mid-operation. */
public final class DirectoryUnavailableException extends DirectoryException {
  private static final long serialVersionUID = 1L;

  public DirectoryUnavailableException(String message, ResultCode resultCode, Throwable cause) {
    super(message, resultCode, cause);
  }
}
