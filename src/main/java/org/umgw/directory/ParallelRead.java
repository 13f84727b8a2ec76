package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectKind;
import org.umgw.model.UmServer;
import org.umgw.model.UmgwException;

/**
 * {@link DirectoryStore#readAll()}'s mapping, done while the paged search still receives: the
 * search hands entries to {@link #accept} in batches, a few mapper threads turn each batch into
 * objects and problems, and {@link #finish} assembles the {@link DirectoryRead} exactly as {@link
 * EntrySet#read()} does (objects sorted by name, problems by DN, hunt groups of a gateway that does
 * not map left out as problems), so the result does not depend on the threads' timing.
 *
 * <p>Heap stays bounded by the result, not by the directory's raw entries: at most twice as many
 * batches as mapper threads wait or are being mapped (the search thread blocks for the next slot,
 * which holds back UnboundID's reader and, through TCP, the server), and a raw entry is kept past
 * its mapping only where a policy may need it ({@link DirectoryRead#unmapped()}): for an entry that
 * did not map, and for a hunt group whose gateway was not yet known to map (gateways come before
 * their hunt groups in a server's subtree order, so these are few; those whose gateway did map are
 * dropped at the end).
 *
 * <p>Directories of one batch or less are mapped on the calling thread, with no threads started.
 */
final class ParallelRead implements Consumer<Entry>, AutoCloseable {
  /** Entries per batch handed to a mapper thread. */
  static final int BATCH = 128;

  /** Mapper threads: the machine's processors, at most 4 (the search thread does the rest). */
  static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final EntryMapper mapper;
  private final int threads;
  private final Semaphore slots;
  private final List<Future<Mapped>> results = new ArrayList<>();

  /** Gateways seen to map, by name: their hunt groups' raw entries are not needed. */
  private final Set<String> goodGateways = ConcurrentHashMap.newKeySet();

  private List<Entry> batch = new ArrayList<>(BATCH);
  private ExecutorService pool;

  ParallelRead(EntryMapper mapper) {
    this(mapper, THREADS);
  }

  /** With {@code threads} mapper threads (tests use 1 to 4 whatever the machine). */
  ParallelRead(EntryMapper mapper, int threads) {
    this.mapper = requireNonNull(mapper, "mapper == null");
    if (threads < 1) {
      throw new IllegalArgumentException("threads < 1");
    }
    this.threads = threads;
    this.slots = new Semaphore(2 * threads);
  }

  /** Takes one entry of the search, in the order the server sent it. */
  @Override
  public void accept(Entry entry) {
    batch.add(requireNonNull(entry, "entry == null"));
    if (batch.size() == BATCH) {
      submit();
    }
  }

  private void submit() {
    List<Entry> entries = batch;
    batch = new ArrayList<>(BATCH);
    if (pool == null) {
      pool =
          Executors.newFixedThreadPool(
              threads,
              new ThreadFactoryBuilder().setNameFormat("umgw-read-mapper").setDaemon(true).build());
    }
    slots.acquireUninterruptibly();
    try {
      results.add(
          pool.submit(
              () -> {
                try {
                  return map(entries);
                } finally {
                  slots.release();
                }
              }));
    } catch (RuntimeException e) {
      slots.release();
      throw e;
    }
  }

  /**
   * Maps what is left and assembles the read.
   *
   * @throws UmgwException when the mapper itself failed (a bug: an entry that does not map is a
   *     problem of the read, never an exception)
   */
  DirectoryRead finish() {
    Mapped all = new Mapped();
    try {
      for (Future<Mapped> f : results) {
        all.add(f.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UmgwException("interrupted while mapping the directory's entries", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new UmgwException("mapping the directory's entries failed: " + e.getCause(), e);
    } finally {
      results.clear();
    }
    all.add(map(batch)); // the last, partial batch (the whole directory if it is small)
    batch = new ArrayList<>();
    return all.assemble(mapper.layout());
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** One batch's objects and problems, in arrival order. */
  private Mapped map(List<Entry> entries) {
    Mapped out = new Mapped();
    for (Entry entry : entries) {
      Optional<ObjectKind> kind = EntryMapper.kindOf(entry);
      if (kind.isPresent()) {
        map(kind.get(), entry, out);
      }
    }
    return out;
  }

  private void map(ObjectKind kind, Entry entry, Mapped out) {
    try {
      switch (kind) {
        case GATEWAY -> {
          Gateway g = mapper.gateway(entry);
          goodGateways.add(g.name());
          out.gateways.add(g);
        }
        case HUNT_GROUP -> {
          HuntGroup h = mapper.huntGroup(entry);
          out.huntGroups.add(h);
          if (!goodGateways.contains(h.gateway())) {
            out.huntGroupEntries.put(h, entry);
          }
        }
        case DIAL_PLAN -> out.dialPlans.add(mapper.dialPlan(entry));
        case SERVER -> out.servers.add(mapper.server(entry));
      }
    } catch (EntryMappingException e) {
      out.problems.add(e.problem());
      out.unmapped.put(e.problem().dn(), entry);
      if (kind == ObjectKind.GATEWAY) {
        parsedDn(entry).flatMap(DirectoryLayout::cnOf).ifPresent(out.badGateways::add);
      }
    }
  }

  private static Optional<DN> parsedDn(Entry entry) {
    try {
      return Optional.of(entry.getParsedDN());
    } catch (LDAPException e) {
      return Optional.empty(); // the mapper reported the DN as the entry's problem
    }
  }

  /** Objects, problems and the raw entries kept, of a batch or of the whole read. */
  private static final class Mapped {
    final List<DialPlan> dialPlans = new ArrayList<>();
    final List<Gateway> gateways = new ArrayList<>();
    final List<HuntGroup> huntGroups = new ArrayList<>();
    final List<UmServer> servers = new ArrayList<>();
    final List<EntryProblem> problems = new ArrayList<>();
    final Map<String, Entry> unmapped = new HashMap<>();
    final Set<String> badGateways = new HashSet<>();
    final Map<HuntGroup, Entry> huntGroupEntries = new HashMap<>();

    void add(Mapped m) {
      dialPlans.addAll(m.dialPlans);
      gateways.addAll(m.gateways);
      huntGroups.addAll(m.huntGroups);
      servers.addAll(m.servers);
      problems.addAll(m.problems);
      unmapped.putAll(m.unmapped);
      badGateways.addAll(m.badGateways);
      huntGroupEntries.putAll(m.huntGroupEntries);
    }

    /** As {@link EntrySet#read()}: the hunt groups of gateways that did not map become problems. */
    DirectoryRead assemble(DirectoryLayout layout) {
      List<HuntGroup> kept =
          EntryAssembly.leaveOutOrphans(
              huntGroups, badGateways, huntGroupEntries::get, layout, problems, unmapped);
      huntGroupEntries.clear();
      dialPlans.sort(Comparator.comparing(DialPlan::name));
      gateways.sort(Comparator.comparing(Gateway::name));
      kept.sort(Comparator.comparing(HuntGroup::gateway).thenComparing(HuntGroup::name));
      servers.sort(Comparator.comparing(UmServer::name));
      problems.sort(Comparator.comparing(EntryProblem::dn));
      return new DirectoryRead(
          new DirectoryContents(dialPlans, gateways, kept, servers), problems, unmapped);
    }
  }
}
