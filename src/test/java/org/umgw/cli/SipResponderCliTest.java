package org.umgw.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.ServerProcess;
import org.umgw.testing.TestCa;

/**
 * {@code umgw sip-responder} in-process over a directory with a SIPSecured dial plan, with the real
 * {@code openssl s_client} as the gateway over mutual TLS: a certificate naming the gateway gets
 * 200, one naming another host from the same trusted IP 403, none fails the handshake; plus UDP
 * from trusted and untrusted loopback sources and TCP over IPv6.
 */
class SipResponderCliTest {
  private static final List<String> NO_DNS =
      List.of("--dns-server", "127.0.0.1:9", "--dns-timeout", "300", "--dns-retries", "0");

  private static final Pattern FINAL =
      Pattern.compile("SIP/2\\.0 [2-6]\\d\\d [^\\r]*\\r\\n.*?\\r\\n\\r\\n", Pattern.DOTALL);

  @TempDir static Path tmp;
  private static InMemoryLdap ldap;
  private static Map<String, String> env;
  private static TestCa ca;
  private static TestCa.Issued gw1;
  private static TestCa.Issued gw2;
  private static TestCa.Issued stranger;
  private static Thread running;
  private static final StringWriter out = new StringWriter();
  private static final StringWriter err = new StringWriter();
  private static InetSocketAddress tls;
  private static InetSocketAddress udp;
  private static InetSocketAddress tcp6;

