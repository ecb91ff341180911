package sim.postgres.wal;

import sim.postgres.heap.Tid;

/** Reads what {@link WalWriter} wrote; running past the end throws (a torn record: redo stops there). */
public final class WalReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public WalReader(byte[] buf, int from, int to) {
    this.buf = buf;
    this.pos = from;
    this.end = to;
  }

  public WalReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  private void need(int n) {
    if (pos + n > end) throw new IllegalArgumentException("WAL record ends after " + (end - pos) + " more bytes, needs " + n);
  }

  public boolean atEnd() {
    return pos == end;
  }

  public int u8() {
    need(1);
    return buf[pos++] & 0xff;
  }

  public boolean bool() {
    return u8() != 0;
  }

  public int u16() {
    need(2);
    int v = ((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  public int i32() {
    need(4);
    int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long i64() {
    long hi = i32();
    return (hi << 32) | (i32() & 0xffffffffL);
  }

  public Tid tid() {
    return new Tid(i32(), u16());
  }

  public byte[] blob() {
    int n = i32();
    if (n < 0) throw new IllegalArgumentException("negative length " + n);
    need(n);
    byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return b;
  }
}
