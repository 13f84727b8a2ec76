package org.umgw.trust;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable hash map split into small immutable shards (about 16 keys each) under a two-level
 * table: a change copies the root and the middle arrays it goes through (each about √(n/16)
 * references: 80 at 100,000 keys) and the shards it touches, and shares every other shard with the
 * map before. Reads are two array indexes and one {@link HashMap#get}: lock-free and
 * allocation-free, like the plain map the trust snapshot had before.
 *
 * <pre>{@code
 * ShardedMap<InetAddress, Peer> m = ShardedMap.of(all);
 * ShardedMap.Editor<InetAddress, Peer> e = m.edit();
 * e.put(ip, peer); e.remove(gone);
 * ShardedMap<InetAddress, Peer> next = e.done();   // m is unchanged
 * }</pre>
 */
final class ShardedMap<K, V> {
  private static final HashMap<?, ?> EMPTY = new HashMap<>();

  /** Keys per shard aimed at; the table grows (re-sharding in O(n)) past four times that. */
  private static final int SHARD_KEYS = 16;

  private static final int MAX_BITS = 20;

  private final HashMap<K, V>[][] table;
  private final int loBits;
  private final int shift;
  private final int size;

  private ShardedMap(HashMap<K, V>[][] table, int loBits, int shift, int size) {
    this.table = table;
    this.loBits = loBits;
    this.shift = shift;
    this.size = size;
  }

  /** An immutable copy of {@code all}, sharded for its size. */
  @SuppressWarnings("unchecked")
  static <K, V> ShardedMap<K, V> of(Map<K, V> all) {
    int bits = bitsFor(all.size());
    int loBits = bits / 2;
    int hiBits = bits - loBits;
    HashMap<K, V>[][] table = new HashMap[1 << hiBits][];
    for (int i = 0; i < table.length; i++) {
      table[i] = new HashMap[1 << loBits];
      Arrays.fill(table[i], EMPTY);
    }
    int shift = 32 - bits;
    for (Map.Entry<K, V> e : all.entrySet()) {
      int h = hash(e.getKey(), shift);
      HashMap<K, V>[] mid = table[h >>> loBits];
      int lo = h & ((1 << loBits) - 1);
      if (mid[lo] == EMPTY) {
        mid[lo] = new HashMap<>();
      }
      mid[lo].put(e.getKey(), e.getValue());
    }
    return new ShardedMap<>(table, loBits, shift, all.size());
  }

  static <K, V> ShardedMap<K, V> empty() {
    return of(Map.of());
  }

  /** Shards for about {@link #SHARD_KEYS} keys each: 2 to 2^20 of them. */
  private static int bitsFor(int size) {
    int bits = 1;
    while (bits < MAX_BITS && ((long) SHARD_KEYS << bits) < size) {
      bits++;
    }
    return bits;
  }

  private static int hash(Object key, int shift) {
    // The top bits of a multiplicative hash: HashMap buckets by the low bits, so a shard's keys
    // still spread over its table.
    return (key.hashCode() * 0x9E3779B9) >>> shift;
  }

  private HashMap<K, V> shard(Object key) {
    int h = hash(key, shift);
    return table[h >>> loBits][h & ((1 << loBits) - 1)];
  }

  V get(Object key) {
    return shard(key).get(key);
  }

  V getOrDefault(Object key, V fallback) {
    V v = get(key);
    return v != null ? v : fallback;
  }

  boolean containsKey(Object key) {
    return shard(key).containsKey(key);
  }

  int size() {
    return size;
  }

  void forEach(BiConsumer<? super K, ? super V> action) {
    for (HashMap<K, V>[] mid : table) {
      for (HashMap<K, V> s : mid) {
        s.forEach(action);
      }
    }
  }

  /** A plain copy of every entry (O(n)). */
  Map<K, V> toMap() {
    Map<K, V> out = new HashMap<>(size * 2);
    forEach(out::put);
    return out;
  }

  /** A copy with some keys changed; the map itself does not change. */
  Editor<K, V> edit() {
    return new Editor<>(this);
  }

  /**
   * Collects changes to one {@link ShardedMap}; the root, each touched middle array and each
   * touched shard are copied once. {@link #done} re-shards (O(n)) when the size has outgrown the
   * table fourfold, so shards stay small.
   */
  static final class Editor<K, V> {
    private final ShardedMap<K, V> base;
    private HashMap<K, V>[][] table;
    private final java.util.Set<Object> copied =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int size;

    private Editor(ShardedMap<K, V> base) {
      this.base = base;
      this.size = base.size;
    }

    void put(K key, V value) {
      if (writable(key).put(key, value) == null) {
        size++;
      }
    }

    void remove(K key) {
      HashMap<K, V> current = table == null ? base.shard(key) : shardOf(key);
      if (!current.containsKey(key)) {
        return;
      }
      writable(key).remove(key);
      size--;
    }

    private HashMap<K, V> shardOf(Object key) {
      int h = hash(key, base.shift);
      return table[h >>> base.loBits][h & ((1 << base.loBits) - 1)];
    }

    private HashMap<K, V> writable(Object key) {
      if (table == null) {
        table = base.table.clone();
      }
      int h = hash(key, base.shift);
      int hi = h >>> base.loBits;
      int lo = h & ((1 << base.loBits) - 1);
      HashMap<K, V>[] mid = table[hi];
      if (copied.add(mid)) {
        mid = mid.clone();
        table[hi] = mid;
        copied.add(mid);
      }
      HashMap<K, V> shard = mid[lo];
      if (shard == EMPTY || copied.add(shard)) {
        shard = new HashMap<>(shard);
        mid[lo] = shard;
        copied.add(shard);
      }
      return shard;
    }

    ShardedMap<K, V> done() {
      if (table == null) {
        return base;
      }
      ShardedMap<K, V> next = new ShardedMap<>(table, base.loBits, base.shift, size);
      int bits = 32 - base.shift;
      if (bits < MAX_BITS && (long) size > 4L * ((long) SHARD_KEYS << bits)) {
        return of(next.toMap());
      }
      return next;
    }
  }
}
