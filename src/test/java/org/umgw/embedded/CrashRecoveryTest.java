package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.Gateway;

/**
 * Must show: acknowledged writes survive {@code kill -9} at any moment. Child JVMs ({@link
 * CrashWriter}) create gateways on one data directory and are killed with SIGKILL at random moments
 * — most rounds 50-700 ms into writing (and, with a compaction every few writes, often while
 * compacting), every third round just after start (while recovering and compacting the previous
 * round's torn journal). After each kill the directory is recovered and every gateway the child had
 * acknowledged must be there.
 */
class CrashRecoveryTest {
  private static final int MIN_ROUNDS = 20;
  private static final int MIN_ACKNOWLEDGED = 1_000;
  private static final long BUDGET_MS = 80_000;
  private static final String COMPACT_EVERY = "25";

  @TempDir Path tmp;

  @Test
  void killMinus9_atRandomMoments_losesNoAcknowledgedGateway() throws Exception {
    Path data = tmp.resolve("data");
    DirectoryLayout layout = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> acknowledged = new HashSet<>();
    long started = System.nanoTime();
    int rounds = 0;
    int killedWhileOpening = 0;
    int killedInCompaction = 0;
    int tornJournals = 0;
    long openMs = 300;
    List<String> log = new ArrayList<>();

    while (rounds < MIN_ROUNDS || acknowledged.size() < MIN_ACKNOWLEDGED) {
      if (elapsedMs(started) > BUDGET_MS) {
        fail(
            "out of time after %d rounds, %d acknowledged (seed %d)",
            rounds, acknowledged.size(), seed);
      }
      rounds++;
      boolean early = rounds % 3 == 0;
      Path stderr = tmp.resolve("child-" + rounds + ".err");
      Process child =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-Xshare:auto",
                  "-cp",
                  System.getProperty("java.class.path"),
                  CrashWriter.class.getName(),
                  data.toString(),
                  Integer.toString(rounds),
                  COMPACT_EVERY)
              .redirectError(stderr.toFile())
              .start();
      Acks acks = new Acks(child.getInputStream());
      acks.start();
      CountDownLatch trigger = early ? acks.opening : acks.firstAck;
      if (!trigger.await(30, TimeUnit.SECONDS)) {
        child.destroyForcibly().waitFor();
        fail("round %d: the child did not start writing: %s", rounds, Files.readString(stderr));
      }
      // Early kills spread over the time an open takes (recovery, compaction, listener start).
      long delay = early ? random.nextInt((int) openMs + 1) : 50 + random.nextInt(651);
      Thread.sleep(delay);
      if (!child.isAlive()) {
        fail(
            "round %d: the child exited by itself (%d): %s",
            rounds, child.exitValue(), Files.readString(stderr));
      }
      child.destroyForcibly(); // SIGKILL on Unix
      child.waitFor();
      acks.join();
      if (acks.done) {
        fail("round %d: the child finished before it was killed", rounds);
      }
      if (acks.ready) {
        openMs = TimeUnit.NANOSECONDS.toMillis(acks.readyAt - acks.openingAt);
      } else {
        killedWhileOpening++;
      }
      if (Files.exists(data.resolve(DataDirectory.SNAPSHOT_TMP))
          || DataDirs.journals(data).size() > 1) {
        killedInCompaction++;
      }
      acknowledged.addAll(acks.names);
      log.add(
          String.format(
              "round %d: killed %d ms after %s, %d acknowledged",
              rounds, delay, early ? "start" : "first ack", acks.names.size()));

      // What the next process will load: reading only, as open() does first.
      DataDirectory.Recovered recovered = DataDirectory.recover(data, layout.base());
      if (!recovered.warnings().isEmpty()) {
        tornJournals++;
      }
      Set<String> missing =
          acknowledged.stream()
              .filter(n -> !recovered.image().contains(layout.gateway(n)))
              .collect(Collectors.toSet());
      assertThat(missing)
          .as("acknowledged gateways missing after round %d (seed %d); %s", rounds, seed, log)
          .isEmpty();
    }

    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      Set<String> present =
          new DirectoryStore(dir.pool(), dir.layout())
              .gateways().objects().stream()
                  .map(Gateway::name)
                  .filter(n -> n.startsWith("crash-"))
                  .collect(Collectors.toSet());
      assertThat(present).containsAll(acknowledged);
      // At most the one write in flight at each kill may have landed unacknowledged.
      assertThat(present.size() - acknowledged.size()).isBetween(0, rounds);
    }
    assertThat(rounds).isGreaterThanOrEqualTo(MIN_ROUNDS);
    assertThat(acknowledged.size()).isGreaterThanOrEqualTo(MIN_ACKNOWLEDGED);
    System.out.printf(
        "crash test: %d rounds (%d killed while opening, %d inside a compaction, %d leaving a torn"
            + " journal), %d acknowledged, %d ms, seed %d%n",
        rounds,
        killedWhileOpening,
        killedInCompaction,
        tornJournals,
        acknowledged.size(),
        elapsedMs(started),
        seed);
    log.forEach(System.out::println);
  }

  private static long elapsedMs(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  /** Reads the child's stdout; only lines ending in a newline count. */
  private static final class Acks extends Thread {
    final CountDownLatch opening = new CountDownLatch(1);
    final CountDownLatch firstAck = new CountDownLatch(1);
    final List<String> names = new ArrayList<>();
    volatile boolean ready;
    volatile long openingAt;
    volatile long readyAt;
    volatile boolean done;
    private final InputStream in;

    Acks(InputStream in) {
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      StringBuilder line = new StringBuilder();
      byte[] buffer = new byte[8192];
      try {
        int n;
        while ((n = in.read(buffer)) > 0) {
          for (String chunk : split(new String(buffer, 0, n, StandardCharsets.US_ASCII))) {
            if (chunk == null) {
              handle(line.toString());
              line.setLength(0);
            } else {
              line.append(chunk);
            }
          }
        }
      } catch (IOException e) {
        // The pipe breaks when the child is killed: what was read so far is what counts.
      } finally {
        opening.countDown();
        firstAck.countDown();
      }
    }

    /** Pieces of text with {@code null} where a newline was. */
    private static List<String> split(String text) {
      List<String> out = new ArrayList<>();
      int from = 0;
      for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', from)) {
        out.add(text.substring(from, i));
        out.add(null);
        from = i + 1;
      }
      out.add(text.substring(from));
      return out;
    }

    private void handle(String line) {
      if (line.equals("OPENING")) {
        openingAt = System.nanoTime();
        opening.countDown();
      } else if (line.equals("READY")) {
        readyAt = System.nanoTime();
        ready = true;
      } else if (line.equals("DONE")) {
        done = true;
      } else if (line.startsWith("ACK ")) {
        synchronized (names) {
          names.add(line.substring(4));
        }
        firstAck.countDown();
      }
    }
  }
}
