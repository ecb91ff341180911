package sim.cassandra.metrics;

import java.util.Arrays;

/**
 * Cassandra's {@code DecayingEstimatedHistogramReservoir} (5.0), the reservoir behind a table's
 * {@code coordinatorReadLatency}, whose 99th percentile is the default {@code speculative_retry} threshold.
 * Values (microseconds) fall into 164 buckets whose upper bounds grow by 1.2 (1, 2, 3, 4, 5, 6, 7, 8, 10, 12,
 * 14, 17, …; a bucket holds (previous bound, its bound]), plus one overflow bucket. Forward decay makes recent
 * values count more: a value recorded t whole seconds after the landmark adds
 * {@code round(exp(t / MEAN_LIFETIME_IN_S))} to its bucket (the weight doubles every {@code HALF_TIME_IN_S}),
 * a snapshot divides every bucket by the weight of its own moment, and the landmark is reset after 30 minutes.
 * Time is the owning node's monotonic clock, in nanoseconds.
 */
public final class DecayingHistogram {
  public static final int DEFAULT_BUCKET_COUNT = 164;
  public static final long HALF_TIME_IN_S = 60;
  public static final double MEAN_LIFETIME_IN_S = HALF_TIME_IN_S / Math.log(2.0);
  public static final long LANDMARK_RESET_INTERVAL_NANOS = 30L * 60 * 1_000_000_000L;
  private static final long[] OFFSETS = newOffsets(DEFAULT_BUCKET_COUNT);

  private final long[] buckets = new long[OFFSETS.length + 1];
  private long decayLandmarkNanos;

  public DecayingHistogram(long nowNanos) {
    this.decayLandmarkNanos = nowNanos;
  }

  /** EstimatedHistogram.newOffsets(size, considerZeroes = false). */
  static long[] newOffsets(int size) {
    long[] result = new long[size];
    long last = 1;
    result[0] = last;
    for (int i = 1; i < size; i++) {
      long next = Math.round(last * 1.2d);
      if (next == last) next++;
      result[i] = next;
      last = next;
    }
    return result;
  }

  public static long[] bucketOffsets() {
    return OFFSETS.clone();
  }

  /** The bucket holding {@code value}: the first whose upper bound is at least it (the last one past them all). */
  static int findIndex(long value) {
    int i = Arrays.binarySearch(OFFSETS, Math.max(value, 0));
    return i >= 0 ? i : -i - 1;
  }

  public void update(long value, long nowNanos) {
    rescaleIfNeeded(nowNanos);
    buckets[findIndex(value)] += weight(nowNanos);
  }

  /**
   * The value at {@code quantile} of a snapshot taken now: the upper bound of the bucket where the decayed
   * counts reach {@code ceil(count * quantile)}; 0 when empty; -1 when the overflow bucket holds anything
   * (Cassandra throws there, and the caller keeps its previous value).
   */
  public long value(double quantile, long nowNanos) {
    rescaleIfNeeded(nowNanos);
    double w = weight(nowNanos);
    long[] decayed = new long[buckets.length];
    long count = 0;
    for (int i = 0; i < buckets.length; i++) {
      decayed[i] = Math.round(buckets[i] / w);
      count += decayed[i];
    }
    if (decayed[decayed.length - 1] > 0) return -1;
    long qcount = (long) Math.ceil(count * quantile);
    if (qcount == 0) return 0;
    long elements = 0;
    for (int i = 0; i < decayed.length - 1; i++) {
      elements += decayed[i];
      if (elements >= qcount) return OFFSETS[i];
    }
    return 0;
  }

  /** The number of values recorded, undecayed weights included (a snapshot's size > 0 means "has samples"). */
  public long size(long nowNanos) {
    double w = weight(nowNanos);
    long n = 0;
    for (long b : buckets) n += Math.round(b / w);
    return n;
  }

  private long weight(long nowNanos) {
    long seconds = (nowNanos - decayLandmarkNanos) / 1_000_000_000L;
    // StrictMath: the same bits on every JVM, so a run's trace does not depend on the platform's exp intrinsic
    return Math.round(StrictMath.exp(seconds / MEAN_LIFETIME_IN_S));
  }

  private void rescaleIfNeeded(long nowNanos) {
    if (nowNanos - decayLandmarkNanos <= LANDMARK_RESET_INTERVAL_NANOS) return;
    double w = weight(nowNanos);
    for (int i = 0; i < buckets.length; i++) buckets[i] = Math.round(buckets[i] / w);
    decayLandmarkNanos = nowNanos;
  }
}
