package sim.cassandra.sstable;

import java.util.Arrays;

/**
 * When an SSTable's tombstones become droppable ({@code StreamingTombstoneHistogramBuilder}): local deletion
 * times rounded up to 60 s, counted in at most 100 bins (the two nearest bins merge when a 101st appears),
 * through a spool of 2^17 hashed cells as Cassandra's builder does, so the bins come out the same.
 * Compaction reads it to estimate droppable tombstones. Serialized in the pre-5.0 form (double point, long
 * count) that version {@code nb} uses.
 */
public final class TombstoneHistogram {
  public static final int BIN_SIZE = 100;
  public static final int SPOOL_SIZE = 100_000;
  public static final int ROUND_SECONDS = 60;
  private static final long EMPTY = Long.MAX_VALUE;
  private static final long MAX_DELETION_TIME = 0xFFFFFFFFL - 2;

  private final long[] points;
  private final int[] values;
  private long[] spoolPoints;
  private int[] spoolValues;
  private final int spoolCapacity;
  private int spoolSize;

  /** A builder with Cassandra's sizes. */
  public TombstoneHistogram() {
    this(BIN_SIZE + 1, SPOOL_SIZE);
  }

  private TombstoneHistogram(int binCapacity, int spoolRequested) {
    points = new long[binCapacity];
    values = new int[binCapacity];
    Arrays.fill(points, EMPTY);
    spoolCapacity = spoolRequested == 0 ? 0 : Integer.highestOneBit(spoolRequested - 1) << 1;
    spoolPoints = null;
  }

  private void allocateSpool() {
    spoolPoints = new long[spoolCapacity * 2];
    spoolValues = new int[spoolCapacity * 2];
    Arrays.fill(spoolPoints, -1);
    spoolSize = 0;
  }

  /**
   * Until a 101st distinct point arrives no bins merge, so the order the spool hands them over in does not
   * matter and a short list in arrival order stands in for the 3 MB spool; past that the real spool takes
   * over, replaying the points in the order they first came (which is what decides their cells).
   */
  private final long[] fewPoints = new long[BIN_SIZE];
  private final int[] fewValues = new int[BIN_SIZE];
  private int few;

  public void update(long point) {
    point = ceilKey(point);
    if (spoolPoints == null) {
      for (int i = 0; i < few; i++) {
        if (fewPoints[i] == point) {
          fewValues[i] = saturatingInt((long) fewValues[i] + 1);
          return;
        }
      }
      if (few < BIN_SIZE) {
        fewPoints[few] = point;
        fewValues[few++] = 1;
        return;
      }
      allocateSpool();
      for (int i = 0; i < few; i++) spoolAdd(fewPoints[i], fewValues[i]);
      few = 0;
    }
    if (!spoolAdd(point, 1)) {
      flush();
      spoolAdd(point, 1);
    }
  }

  private boolean spoolAdd(long point, int delta) {
    if (spoolSize > spoolCapacity) return false;
    int cell = (spoolCapacity - 1) & (int) (point * 948701839L);
    for (int attempt = 0; attempt < 100; attempt++) {
      int c = (cell + attempt) % spoolPoints.length;
      if (spoolPoints[c] == -1) {
        spoolPoints[c] = point;
        spoolValues[c] = delta;
        spoolSize++;
        return true;
      }
      if (spoolPoints[c] == point) {
        spoolValues[c] = saturatingInt((long) spoolValues[c] + delta);
        return true;
      }
    }
    return false;
  }

  private void flush() {
    for (int i = 0; i < few; i++) addValue(fewPoints[i], fewValues[i]);
    few = 0;
    if (spoolPoints == null) return;
    for (int i = 0; i < spoolPoints.length; i++) {
      if (spoolPoints[i] == -1) continue;
      addValue(spoolPoints[i], spoolValues[i]);
      if (points[points.length - 1] != EMPTY) mergeNearestPoints();
    }
    Arrays.fill(spoolPoints, -1);
    spoolSize = 0;
  }

  private void addValue(long point, int delta) {
    int index = Arrays.binarySearch(points, point);
    if (index >= 0) {
      values[index] = saturatingInt((long) values[index] + delta);
      return;
    }
    index = -index - 1;
    System.arraycopy(points, index, points, index + 1, points.length - index - 1);
    System.arraycopy(values, index, values, index + 1, values.length - index - 1);
    points[index] = point;
    values[index] = delta;
  }

  private void mergeNearestPoints() {
    long point1 = 0;
    long point2 = Long.MAX_VALUE;
    int index = 0;
    for (int i = 0; i < points.length - 1; i++) {
      if (point2 - point1 > points[i + 1] - points[i]) {
        point1 = points[i];
        point2 = points[i + 1];
        index = i;
      }
    }
    long value1 = values[index];
    long value2 = values[index + 1];
    long a = saturatingLong(point1 * value1);
    long b = saturatingLong(point2 * value2);
    long sum = saturatingLong(value1 + value2);
    long newPoint = Math.min(saturatingLong(a + b) / sum, MAX_DELETION_TIME);
    newPoint = newPoint <= point1 ? Math.min(point1 + 1, MAX_DELETION_TIME) : newPoint;
    newPoint = ceilKey(Math.min(newPoint, point2));
    points[index] = newPoint;
    values[index] = saturatingInt(sum);
    System.arraycopy(points, index + 2, points, index + 1, points.length - index - 2);
    System.arraycopy(values, index + 2, values, index + 1, values.length - index - 2);
    points[points.length - 1] = EMPTY;
    values[values.length - 1] = 0;
  }

  private static long ceilKey(long point) {
    long delta = point % ROUND_SECONDS;
    return delta == 0 ? point : Math.min(point + ROUND_SECONDS - delta, MAX_DELETION_TIME);
  }

  private static int saturatingInt(long v) {
    return (int) (v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v);
  }

  private static long saturatingLong(long v) {
    return v < 0 ? Long.MAX_VALUE : v;
  }

  public int size() {
    flush();
    int n = 0;
    while (n < points.length && points[n] != EMPTY) n++;
    return n;
  }

  public void serialize(DataOutputBuffer out) {
    int size = size();
    out.writeInt(size);
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      out.writeDouble(points[i]);
      out.writeLong(values[i]);
    }
  }

  public static TombstoneHistogram deserialize(DataInputBuffer in) {
    in.readInt();
    int size = in.readInt();
    if (size < 0 || size > 1 << 20) throw in.corrupt("tombstone histogram of " + size + " bins");
    TombstoneHistogram h = new TombstoneHistogram(size + 1, 0);
    for (int i = 0; i < size; i++) {
      long point = (long) in.readDouble();
      h.addValue(point, saturatingInt(in.readLong()));
    }
    return h;
  }
}
