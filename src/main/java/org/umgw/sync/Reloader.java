package org.umgw.sync;

import java.nio.file.Path;

/**
 * Tells a consumer to read the trust-list file again. Called on the sync thread only, never
 * concurrently (two concurrent address reloads can crash Kamailio).
 */
public interface Reloader {
  /**
   * @param file the complete file just written
   * @throws ReloadException naming the consumer and what it answered when it did not take the file
   */
  void reload(Path file) throws ReloadException;

  /** Who is reloaded, for events and logs: {@code kamailio http://...} or the command line. */
  String describe();

  /** No consumer to tell (the file is read by something that watches it itself). */
  Reloader NONE =
      new Reloader() {
        @Override
        public void reload(Path file) {}

        @Override
        public String describe() {
          return "no reload";
        }
      };
}
