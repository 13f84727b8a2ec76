package org.umgw.model;

import java.util.Comparator;
import java.util.List;
import org.pcollections.PVector;
import org.pcollections.TreePVector;

/**
 * Sorted persistent lists: insert and remove by binary search in O(log² n), sharing everything else
 * with the list before. What keeps {@link DirectoryContents} and the trust snapshot's sorted lists
 * current per change without copying them.
 */
public final class SortedVectors {
  private SortedVectors() {}

  /** {@code list} itself when it is already persistent, else a persistent copy (O(n)). */
  public static <T> PVector<T> of(List<T> list) {
    return list instanceof PVector<T> v ? v : TreePVector.from(list);
  }

  /** {@code list} kept as it is when persistent (immutable), else an immutable copy. */
  public static <T> List<T> immutable(List<T> list) {
    return list instanceof PVector<T> ? list : List.copyOf(list);
  }

  /** Inserts {@code item} after every element that does not sort after it. */
  public static <T> PVector<T> insert(PVector<T> v, T item, Comparator<? super T> order) {
    int lo = 0;
    int hi = v.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(v.get(mid), item) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return v.plus(lo, item);
  }

  /**
   * Replaces {@code before} by {@code after}: in place (one search) when both sort alike, else a
   * removal and an insertion.
   */
  public static <T> PVector<T> replace(
      PVector<T> v, T before, T after, Comparator<? super T> order) {
    if (order.compare(before, after) == 0) {
      int i = indexOf(v, before, order);
      if (i >= 0) {
        return v.with(i, after);
      }
    }
    return insert(remove(v, before, order), after, order);
  }

  /** Removes the element equal to {@code item} (found among those that sort with it), if any. */
  public static <T> PVector<T> remove(PVector<T> v, T item, Comparator<? super T> order) {
    int i = indexOf(v, item, order);
    return i < 0 ? v : v.minus(i);
  }

  private static <T> int indexOf(PVector<T> v, T item, Comparator<? super T> order) {
    int lo = 0;
    int hi = v.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (order.compare(v.get(mid), item) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    for (int i = lo; i < v.size(); i++) {
      T at = v.get(i);
      if (order.compare(at, item) != 0) {
        break;
      }
      if (at.equals(item)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The element whose key is {@code key} in a list sorted by that key: a binary search by index,
   * O(log² n) on a persistent vector (where {@code Collections.binarySearch} walks an iterator).
   */
  static <T, K extends Comparable<? super K>> java.util.Optional<T> find(
      List<T> sorted, K key, java.util.function.Function<? super T, ? extends K> keyOf) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      T at = sorted.get(mid);
      int c = keyOf.apply(at).compareTo(key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return java.util.Optional.of(at);
      }
    }
    return java.util.Optional.empty();
  }
}
