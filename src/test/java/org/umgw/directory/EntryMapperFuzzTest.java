package org.umgw.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;

/**
 * Fuzz target for the entry mapper and the salvage of entries that do not map: LDAP entries (read
 * from fuzzed LDIF, so any attribute and any value, base64 included) as anyone with write access to
 * the directory, or a schema-less server, can shape them.
 *
 * <p>Properties: mapping never throws (a bad entry is a problem naming its DN, never an exception
 * that takes the other entries down); a mapped object written back as an entry maps to the same
 * object; and salvage fails closed against the sample directory served before: only objects served
 * before come back, a gateway with an unreadable status, address or family is served Disabled, and
 * no flag is more trusting than the entry's readable value or its least trusting stand-in.
 */
class EntryMapperFuzzTest {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private static final EntryMapper MAPPER = new EntryMapper(LAYOUT);
  private static final int MAX_ENTRIES = 64;
  private static final DirectoryContents SERVED = sample();

  private static DirectoryContents sample() {
    try (InputStream in = EntryMapperFuzzTest.class.getResourceAsStream("/umgw/ldif/sample.ldif");
        LDIFReader reader = new LDIFReader(in)) {
      EntrySet set = new EntrySet(MAPPER);
      Entry e;
      while ((e = reader.readEntry()) != null) {
        set.put(e);
      }
      DirectoryRead read = set.read();
      if (!read.problems().isEmpty()) {
        throw new IllegalStateException("the sample has problems: " + read.problems());
      }
      return read.contents();
    } catch (IOException | LDIFException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void map(byte[] ldif) {
    List<Entry> entries = new ArrayList<>();
    try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(ldif))) {
      Entry e;
      while (entries.size() < MAX_ENTRIES && (e = reader.readEntry()) != null) {
        entries.add(e);
      }
    } catch (IOException | LDIFException e) {
      // what was read before the bad LDIF is still mapped
    }
    EntrySet set = new EntrySet(MAPPER);
    for (Entry e : entries) {
      set.put(e);
    }
    DirectoryRead read = set.read();

    for (EntryProblem p : read.problems()) {
      assertNotNull(p.dn());
      assertNotNull(p.message());
    }
    DirectoryContents c = read.contents();
    for (Gateway g : c.gateways()) {
      assertEquals(g, MAPPER.gateway(MAPPER.toEntry(g)), "round trip of " + g.name());
    }
    for (DialPlan d : c.dialPlans()) {
      assertEquals(d, MAPPER.dialPlan(MAPPER.toEntry(d)), "round trip of " + d.name());
    }
    for (HuntGroup h : c.huntGroups()) {
      assertEquals(h, MAPPER.huntGroup(MAPPER.toEntry(h)), "round trip of " + h.name());
    }
    for (UmServer s : c.servers()) {
      assertEquals(s, MAPPER.server(MAPPER.toEntry(s)), "round trip of " + s.name());
    }

    for (EntrySalvage.Outcome o : new EntrySalvage(MAPPER).salvage(read, SERVED)) {
      assertNotNull(o.action());
      if (o.object() instanceof Gateway g) {
        salvagedGateway(g, read.unmapped().get(o.problem().dn()));
      } else if (o.object() instanceof DialPlan d) {
        assertTrue(SERVED.dialPlans().stream().anyMatch(x -> x.name().equals(d.name())), d.name());
      } else if (o.object() instanceof HuntGroup h) {
        assertTrue(
            SERVED.gateways().stream().anyMatch(x -> x.name().equals(h.gateway())), h.gateway());
      }
    }
  }

  /** A salvaged gateway is never more trusted than its entry's readable values allow. */
  private static void salvagedGateway(Gateway g, Entry entry) {
    Gateway before =
        SERVED.gateways().stream().filter(x -> x.name().equals(g.name())).findFirst().orElse(null);
    assertNotNull(before, g.name() + " was not served before");
    assertNotNull(entry, g.name());
    ObjectRef ref = ObjectRef.gateway(g.name());
    Read<GatewayStatus> status = read(entry, EntryMapper.STATUS, v -> GatewayStatus.parse(v, ref));
    Read<?> address = read(entry, EntryMapper.ADDRESS, v -> Gateway.parseAddress(g.name(), v));
    Read<?> family = read(entry, EntryMapper.FAMILY, v -> IpAddressFamily.parse(v, ref));
    if (!status.readable || !address.readable || address.value.isEmpty() || !family.readable) {
      assertEquals(GatewayStatus.Disabled, g.status(), g.name() + " kept trust");
    } else if (g.status() != GatewayStatus.Disabled) {
      assertEquals(status.value.orElse(GatewayStatus.Enabled), g.status(), g.name());
    }
    assertFalse(
        g.outcallsAllowed() && !flag(entry, EntryMapper.OUTCALLS, false), "outcalls " + g.name());
    assertFalse(
        g.messageWaitingIndicatorAllowed() && !flag(entry, EntryMapper.MWI, false),
        "MWI " + g.name());
    assertFalse(
        !g.simulator() && flag(entry, EntryMapper.SIMULATOR, true), "simulator " + g.name());
  }

  /** The flag as written, or {@code unreadable} when it cannot be read; absent is its default. */
  private static boolean flag(Entry entry, String attribute, boolean unreadable) {
    Read<Boolean> r = read(entry, attribute, EntryMapper::parseBoolean);
    if (!r.readable) {
      return unreadable;
    }
    return r.value.orElse(
        switch (attribute) {
          case EntryMapper.SIMULATOR -> false;
          default -> true;
        });
  }

  private record Read<T>(boolean readable, Optional<T> value) {}

  private static <T> Read<T> read(Entry entry, String attribute, Function<String, T> parse) {
    Attribute a = entry.getAttribute(attribute);
    if (a == null || a.size() == 0) {
      return new Read<>(true, Optional.empty());
    }
    if (a.size() > 1) {
      return new Read<>(false, Optional.empty());
    }
    try {
      return new Read<>(true, Optional.of(parse.apply(a.getValue())));
    } catch (RuntimeException e) {
      return new Read<>(false, Optional.empty());
    }
  }
}
