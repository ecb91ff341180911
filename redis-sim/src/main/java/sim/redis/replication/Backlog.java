package sim.redis.replication;

/**
 * The replication backlog (server.repl_backlog): the last {@code repl-backlog-size} bytes of the replication
 * stream in a circular buffer, so a replica that reconnects can be sent what it missed (+CONTINUE) instead of a
 * whole RDB. {@code offset} is the stream offset of the first byte held (repl_backlog_first_byte_offset),
 * {@code histlen} how many bytes are held. Redis 7.0 keeps the backlog as shared reference-counted blocks; the
 * bytes and the offsets it exposes are the same.
 */
final class Backlog {
  private byte[] buf;
  private int idx; // where the next byte goes
  private long histlen;
  private long offset;

  /** createReplicationBacklog: empty, the next byte fed is master_repl_offset + 1. */
  Backlog(long size, long masterReplOffset) {
    this.buf = new byte[(int) Math.min(size, Integer.MAX_VALUE - 8)];
    this.offset = masterReplOffset + 1;
  }

  /** feedReplicationBuffer: appends, overwriting the oldest bytes once full. */
  void feed(byte[] p, int from, int len) {
    for (int i = 0; i < len; ) {
      int n = Math.min(buf.length - idx, len - i);
      System.arraycopy(p, from + i, buf, idx, n);
      idx = (idx + n) % buf.length;
      i += n;
    }
    long end = offset + histlen + len; // one past the last byte's offset
    histlen = Math.min(histlen + len, buf.length);
    offset = end - histlen;
  }

  /** resizeReplicationBacklog (CONFIG SET repl-backlog-size): keeps the newest bytes that fit. */
  void resize(long size) {
    int n = (int) Math.min(size, Integer.MAX_VALUE - 8);
    if (n == buf.length) return;
    long keep = Math.min(histlen, n);
    byte[] tail = read(offset + histlen - keep, keep);
    buf = new byte[n];
    idx = 0;
    long end = offset + histlen;
    histlen = 0;
    offset = end - keep;
    feed(tail, 0, tail.length);
    offset = end - histlen;
  }

  /** The bytes from stream offset {@code from} on (addReplyReplicationBacklog); from must lie inside. */
  byte[] readFrom(long from) {
    return read(from, offset + histlen - from);
  }

  private byte[] read(long from, long count) {
    byte[] out = new byte[(int) count];
    long skip = from - offset;
    int start = (int) (((idx - histlen + skip) % buf.length + buf.length) % buf.length);
    for (int i = 0; i < count; i++) out[i] = buf[(start + i) % buf.length];
    return out;
  }

  /** True when a replica asking for {@code psyncOffset} can be served from here. */
  boolean covers(long psyncOffset) {
    return psyncOffset >= offset && psyncOffset <= offset + histlen;
  }

  long offset() {
    return offset;
  }

  long histlen() {
    return histlen;
  }

  long size() {
    return buf.length;
  }
}
