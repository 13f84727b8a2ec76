package org.umgw.bench;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.umgw.events.Event;
import org.umgw.health.HealthMonitor;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthReport;
import org.umgw.health.HealthState;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.sip.OptionsProber;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.ProbeTarget;
import org.umgw.sip.ProberOptions;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipParseException;
import org.umgw.sip.SipTransport;
import org.umgw.trust.TrustSnapshot;

/**
 * The umgw side of {@code bench/probe.sh}.
 *
 * <pre>
 * java -cp umgw.jar org.umgw.bench.ProbeBench sipp 127.0.0.1:PORT 1000 5   # COUNT probes at once
 * java -cp umgw.jar org.umgw.bench.ProbeBench monitor 1000 10 2             # GATEWAYS DEAD% DEADLINE_S
 * </pre>
 *
 * <p>{@code sipp}: one OptionsProber fires COUNT OPTIONS at once at one sipp UAS (what a health
 * round over COUNT gateways sends), waits for all, ROUNDS times; prints {@code round_ms} of each.
 * {@code monitor}: a HealthMonitor round over GATEWAYS gateways on distinct loopback ports, DEAD%
 * of them on ports nobody listens on, the others answered by an in-process UDP responder (one
 * socket per gateway, one selector thread: sipp binds a single address, so it cannot stand for
 * 1,000 distinct gateways); prints {@code round_ms}, the states and whether the round ended within
 * the deadline plus 1 s.
 */
public final class ProbeBench {
  private ProbeBench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "sipp" -> sipp(args);
      case "monitor" -> monitor(args);
      default -> throw new IllegalArgumentException("mode is sipp or monitor: " + args[0]);
    }
  }

  private static void sipp(String[] args) throws Exception {
    String[] hp = args[1].split(":");
    InetSocketAddress target =
        new InetSocketAddress(InetAddresses.forString(hp[0]), Integer.parseInt(hp[1]));
    int count = Integer.parseInt(args[2]);
    Duration deadline = Duration.ofSeconds(Long.parseLong(args[3]));
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    try (OptionsProber prober =
        OptionsProber.open(
            ProberOptions.defaults()
                .withBind(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")))) {
      ProbeTarget t = ProbeTarget.of(target, SipTransport.UDP, null);
      double[] ms = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        List<CompletableFuture<ProbeResult>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          all.add(prober.probe(t, deadline));
        }
        double issued = (System.nanoTime() - start) / 1e6;
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        ms[r] = (System.nanoTime() - start) / 1e6;
        System.out.printf(Locale.ROOT, "round_%d_issued_ms=%.1f%n", r + 1, issued);
        long answered = all.stream().filter(f -> f.join() instanceof ProbeResult.Answered).count();
        System.out.printf(
            Locale.ROOT, "round_%d_ms=%.1f%nround_%d_answered=%d%n", r + 1, ms[r], r + 1, answered);
        Thread.sleep(300);
      }
      double[] warm = Arrays.copyOfRange(ms, 1, rounds);
      Arrays.sort(warm);
      System.out.printf(
          Locale.ROOT, "first_ms=%.1f%nwarm_median_ms=%.1f%n", ms[0], warm[warm.length / 2]);
      System.out.println("retransmissions=" + prober.stats().retransmissions());
      System.out.println("dropped=" + prober.stats().dropped());
    }
  }

  private static void monitor(String[] args) throws Exception {
    int gateways = Integer.parseInt(args[1]);
    int deadPercent = Integer.parseInt(args[2]);
    Duration deadline = Duration.ofSeconds(Long.parseLong(args[3]));
    InetAddress lo = InetAddress.getByName("127.0.0.1");
    int dead = 0;
    List<DatagramChannel> live = new ArrayList<>();
    List<DatagramChannel> toClose = new ArrayList<>();
    List<Gateway> gws = new ArrayList<>();
    List<HuntGroup> hgs = new ArrayList<>();
    Selector selector = Selector.open();
    for (int i = 0; i < gateways; i++) {
      DatagramChannel ch = DatagramChannel.open();
      ch.bind(new InetSocketAddress(lo, 0));
      int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
      if (deadPercent > 0 && (i * deadPercent) % 100 < deadPercent) {
        toClose.add(ch); // a dead gateway: closed once all ports are taken, so none is reused
        dead++;
      } else {
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ);
        live.add(ch);
      }
      String name = String.format(Locale.ROOT, "gw%04d", i);
      gws.add(Gateway.builder(name, "127.0.0.1").port(port).build());
      hgs.add(HuntGroup.defaultFor(name, "Bench"));
    }
    for (DatagramChannel ch : toClose) {
      ch.close();
    }
    Thread responder = new Thread(() -> respond(selector), "bench-responder");
    responder.setDaemon(true);
    responder.start();
    DialPlan dp = DialPlan.of("Bench", UriType.TelExtn, 4);
    TrustSnapshot snapshot =
        TrustSnapshot.build(
            new DirectoryContents(List.of(dp), gws, hgs, List.of()),
            java.util.Map.of(),
            Instant.now());
    List<Event> events = new ArrayList<>();
    try (OptionsProber prober =
            OptionsProber.open(
                ProberOptions.defaults().withBind(lo, InetAddress.getByName("::1")));
        HealthMonitor m =
            new HealthMonitor(
                prober,
                HealthOptions.defaults().withDeadline(deadline).withHysteresis(1, 1),
                events::add)) {
      m.setSnapshot(snapshot);
      for (int r = 1; r <= 3; r++) {
        long start = System.nanoTime();
        HealthReport report = m.runRound();
        double ms = (System.nanoTime() - start) / 1e6;
        long up = report.gateways().stream().filter(g -> g.state() == HealthState.Up).count();
        long down = report.gateways().stream().filter(g -> g.state() == HealthState.Down).count();
        System.out.printf(
            Locale.ROOT,
            "round_%d_ms=%.1f%nround_%d_up=%d%nround_%d_down=%d%nround_%d_within_deadline_plus_1s=%b%n",
            r,
            ms,
            r,
            up,
            r,
            down,
            r,
            ms <= deadline.toMillis() + 1000);
      }
      System.out.println("gateways=" + gws.size());
      System.out.println("dead=" + dead);
      System.out.println("events_1400=" + events.stream().filter(e -> e.id() == 1400).count());
    }
    selector.close();
    for (DatagramChannel ch : live) {
      ch.close();
    }
  }

  private static void respond(Selector selector) {
    ByteBuffer buf = ByteBuffer.allocate(65_536);
    byte[] bytes = new byte[65_536];
    try {
      while (selector.isOpen()) {
        selector.select();
        for (SelectionKey k : selector.selectedKeys()) {
          DatagramChannel ch = (DatagramChannel) k.channel();
          InetSocketAddress from;
          while ((from = (InetSocketAddress) ch.receive(buf.clear())) != null) {
            buf.flip();
            int n = buf.remaining();
            buf.get(bytes, 0, n);
            try {
              SipMessage req = SipMessage.parse(bytes, 0, n, SipMessage.DEFAULT_MAX_SIZE);
              ch.send(ByteBuffer.wrap(SipMessage.response(req, 200, "OK").toBytes()), from);
            } catch (SipParseException e) {
              // not for us
            }
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (Exception e) {
      // closed
    }
  }
}