  @BeforeAll
  static void start() throws Exception {
    ldap = InMemoryLdap.start();
    Path pw = Files.writeString(tmp.resolve("bind.pw"), "secret\n");
    env =
        Map.of(
            "UMGW_LDAP_URL",
            "ldap://127.0.0.1:" + ldap.server().getListenPort(),
            "UMGW_BIND_DN",
            "cn=admin",
            "UMGW_BIND_PASSWORD_FILE",
            pw.toString(),
            "UMGW_BASE_DN",
            DirectoryLayout.DEFAULT_BASE);
    ok("init");
    ok(
        "dialplan",
        "new",
        "Secure",
        "--uri-type",
        "TelExtn",
        "--number-of-digits-in-extension",
        "4",
        "--voip-security",
        "SIPSecured");
    ok("dialplan", "new", "Plain", "--uri-type", "TelExtn", "--number-of-digits-in-extension", "4");
    ok("gateway", "new", "GW1", "--address", "gw1.example.test", "--dial-plan", "Secure");
    ok("gateway", "new", "GW2", "--address", "gw2.example.test", "--dial-plan", "Secure");
    ok("gateway", "new", "Plain-GW", "--address", "127.0.0.5", "--dial-plan", "Plain");
    Path hosts =
        Files.writeString(
            tmp.resolve("hosts"), "127.0.0.1 gw1.example.test\n127.0.0.2 gw2.example.test\n");

    ca = TestCa.create(tmp, "responder CA");
    TestCa.Issued um = ca.issue("um", "um.example.test", List.of("um.example.test", "127.0.0.1"));
    gw1 = ca.issue("gw1", "gw1.example.test", List.of("gw1.example.test"));
    gw2 = ca.issue("gw2", "gw2.example.test", List.of("gw2.example.test"));
    stranger = TestCa.create(tmp, "stranger CA").issue("s", null, List.of("gw1.example.test"));

    List<String> args = new ArrayList<>(NO_DNS);
    args.addAll(
        List.of(
            "--hosts-file",
            hosts.toString(),
            "sip-responder",
            "--listen",
            "tls:127.0.0.1:0",
            "--listen",
            "udp:127.0.0.1:0",
            "--listen",
            "tcp:[::1]:0",
            "--tls-cert",
            um.chain().toString(),
            "--tls-key",
            um.key().toString(),
            "--tls-client-ca",
            ca.cert().toString()));
    // global options first, as CliRun does
    List<String> argv = new ArrayList<>();
    argv.add(args.get(args.indexOf("sip-responder")));
    argv.addAll(args.subList(args.indexOf("sip-responder") + 1, args.size()));
    argv.addAll(args.subList(0, args.indexOf("sip-responder")));
    running =
        new Thread(
            () ->
                Main.run(
                    argv.toArray(new String[0]),
                    new PrintWriter(out, true),
                    new PrintWriter(err, true),
                    env),
            "sip-responder-under-test");
    running.setDaemon(true);
    running.start();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> out.toString().split("listening on", -1).length == 4 || !running.isAlive());
    assertThat(running.isAlive()).as(out + "\n" + err).isTrue();
    tls = listening("tls");
    udp = listening("udp");
    tcp6 = listening("tcp");
  }

  @AfterAll
  static void stop() throws Exception {
    if (running != null) {
      running.interrupt();
      running.join(10_000);
    }
    ldap.close();
  }

  private static void ok(String... args) {
    CliRun r = CliRun.run(env, List.of(), args);
    assertThat(r.code()).as(r.toString()).isZero();
  }

  private static InetSocketAddress listening(String transport) {
    Matcher m = Pattern.compile("listening on " + transport + " (\\S+)").matcher(out.toString());
    assertThat(m.find()).as(out.toString()).isTrue();
    var hp = com.google.common.net.HostAndPort.fromString(m.group(1));
    return new InetSocketAddress(
        com.google.common.net.InetAddresses.forString(hp.getHost()), hp.getPort());
  }

  private static String request(String method, String user, String host, String via, String tag) {
    return method
        + " sip:"
        + user
        + "@"
        + host
        + " SIP/2.0\r\nVia: SIP/2.0/"
        + via
        + ";branch=z9hG4bK-"
        + tag
        + "\r\nMax-Forwards: 70\r\nFrom: <sip:gw@example.test>;tag="
        + tag
        + "\r\nTo: <sip:"
        + user
        + "@"
        + host
        + ">\r\nCall-ID: "
        + tag
        + "@test\r\nCSeq: 1 "
        + method
        + "\r\nContent-Length: 0\r\n\r\n";
  }

  /** Sends {@code sip} through openssl s_client and returns all it printed (up to the answer). */
  private static String sClient(TestCa.Issued cert, String sip) throws Exception {
    Path openssl = ServerProcess.requireBinary("openssl", "openssl not installed");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                openssl.toString(),
                "s_client",
                "-connect",
                "127.0.0.1:" + tls.getPort(),
                "-servername",
                "um.example.test",
                "-CAfile",
                ca.cert().toString(),
                "-verify_return_error",
                "-quiet"));
    if (cert != null) {
      cmd.addAll(List.of("-cert", cert.cert().toString(), "-key", cert.key().toString()));
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    Thread reader =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                byte[] b = new byte[4096];
                int n;
                while ((n = in.read(b)) > 0) {
                  synchronized (seen) {
                    seen.write(b, 0, n);
                  }
                }
              } catch (java.io.IOException e) {
                // the process was destroyed: what it printed is in seen
              }
            });
    reader.start();
    try (OutputStream stdin = p.getOutputStream()) {
      stdin.write(sip.getBytes(UTF_8));
      stdin.flush();
      // no EOF yet: s_client would close before the answer arrives
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (System.nanoTime() < deadline && p.isAlive()) {
        synchronized (seen) {
          String s = seen.toString(UTF_8);
          if (FINAL.matcher(s).find()) {
            break; // a final response (not the 100 Trying before an INVITE's 200), headers whole
          }
        }
        Thread.sleep(20);
      }
    } catch (java.io.IOException e) {
      // the handshake failed and s_client exited before reading stdin: its output says why
    }
    p.destroy();
    p.waitFor(10, TimeUnit.SECONDS);
    reader.join(5_000);
    synchronized (seen) {
      return seen.toString(UTF_8);
    }
  }

  @Test
  void tls_certificateNamingTheGateway_gets200() throws Exception {
    String answer = sClient(gw1, request("OPTIONS", "um", "127.0.0.1", "TLS 127.0.0.1:5061", "a1"));

    assertThat(answer).contains("SIP/2.0 200 OK");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(out.toString())
                    .containsPattern(
                        "tls 127\\.0\\.0\\.1:\\d+ OPTIONS sip:um@127\\.0\\.0\\.1 -> 200 trusted:"
                            + " certificate gw1\\.example\\.test, UM IP gateway GW1"));
  }

  @Test
  void tls_invite_isRoutedByTheCertificate() throws Exception {
    String answer =
        sClient(gw1, request("INVITE", "5000", "127.0.0.1", "TLS 127.0.0.1:5061", "i1"));

    assertThat(answer)
        .contains("SIP/2.0 200 OK")
        .contains("X-UMGW-Gateway: GW1")
        .contains("X-UMGW-Dial-Plan: Secure");
  }

  @Test
  void tls_certificateNamingAnotherHost_fromTheSameTrustedIp_gets403() throws Exception {
    String answer = sClient(gw2, request("OPTIONS", "um", "127.0.0.1", "TLS 127.0.0.1:5061", "b1"));

    assertThat(answer).contains("SIP/2.0 403 Forbidden");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              assertThat(out.toString())
                  .contains(
                      "-> 403 refused: event 9502: A TLS call from 127.0.0.1 was refused: its"
                          + " certificate names gw2.example.test (UM IP gateway GW2), but 127.0.0.1"
                          + " is not an address of that gateway; it belongs to UM IP gateway GW1");
              assertThat(err.toString()).contains("event 9502");
            });
  }

  @Test
  void tls_withoutCertificate_handshakeFails() throws Exception {
    String answer =
        sClient(null, request("OPTIONS", "um", "127.0.0.1", "TLS 127.0.0.1:5061", "c1"));

    assertThat(answer).doesNotContain("SIP/2.0").containsIgnoringCase("alert");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(out.toString())
                    .containsPattern(
                        "tls 127\\.0\\.0\\.1:\\d+ TLS -> - refused: TLS handshake failed: the client"
                            + " presented no certificate"));
  }

  @Test
  void tls_certificateOfAnUntrustedCa_handshakeFails() throws Exception {
    String answer =
        sClient(stranger, request("OPTIONS", "um", "127.0.0.1", "TLS 127.0.0.1:5061", "d1"));

    assertThat(answer).doesNotContain("SIP/2.0");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(out.toString())
                    .contains(
                        "refused: TLS handshake failed: the client's certificate is not trusted"));
  }

  @Test
  void udp_trustedSource200_untrustedSource403With1021() throws Exception {
    assertThat(udpOptions("127.0.0.5", "u1")).startsWith("SIP/2.0 200 OK");
    assertThat(udpOptions("127.0.0.9", "u2")).startsWith("SIP/2.0 403 Forbidden");
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(out.toString())
                    .containsPattern(
                        "udp 127\\.0\\.0\\.5:\\d+ OPTIONS \\S+ -> 200 trusted: UM IP gateway Plain-GW")
                    .containsPattern(
                        "udp 127\\.0\\.0\\.9:\\d+ OPTIONS \\S+ -> 403 refused: event 1021: No valid UM"
                            + " IP gateway was found with address 127.0.0.9"));
  }

  @Test
  void tcp_overIpv6_answersAndRefusesTheUntrustedSource() throws Exception {
    try (Socket s = new Socket()) {
      s.connect(tcp6, 5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream()
          .write(request("OPTIONS", "um", "[::1]", "TCP [::1]:5060", "t1").getBytes(UTF_8));
      byte[] buf = new byte[4096];
      int n = s.getInputStream().read(buf);
      assertThat(new String(buf, 0, n, UTF_8)).startsWith("SIP/2.0 403 Forbidden");
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(out.toString())
                    .containsPattern("tcp \\[::1\\]:\\d+ OPTIONS .* -> 403 refused: event 1021"));
  }

  private static String udpOptions(String from, String tag) throws Exception {
    try (DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getByName(from), 0))) {
      s.setSoTimeout(5_000);
      byte[] req =
          request("OPTIONS", "um", "127.0.0.1", "UDP " + from + ":" + s.getLocalPort(), tag)
              .getBytes(UTF_8);
      s.send(new DatagramPacket(req, req.length, udp));
      DatagramPacket reply = new DatagramPacket(new byte[8192], 8192);
      s.receive(reply);
      return new String(reply.getData(), 0, reply.getLength(), UTF_8);
    }
  }
}
