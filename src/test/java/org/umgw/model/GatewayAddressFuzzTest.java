package org.umgw.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Fuzz targets for the address parser: every gateway address an administrator types or a directory
 * entry holds, and every address DNS or a hosts file answers for a gateway's name.
 *
 * <p>Properties: the only refusal is {@link IllegalArgumentException} with a reason; a parsed
 * address is canonical (parsing its text, or its URI host form, gives it back); a literal's address
 * passes the peer check and has the kind's family; a name is an RFC 1123 host name in lower case;
 * and the peer check that answers go through admits exactly what an administrator could type.
 */
class GatewayAddressFuzzTest {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] data) {
    String text = new String(data, UTF_8);
    GatewayAddress a;
    try {
      a = GatewayAddress.parse(text);
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage(), "a refusal says why");
      return;
    }
    assertEquals(a, GatewayAddress.parse(a.text()), "the text of a parsed address is canonical");
    assertEquals(a, GatewayAddress.parse(a.uriHost()), "the URI host form parses back");
    switch (a.kind()) {
      case IPV4 -> {
        InetAddress ip = a.ip().orElseThrow();
        assertTrue(ip instanceof Inet4Address, a.text());
        assertEquals(InetAddresses.toAddrString(ip), a.text());
        GatewayAddress.checkPeerAddress(ip);
      }
      case IPV6 -> {
        InetAddress ip = a.ip().orElseThrow();
        assertTrue(ip instanceof Inet6Address, a.text());
        assertEquals(InetAddresses.toAddrString(ip), a.text());
        GatewayAddress.checkPeerAddress(ip);
        assertEquals("[" + a.text() + "]", a.uriHost());
      }
      case FQDN -> {
        assertTrue(a.ip().isEmpty());
        assertEquals(a.text().toLowerCase(Locale.ROOT), a.text());
        assertTrue(a.text().length() <= 253, a.text());
        for (String label : a.text().split("\\.", -1)) {
          assertTrue(LABEL.matcher(label).matches(), "label " + label + " of " + a.text());
        }
        assertFalse(
            a.text().chars().allMatch(c -> c == '.' || c >= '0' && c <= '9'),
            "a dotted number is never a name: " + a.text());
      }
    }
  }

  /**
   * One check for literals and answers: a 4- or 16-byte address that DNS could answer passes {@link
   * GatewayAddress#checkPeerAddress} exactly when its text parses as a gateway address.
   */
  @FuzzTest(maxDuration = "30s")
  void peerAddress(byte[] data) throws UnknownHostException {
    if (data.length != 4 && data.length != 16) {
      return;
    }
    InetAddress ip =
        data.length == 16
            ? Inet6Address.getByAddress(null, data, -1)
            : InetAddress.getByAddress(data);
    boolean admitted;
    try {
      assertEquals(ip, GatewayAddress.checkPeerAddress(ip));
      admitted = true;
    } catch (IllegalArgumentException e) {
      assertNotNull(e.getMessage());
      admitted = false;
    }
    String typed = InetAddresses.toAddrString(ip);
    try {
      GatewayAddress a = GatewayAddress.parse(typed);
      if (!admitted) {
        fail("the peer check refuses " + typed + " but it parses as a gateway address");
      }
      assertEquals(ip, a.ip().orElseThrow());
    } catch (IllegalArgumentException e) {
      if (admitted) {
        fail("the peer check admits " + typed + " but it does not parse: " + e.getMessage());
      }
    }
  }
}
