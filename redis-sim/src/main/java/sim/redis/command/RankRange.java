package sim.redis.command;

/**
 * A start/stop pair of positions over a list or sorted set of {@code len} elements, as LRANGE, LTRIM, ZRANGE and
 * ZREMRANGEBYRANK read it (addListRangeReply, ltrimCommand, zrangeGenericCommand, zremrangeGenericCommand):
 * negative positions count from the end, the start is clamped to 0 and the stop to the last element.
 */
record RankRange(long start, long end) {
  /** The inclusive range, or null when it selects nothing (start past stop, or past the end). */
  static RankRange of(long start, long end, long len) {
    if (start < 0) start = len + start;
    if (end < 0) end = len + end;
    if (start < 0) start = 0;
    if (start > end || start >= len) return null;
    if (end >= len) end = len - 1;
    return new RankRange(start, end);
  }

  long count() {
    return end - start + 1;
  }
}
