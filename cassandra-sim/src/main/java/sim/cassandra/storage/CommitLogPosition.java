package sim.cassandra.storage;

/** A place in the commit log: a segment id and a byte offset in it. Ordered. */
public record CommitLogPosition(long segmentId, long position) implements Comparable<CommitLogPosition> {
  public static final CommitLogPosition NONE = new CommitLogPosition(-1, 0);

  @Override
  public int compareTo(CommitLogPosition o) {
    int c = Long.compare(segmentId, o.segmentId);
    return c != 0 ? c : Long.compare(position, o.position);
  }

  public static CommitLogPosition max(CommitLogPosition a, CommitLogPosition b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public String toString() {
    return segmentId + ":" + position;
  }
}
