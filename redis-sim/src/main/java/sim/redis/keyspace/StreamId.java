package sim.redis.keyspace;

/** streamID: two unsigned 64-bit numbers, milliseconds and sequence, ordered as a 128-bit big-endian key. */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
  public static final StreamId MIN = new StreamId(0, 0);
  public static final StreamId MAX = new StreamId(-1L, -1L);

  @Override
  public int compareTo(StreamId o) {
    int c = Long.compareUnsigned(ms, o.ms);
    return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
  }

  /** streamIncrID: false when it would overflow (the ID is the maximum). */
  public StreamId next() {
    if (seq != -1L) return new StreamId(ms, seq + 1);
    if (ms != -1L) return new StreamId(ms + 1, 0);
    return null;
  }

  /** streamDecrID: null below 0-0. */
  public StreamId previous() {
    if (seq != 0) return new StreamId(ms, seq - 1);
    if (ms != 0) return new StreamId(ms - 1, -1L);
    return null;
  }

  public boolean isZero() {
    return ms == 0 && seq == 0;
  }

  @Override
  public String toString() {
    return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
  }
}
