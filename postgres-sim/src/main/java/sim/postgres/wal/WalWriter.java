package sim.postgres.wal;

import java.util.Arrays;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;

/**
 * A growable big-endian byte buffer that WAL records encode themselves into: the WAL buffers themselves
 * (records are written in place, no intermediate arrays) or a standalone array for tests. Lengths are
 * never summed by hand: a record's size is where the writer ends up.
 */
public final class WalWriter {
  private byte[] buf;
  private int pos;

  public WalWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int position() {
    return pos;
  }

  byte[] array() {
    return buf;
  }

  /** Forgets everything written (the WAL buffers after XLogWrite). */
  void clear() {
    pos = 0;
  }

  /** Reserves {@code n} bytes to fill in later (a frame header); returns their offset. */
  int skip(int n) {
    ensure(n);
    int at = pos;
    pos += n;
    return at;
  }

  void putIntAt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
  }

  public WalWriter u8(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public WalWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  public WalWriter u16(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
    return this;
  }

  public WalWriter i32(int v) {
    ensure(4);
    putIntAt(pos, v);
    pos += 4;
    return this;
  }

  public WalWriter i64(long v) {
    return i32((int) (v >>> 32)).i32((int) v);
  }

  public WalWriter tid(Tid t) {
    return i32(t.block()).u16(t.offset());
  }

  /** A length-prefixed byte string. */
  public WalWriter blob(byte[] b) {
    i32(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    return this;
  }

  /** A length-prefixed tuple image in the heap page layout, encoded straight into this buffer. */
  public WalWriter tuple(Table table, HeapTuple t) {
    int len = PageCodec.tupleLength(table, t);
    i32(len);
    ensure(len);
    PageCodec.encodeTupleInto(table, t, buf, pos);
    pos += len;
    return this;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
