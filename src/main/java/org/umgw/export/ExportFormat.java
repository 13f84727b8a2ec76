package org.umgw.export;

/**
 * The export formats, named as {@code --format} takes them. All but {@link #json} are allow-lists:
 * they leave Disabled gateways out (NoNewCalls stay, so calls in progress finish).
 */
public enum ExportFormat {
  json,
  text,
  kamailio,
  freeswitch,
  asterisk,
  nftables;

  public boolean allowList() {
    return this != json;
  }
}
