package sim.cassandra.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.NavigableMap;
import java.util.TreeMap;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.PartitionCodec;
import sim.cassandra.db.Slice;

/**
 * The in-memory, sorted write buffer of one table: partitions by token (then key), rows inside by
 * clustering. A write is applied here after its commit log append; when the memtable grows past its
 * threshold it is flushed to an immutable SSTable and a fresh one takes its place. It remembers the commit
 * log span it holds, so the segments below it can be dropped after the flush.
 */
public final class Memtable {
  /**
   * The partitions by key, for the lookup every write and read makes: a hash probe instead of a walk down a
   * tree comparing tokens. Only looked up, never iterated, so its order cannot leak into a run.
   */
  private final HashMap<DecoratedKey, Partition> byKey = new HashMap<>();
  /**
   * The same partitions in token order, built only when something asks for the order ({@link #partitions},
   * {@link #sorted}): a write adds its new partition to {@link #unsorted}, and most memtables are asked once,
   * by their flush, which sorts that list instead of keeping a tree balanced through every insert.
   */
  private final TreeMap<DecoratedKey, Partition> partitions = new TreeMap<>();
  private final ArrayList<Partition> unsorted = new ArrayList<>();
  private long liveDataSizeBytes;
  private long operations;
  private CommitLogPosition lowerBound;
  private CommitLogPosition upperBound = CommitLogPosition.NONE;

  public void apply(Partition update, CommitLogPosition position, Slice.PrefixComparator prefixes, int encodedSizeBytes) {
    Partition old = byKey.get(update.key());
    if (old == null) {
      Partition fresh = update.copy();
      unsorted.add(fresh);
      byKey.put(update.key(), fresh);
    } else {
      old.apply(update, prefixes);
    }
    liveDataSizeBytes += encodedSizeBytes;
    operations++;
    if (position != null) {
      if (lowerBound == null) lowerBound = position;
      upperBound = CommitLogPosition.max(upperBound, position);
    }
  }

  public Partition get(DecoratedKey key) {
    return byKey.get(key);
  }

  /** Read-only: only {@link #apply} adds, so the tree and the hash index stay the same set. */
  public NavigableMap<DecoratedKey, Partition> partitions() {
    for (Partition p : unsorted) partitions.put(p.key(), p);
    unsorted.clear();
    return Collections.unmodifiableNavigableMap(partitions);
  }

  /** Every partition in token order (what a flush writes). */
  public Collection<Partition> sorted() {
    if (!partitions.isEmpty()) return partitions().values();
    unsorted.sort(BY_KEY); // keys are distinct, so this is the tree's order
    return Collections.unmodifiableList(unsorted);
  }

  private static final Comparator<Partition> BY_KEY = (a, b) -> a.key().compareTo(b.key());

  public boolean isEmpty() {
    return byKey.isEmpty();
  }

  public long liveDataSizeBytes() {
    return liveDataSizeBytes;
  }

  public long operations() {
    return operations;
  }

  /** The oldest commit log position whose data only this memtable holds (null if it holds none). */
  public CommitLogPosition commitLogLowerBound() {
    return lowerBound;
  }

  public CommitLogPosition commitLogUpperBound() {
    return upperBound;
  }

  /** Bytes of each partition as encoded for the SSTable (for the inspector). */
  public static int encodedSize(Partition p) {
    return PartitionCodec.encode(p).length;
  }

  /** A cheap estimate of an update's size (keys, values, fixed overheads), what the flush threshold counts. */
  public static int estimatedSize(Partition p) {
    int n = 48 + p.key().key().length();
    for (var r : p.rows().values()) {
      n += 40;
      for (var c : r.clustering().values()) n += 4 + c.length();
      for (var e : r.cells().entrySet()) n += 40 + e.getKey().length() + e.getValue().value().length();
      for (var e : r.complex().entrySet()) n += 24 + e.getValue().cells().size() * 48;
    }
    if (p.staticRow() != null) n += 64;
    return n + p.rangeTombstones().size() * 48;
  }
}
