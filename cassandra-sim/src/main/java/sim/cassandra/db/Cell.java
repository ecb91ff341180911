package sim.cassandra.db;

import java.util.Objects;

/**
 * One value of one column (with {@code path} for an element of a non-frozen collection: the set element,
 * the map key, the list element's timeuuid). A tombstone has a {@code localDeletionTime} and no TTL; an
 * expiring cell has both a TTL and its expiration as {@code localDeletionTime}; a live cell has neither.
 * Counter cells hold a counter context (see {@link CounterContext}).
 */
public record Cell(Bytes value, long timestamp, int ttl, long localDeletionTime, Bytes path, boolean counter) {
  public static final long NO_DELETION_TIME = Long.MAX_VALUE;

  public Cell {
    Objects.requireNonNull(value, "value");
  }

  public static Cell live(Bytes value, long timestamp, Bytes path) {
    return new Cell(value, timestamp, 0, NO_DELETION_TIME, path, false);
  }

  /** A live cell, expiring {@code ttl} seconds after {@code nowInSec} when ttl > 0. */
  public static Cell live(Bytes value, long timestamp, int ttl, long nowInSec, Bytes path) {
    return ttl > 0 ? new Cell(value, timestamp, ttl, nowInSec + ttl, path, false) : live(value, timestamp, path);
  }

  public static Cell tombstone(long timestamp, long nowInSec, Bytes path) {
    return new Cell(Bytes.EMPTY, timestamp, 0, nowInSec, path, false);
  }

  public static Cell counter(Bytes context, long timestamp) {
    return new Cell(context, timestamp, 0, NO_DELETION_TIME, null, true);
  }

  public boolean isTombstone() {
    return localDeletionTime != NO_DELETION_TIME && ttl == 0;
  }

  public boolean isExpiring() {
    return ttl > 0;
  }

  public boolean isLive(long nowInSec) {
    return localDeletionTime == NO_DELETION_TIME || (ttl > 0 && nowInSec < localDeletionTime);
  }

  /**
   * Cassandra's {@code Cells.reconcile}, rule for rule: the newest timestamp wins; on a tie a tombstone or
   * expiring cell beats a live one, a tombstone beats an expiring one, the later local deletion time wins,
   * then the smaller TTL, and otherwise the greater value (unsigned bytes). Counters merge their contexts;
   * a counter tombstone beats any counter.
   */
  public static Cell reconcile(Cell a, Cell b) {
    if (a == null || b == null) return b == null ? a : b;
    if (a.counter || b.counter) return reconcileCounter(a, b);
    if (a.timestamp != b.timestamp) return a.timestamp > b.timestamp ? a : b;
    boolean aDel = a.localDeletionTime != NO_DELETION_TIME;
    boolean bDel = b.localDeletionTime != NO_DELETION_TIME;
    if (aDel || bDel) {
      if (aDel != bDel) return aDel ? a : b;
      boolean aTomb = !a.isExpiring();
      boolean bTomb = !b.isExpiring();
      if (aTomb != bTomb) return aTomb ? a : b;
      if (a.localDeletionTime != b.localDeletionTime) return a.localDeletionTime > b.localDeletionTime ? a : b;
      if (!aTomb && a.ttl != b.ttl) return a.ttl < b.ttl ? a : b;
    }
    return a.value.compareTo(b.value) >= 0 ? a : b;
  }

  private static Cell reconcileCounter(Cell a, Cell b) {
    boolean aTomb = a.isTombstone();
    boolean bTomb = b.isTombstone();
    if (aTomb || bTomb) {
      if (aTomb && bTomb) return a.timestamp >= b.timestamp ? a : b;
      return aTomb ? a : b;
    }
    Bytes merged = CounterContext.merge(a.value, b.value);
    return new Cell(merged, Math.max(a.timestamp, b.timestamp), 0, NO_DELETION_TIME, a.path, true);
  }

  /**
   * Compaction's purge ({@code AbstractCell.purge}): a dead cell whose local deletion time is before
   * {@code gcBefefore} (now − gc_grace_seconds) disappears; an expired cell that may not be purged yet becomes a
   * tombstone dated from its write ({@code expiration − ttl}). Null when purged.
   */
  public Cell purge(long nowInSec, long gcBeforeInSec) {
    if (isLive(nowInSec)) return this;
    if (localDeletionTime < gcBeforeInSec) return null;
    if (isExpiring()) {
      Cell t = tombstone(timestamp, localDeletionTime - ttl, path);
      return t.localDeletionTime < gcBeforeInSec ? null : t;
    }
    return this;
  }

  @Override
  public String toString() {
    String kind = isTombstone() ? "tombstone" : counter ? "counter" : value.toString();
    return (path == null ? "" : "[" + path + "]") + kind + "@" + timestamp
        + (isExpiring() ? " ttl=" + ttl + " exp=" + localDeletionTime : isTombstone() ? " ldt=" + localDeletionTime : "");
  }
}
