package org.umgw.embedded;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.Gateway;

/**
 * Child process of {@link CrashRecoveryTest}: opens the embedded directory and creates gateways as
 * {@code umgw gateway new} does, printing {@code ACK <name>} once each call has returned (so once
 * the directory has reported it done), until it is killed.
 *
 * <p>Arguments: data directory, round number (makes names and addresses unique), journal
 * transactions per compaction (small, so that kills also land inside compactions).
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) {
    Path data = Path.of(args[0]);
    int round = Integer.parseInt(args[1]);
    long compactEvery = Long.parseLong(args[2]);
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
    out.print("OPENING\n");
    out.flush();
    EmbeddedDirectory dir =
        EmbeddedDirectory.open(
            data, EmbeddedDirectory.Options.defaults().withCompaction(1L << 30, compactEvery));
    out.print("READY\n");
    out.flush();
    DirectoryStore store = new DirectoryStore(dir.pool(), dir.layout());
    for (int i = 0; i < 65_536; i++) {
      String name = name(round, i);
      store.createGateway(Gateway.builder(name, address(round, i)).build(), null);
      out.print("ACK " + name + "\n");
      out.flush();
    }
    dir.close();
    out.print("DONE\n");
    out.flush();
  }

  static String name(int round, int i) {
    return "crash-r" + round + "-" + i;
  }

  static String address(int round, int i) {
    return "10." + round + "." + (i >> 8) + "." + (i & 0xff);
  }
}
