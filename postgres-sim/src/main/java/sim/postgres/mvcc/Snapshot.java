package sim.postgres.mvcc;

import java.util.Arrays;

/**
 * An MVCC snapshot (GetSnapshotData): every xid below xmin had finished, every xid at or above xmax had
 * not started, and xip lists the ones in between still running. {@code commitSeq} counts the commits that
 * happened before it was taken (used by SSI's "committed before snapshot" tests).
 */
public record Snapshot(int xmin, int xmax, int[] xip, long commitSeq, boolean suboverflowed,
    java.util.function.IntUnaryOperator topmost) {
  public Snapshot(int xmin, int xmax, int[] xip, long commitSeq) {
    this(xmin, xmax, xip, commitSeq, false, null);
  }

  /** XidInMVCCSnapshot: true when the snapshot must treat xid as still running. */
  public boolean sees(int xid) {
    return !isRunning(xid);
  }

  public boolean isRunning(int xid) {
    if (Xids.precedes(xid, xmin)) return false;
    if (!Xids.precedes(xid, xmax)) return true;
    if (suboverflowed) {
      xid = topmost.applyAsInt(xid); // the snapshot has no subxids: ask pg_subtrans for the top level
      if (Xids.precedes(xid, xmin)) return false;
    }
    for (int x : xip) if (x == xid) return true;
    return false;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(Xids.format(xmin)).append(':').append(Xids.format(xmax)).append(':');
    for (int i = 0; i < xip.length; i++) b.append(i > 0 ? "," : "").append(Xids.format(xip[i]));
    return suboverflowed ? b.append(" (suboverflowed)").toString() : b.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Snapshot s && s.xmin == xmin && s.xmax == xmax && Arrays.equals(s.xip, xip);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * xmin + xmax) + Arrays.hashCode(xip);
  }
}
