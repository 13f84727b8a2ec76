package org.umgw.export;

/**
 * Settings of the formats that have any.
 *
 * @param kamailioGroup the permissions group of every address in the Kamailio address file
 * @param listName name of the FreeSWITCH ACL list, of the nftables table, prefix of Asterisk
 *     sections
 */
public record ExportOptions(int kamailioGroup, String listName) {
  public ExportOptions {
    if (kamailioGroup < 0) {
      throw new IllegalArgumentException("kamailio group must be 0 or more, not " + kamailioGroup);
    }
    if (!listName.matches("[A-Za-z][A-Za-z0-9_]{0,31}")) {
      throw new IllegalArgumentException(
          "list name \"" + listName + "\": a letter, then letters, digits or _ (32 at most)");
    }
  }

  public static ExportOptions defaults() {
    return new ExportOptions(1, "umgw");
  }
}
