package sim.cassandra.db;

/**
 * A deletion: everything written at or before {@code markedForDeleteAt} (microseconds) is deleted;
 * {@code localDeletionTime} (seconds, the deleting node's clock) starts the {@code gc_grace_seconds} wait
 * before compaction may purge it. {@link #LIVE} is "no deletion".
 */
public record DeletionTime(long markedForDeleteAt, long localDeletionTime) implements Comparable<DeletionTime> {
  public static final DeletionTime LIVE = new DeletionTime(Long.MIN_VALUE, Long.MAX_VALUE);

  public boolean isLive() {
    return markedForDeleteAt == Long.MIN_VALUE && localDeletionTime == Long.MAX_VALUE;
  }

  /** Cassandra's {@code DeletionTime.deletes}: data at or before the deletion's timestamp. */
  public boolean deletes(long timestamp) {
    return timestamp <= markedForDeleteAt;
  }

  /** {@code DeletionTime.supersedes}: the later timestamp, then the later local deletion time. */
  public boolean supersedes(DeletionTime o) {
    return markedForDeleteAt > o.markedForDeleteAt
        || (markedForDeleteAt == o.markedForDeleteAt && localDeletionTime > o.localDeletionTime);
  }

  public static DeletionTime max(DeletionTime a, DeletionTime b) {
    return b.supersedes(a) ? b : a;
  }

  @Override
  public int compareTo(DeletionTime o) {
    int c = Long.compare(markedForDeleteAt, o.markedForDeleteAt);
    return c != 0 ? c : Long.compare(localDeletionTime, o.localDeletionTime);
  }

  @Override
  public String toString() {
    return isLive() ? "LIVE" : "deletedAt=" + markedForDeleteAt + ",localDeletion=" + localDeletionTime;
  }
}
