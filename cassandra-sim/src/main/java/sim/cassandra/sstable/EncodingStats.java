package sim.cassandra.sstable;

import sim.cassandra.db.Cell;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;

/**
 * The minimum timestamp, local deletion time and TTL of what an SSTable holds: every timestamp, deletion
 * time and TTL in Data.db is written as its (unsigned vint) delta from these, so a typical cell's
 * timestamp takes a byte or three instead of eight. Absent values default to the epochs Cassandra chose
 * (2015-09-22T00:00:00Z, TTL 0).
 */
public record EncodingStats(long minTimestamp, long minLocalDeletionTime, int minTTL) {
  public static final long TIMESTAMP_EPOCH = 1_442_880_000_000_000L;
  public static final int DELETION_TIME_EPOCH = 1_442_880_000;
  public static final int TTL_EPOCH = 0;
  public static final EncodingStats NO_STATS = new EncodingStats(TIMESTAMP_EPOCH, DELETION_TIME_EPOCH, TTL_EPOCH);

  public void serialize(DataOutputBuffer out) {
    out.writeUnsignedVInt(minTimestamp - TIMESTAMP_EPOCH);
    out.writeUnsignedVInt32((int) (minLocalDeletionTime - DELETION_TIME_EPOCH));
    out.writeUnsignedVInt32(minTTL - TTL_EPOCH);
  }

  public static EncodingStats deserialize(DataInputBuffer in) {
    long ts = in.readUnsignedVInt() + TIMESTAMP_EPOCH;
    long ldt = in.readUnsignedVInt32() + (long) DELETION_TIME_EPOCH;
    int ttl = in.readUnsignedVInt32() + TTL_EPOCH;
    return new EncodingStats(ts, ldt, ttl);
  }

  /** {@code EncodingStats.Collector}: what a memtable or a partition update accumulates. */
  public static final class Collector {
    private boolean timestampSet;
    private long minTimestamp = Long.MAX_VALUE;
    private boolean deletionTimeSet;
    private long minDeletionTime = Long.MAX_VALUE;
    private boolean ttlSet;
    private int minTTL = Integer.MAX_VALUE;

    public void update(LivenessInfo info) {
      if (info.isEmpty()) return;
      updateTimestamp(info.timestamp());
      if (info.isExpiring()) {
        updateTTL(info.ttl());
        updateLocalDeletionTime(info.localExpirationTime());
      }
    }

    public void update(Cell cell) {
      updateTimestamp(cell.timestamp());
      if (cell.isExpiring()) {
        updateTTL(cell.ttl());
        updateLocalDeletionTime(cell.localDeletionTime());
      } else if (cell.isTombstone()) {
        updateLocalDeletionTime(cell.localDeletionTime());
      }
    }

    public void update(DeletionTime d) {
      if (d.isLive()) return;
      updateTimestamp(d.markedForDeleteAt());
      updateLocalDeletionTime(d.localDeletionTime());
    }

    public void updateTimestamp(long ts) {
      timestampSet = true;
      minTimestamp = Math.min(minTimestamp, ts);
    }

    public void updateLocalDeletionTime(long ldt) {
      deletionTimeSet = true;
      minDeletionTime = Math.min(minDeletionTime, ldt);
    }

    public void updateTTL(int ttl) {
      ttlSet = true;
      minTTL = Math.min(minTTL, ttl);
    }

    public EncodingStats get() {
      return new EncodingStats(timestampSet ? minTimestamp : TIMESTAMP_EPOCH, deletionTimeSet ? minDeletionTime : DELETION_TIME_EPOCH,
          ttlSet ? minTTL : TTL_EPOCH);
    }
  }
}
