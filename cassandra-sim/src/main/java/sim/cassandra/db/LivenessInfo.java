package sim.cassandra.db;

/**
 * A row's primary-key liveness marker: an INSERT writes one (so the row exists even with every column
 * null), an UPDATE does not. {@code ttl} seconds and {@code localExpirationTime} (seconds) for INSERT …
 * USING TTL. {@link #EMPTY} is "no marker".
 */
public record LivenessInfo(long timestamp, int ttl, long localExpirationTime) {
  public static final long NO_TIMESTAMP = Long.MIN_VALUE;
  public static final long NO_EXPIRATION_TIME = Long.MAX_VALUE;
  public static final LivenessInfo EMPTY = new LivenessInfo(NO_TIMESTAMP, 0, NO_EXPIRATION_TIME);

  public static LivenessInfo of(long timestamp, int ttl, long nowInSec) {
    return ttl > 0 ? new LivenessInfo(timestamp, ttl, nowInSec + ttl) : new LivenessInfo(timestamp, 0, NO_EXPIRATION_TIME);
  }

  public boolean isEmpty() {
    return timestamp == NO_TIMESTAMP;
  }

  public boolean isExpiring() {
    return ttl > 0;
  }

  public boolean isLive(long nowInSec) {
    return !isEmpty() && (!isExpiring() || nowInSec < localExpirationTime);
  }

  /**
   * {@code LivenessInfo.supersedes}: the later timestamp; on a tie an expiring marker beats a plain one,
   * and of two expiring ones the later expiration (then the smaller TTL).
   */
  public boolean supersedes(LivenessInfo o) {
    if (timestamp != o.timestamp) return timestamp > o.timestamp;
    if (isExpiring() == o.isExpiring()) {
      return localExpirationTime > o.localExpirationTime || (localExpirationTime == o.localExpirationTime && ttl < o.ttl);
    }
    return isExpiring();
  }

  public static LivenessInfo merge(LivenessInfo a, LivenessInfo b) {
    return b.supersedes(a) ? b : a;
  }

  @Override
  public String toString() {
    if (isEmpty()) return "-";
    return "ts=" + timestamp + (isExpiring() ? ",ttl=" + ttl + ",exp=" + localExpirationTime : "");
  }
}
