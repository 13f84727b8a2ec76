package org.umgw.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.umgw.directory.DirectoryConnector;
import org.umgw.dns.NameResolver;
import org.umgw.model.UmgwException;
import org.umgw.responder.Listen;
import org.umgw.responder.SipResponder;
import org.umgw.service.TrustService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code umgw sip-responder ...}: answer SIP as a UM server would, to test gateways end to end. */
@Command(
    name = "sip-responder",
    mixinStandardHelpOptions = true,
    description =
        "Answer SIP as a UM server would, following the directory live, to test a gateway end to"
            + " end before pointing it at the real SIP server. OPTIONS: 200 from a trusted peer,"
            + " else 403 and event 1021 (1442 for a Disabled gateway's IP). INVITE: 200 with"
            + " X-UMGW-Gateway, X-UMGW-Hunt-Group and X-UMGW-Dial-Plan naming the route, 404 when"
            + " no hunt group matches the pilot, 403 when untrusted. Over TLS the client must"
            + " present a certificate (mutual TLS) and its name, not its IP alone, says which"
            + " gateway it is (events 9501-9503 when it does not fit). Prints one line per request:"
            + " time, transport, source, method, URI, response, decision and reason. Runs until"
            + " stopped (or --count requests); exit 1 when the directory cannot be read or an"
            + " address cannot be bound; 2 usage.")
final class SipResponderCommand extends DirectoryCommand {
  @Mixin DnsOptions dns;

  @Option(
      names = "--listen",
      required = true,
      paramLabel = "T:HOST:PORT",
      description =
          "udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT, HOST an IP (IPv6 in brackets:"
              + " tls:[::]:5061); repeatable.")
  List<String> listen = new ArrayList<>();

  @Mixin ServerCertificateOptions certificate;

  @Option(
      names = "--tls-client-ca",
      paramLabel = "FILE",
      description =
          "CA certificates that gateways' client certificates must chain to: PEM, JKS or PKCS#12"
              + " (default: the JVM's).")
  Path tlsClientCa;

  @Option(
      names = "--tls-client-ca-password-file",
      paramLabel = "FILE",
      description = "Password of a JKS or PKCS#12 --tls-client-ca.")
  Path tlsClientCaPasswordFile;

  @Mixin FeedMixin feedOptions;

  @Option(
      names = "--count",
      paramLabel = "N",
      description =
          "Exit after N requests (and refused TLS handshakes); default: run until stopped.")
  Integer count;

  @Override
  public Integer call() throws InterruptedException {
    List<Listen> listens = listen.stream().map(Listen::parse).toList();
    boolean anyTls = listens.stream().anyMatch(l -> l.transport() == org.umgw.sip.SipTransport.TLS);
    if (!anyTls && (certificate.cert != null || tlsClientCa != null)) {
      throw new UmgwException("--tls-cert and --tls-client-ca need a --listen tls:HOST:PORT");
    }
    if (count != null && count < 1) {
      throw new UmgwException("--count " + count + ": a positive number of requests");
    }
    var serverKey = anyTls ? certificate.required() : null;
    var clientTrust =
        anyTls ? DirectoryConnector.trustManager(tlsClientCa, tlsClientCaPasswordFile) : null;
    PrintWriter out = out();
    CountDownLatch remaining = new CountDownLatch(count == null ? 1 : count);
    try (ConnectionOptions.Directory d = connection.open();
        NameResolver resolver = dns.open(d.embedded() == null ? null : d.embedded().hostsFile())) {
      TrustService service =
          TrustService.builder()
              .directory(d.store().pool())
              .baseDn(d.store().layout().base().toString())
              .resolver(resolver)
              .feedOptions(feedOptions.options())
              .build();
      service.addEventListener(
          e -> {
            synchronized (err()) {
              err().println("umgw: " + e);
              err().flush();
            }
          });
      try (TrustService running = service.start();
          SipResponder responder =
              SipResponder.start(
                  running,
                  listens,
                  serverKey,
                  clientTrust,
                  h -> {
                    synchronized (out) {
                      out.println(h);
                      out.flush();
                    }
                    if (count != null) {
                      remaining.countDown();
                    }
                  })) {
        synchronized (out) {
          for (Listen l : responder.listening()) {
            out.println("listening on " + l);
          }
          out.flush();
        }
        remaining.await();
      }
    }
    return 0;
  }
}
