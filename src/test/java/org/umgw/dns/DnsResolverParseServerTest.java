package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.model.UmgwException;

/** {@link DnsResolver#parseServer}: the {@code --dns-server HOST[:PORT]} forms. */
class DnsResolverParseServerTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1         | 127.0.0.1       | 53",
        "127.0.0.1:5353    | 127.0.0.1       | 5353",
        "' 10.0.0.53:1 '   | 10.0.0.53       | 1",
        "::1               | 0:0:0:0:0:0:0:1 | 53",
        "[::1]             | 0:0:0:0:0:0:0:1 | 53",
        "[::1]:5353        | 0:0:0:0:0:0:0:1 | 5353",
        "2001:db8::53      | 2001:db8:0:0:0:0:0:53 | 53",
        "[2001:db8::53]:65535 | 2001:db8:0:0:0:0:0:53 | 65535",
      })
  void parseServer_acceptedForms(String value, String host, int port) {
    InetSocketAddress a = DnsResolver.parseServer(value);

    assertThat(a.isUnresolved()).isFalse();
    assertThat(a.getAddress().getHostAddress()).isEqualTo(host);
    assertThat(a.getPort()).isEqualTo(port);
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                 | no host",
        "dns.example.test   | 'dns.example.test' is not an IP address (a server name would itself need DNS)",
        "dns.example.test:53 | 'dns.example.test' is not an IP address",
        "127.0.0.1:0        | port '0' is not 1-65535",
        "127.0.0.1:65536    | port '65536' is not 1-65535",
        "127.0.0.1:dns      | port 'dns' is not 1-65535",
        "127.0.0.1:         | port '' is not 1-65535",
        "[::1               | no closing ']'",
        "[::1]53            | expected ':PORT' after ']'",
        "[127.0.0.1]:53     | '127.0.0.1' in brackets is not an IPv6 address",
        "1.2.3              | '1.2.3' is not an IP address",
        "::1:53:            | '::1:53:' is not an IP address",
      })
  void parseServer_badValues_nameTheValue(String value, String why) {
    assertThatThrownBy(() -> DnsResolver.parseServer(value))
        .isInstanceOf(UmgwException.class)
        .hasMessageStartingWith("invalid DNS server '" + value + "': " + why)
        .hasMessageEndingWith(
            "(expected HOST[:PORT], e.g. 127.0.0.1, 127.0.0.1:5353, ::1 or [::1]:5353)");
  }

  @Test
  void parseServer_null() {
    assertThatThrownBy(() -> DnsResolver.parseServer(null))
        .isInstanceOf(UmgwException.class)
        .hasMessage("invalid DNS server: null (expected HOST[:PORT])");
  }
}
