package org.umgw.trust;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable hash map split into 2<sup>k</sup> immutable shards (k from the size, so a shard
 * holds about √n keys): a change copies the shard array and the shards it touches, O(√n), and
 * shares every other shard with the map before. Reads are one array index and one {@link
 * HashMap#get}: lock-free and allocation-free, like the plain map the trust snapshot had before.
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

  private final HashMap<K, V>[] shards;
  private final int shift;
  private final int size;

  private ShardedMap(HashMap<K, V>[] shards, int shift, int size) {
    this.shards = shards;
    this.shift = shift;
    this.size = size;
  }

  /** An immutable copy of {@code all}, sharded for its size. */
  @SuppressWarnings("unchecked")
  static <K, V> ShardedMap<K, V> of(Map<K, V> all) {
    int bits = bitsFor(all.size());
    HashMap<K, V>[] shards = new HashMap[1 << bits];
    Arrays.fill(shards, EMPTY);
    int shift = 32 - bits;
    for (Map.Entry<K, V> e : all.entrySet()) {
      int i = index(e.getKey(), shift);
      if (shards[i] == EMPTY) {
        shards[i] = new HashMap<>();
      }
      shards[i].put(e.getKey(), e.getValue());
    }
    return new ShardedMap<>(shards, shift, all.size());
  }

  static <K, V> ShardedMap<K, V> empty() {
    return of(Map.of());
  }

  /** √n shards, at least 16 and at most 2^16. */
  private static int bitsFor(int size) {
    int bits = 4;
    while (bits < 16 && (1L << (2 * bits)) < size) {
      bits++;
    }
    return bits;
  }

  private static int index(Object key, int shift) {
    // The top bits of a multiplicative hash: HashMap buckets by the low bits, so a shard's keys
    // still spread over its table.
    return (key.hashCode() * 0x9E3779B9) >>> shift;
  }

  V get(Object key) {
    return shards[index(key, shift)].get(key);
  }

  V getOrDefault(Object key, V fallback) {
    V v = get(key);
    return v != null ? v : fallback;
  }

  boolean containsKey(Object key) {
    return shards[index(key, shift)].containsKey(key);
  }

  int size() {
    return size;
  }

  void forEach(BiConsumer<? super K, ? super V> action) {
    for (HashMap<K, V> s : shards) {
      s.forEach(action);
    }
  }

  /** A plain copy of every entry (O(n)). */
  Map<K, V> toMap() {
    Map<K, V> out = new HashMap<>(size * 2);
    forEach(out::put);
    return out;
  }

  /**
   * A copy with some keys changed. Re-shards (O(n)) when the size has outgrown the shard count
   * fourfold, so a shard stays about √n keys and a change O(√n).
   */
  Editor<K, V> edit() {
    return new Editor<>(this);
  }

  /** Collects changes to one {@link ShardedMap}; each touched shard is copied once. */
  static final class Editor<K, V> {
    private final ShardedMap<K, V> base;
    private HashMap<K, V>[] shards;
    private boolean[] copied;
    private int size;

    private Editor(ShardedMap<K, V> base) {
      this.base = base;
      this.size = base.size;
    }

    void put(K key, V value) {
      HashMap<K, V> s = writable(index(key, base.shift));
      if (s.put(key, value) == null) {
        size++;
      }
    }

    void remove(K key) {
      int i = index(key, base.shift);
      HashMap<K, V> current = shards == null ? base.shards[i] : shards[i];
      if (!current.containsKey(key)) {
        return;
      }
      writable(i).remove(key);
      size--;
    }

    private HashMap<K, V> writable(int i) {
      if (shards == null) {
        shards = base.shards.clone();
        copied = new boolean[shards.length];
      }
      if (!copied[i]) {
        shards[i] = new HashMap<>(shards[i]);
        copied[i] = true;
      }
      return shards[i];
    }

    ShardedMap<K, V> done() {
      if (shards == null) {
        return base;
      }
      ShardedMap<K, V> next = new ShardedMap<>(shards, base.shift, size);
      int bits = 32 - base.shift;
      if (bits < 16 && (long) size > 4L * (1L << (2 * bits))) {
        return of(next.toMap());
      }
      return next;
    }
  }
}
