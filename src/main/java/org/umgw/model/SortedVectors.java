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

  /** Removes the element equal to {@code item} (found among those that sort with it), if any. */
  public static <T> PVector<T> remove(PVector<T> v, T item, Comparator<? super T> order) {
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
    for (int i = lo; i < v.size() && order.compare(v.get(i), item) == 0; i++) {
      if (v.get(i).equals(item)) {
        return v.minus(i);
      }
    }
    return v;
  }
}
