package sim.cassandra.db;

import java.io.DataOutput;
import java.io.UTFDataFormatException;
import java.util.Arrays;

/**
 * A growable big-endian {@link DataOutput} over one byte array, writing exactly what a
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream} writes (including {@code writeUTF}'s modified
 * UTF-8), without the two streams' per-call locking and buffer copies, and reusable ({@link #clear}) so the
 * commit log's hot path encodes every entry into the same array.
 */
public final class ByteSink implements DataOutput {
  private byte[] buf;
  private int pos;

  public ByteSink(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int position() {
    return pos;
  }

  public void clear() {
    pos = 0;
  }

  /** The internal array, valid up to {@link #position}. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  /** Overwrites four bytes already written at {@code at} (a length or checksum filled in afterwards). */
  public void putInt(int at, int v) {
    buf[at] = (byte) (v >>> 24);
    buf[at + 1] = (byte) (v >>> 16);
    buf[at + 2] = (byte) (v >>> 8);
    buf[at + 3] = (byte) v;
  }

  private void ensure(int more) {
    if (pos + more <= buf.length) return;
    buf = Arrays.copyOf(buf, Math.max(buf.length << 1, pos + more));
  }

  @Override
  public void write(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  @Override
  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  @Override
  public void writeBoolean(boolean v) {
    write(v ? 1 : 0);
  }

  @Override
  public void writeByte(int v) {
    write(v);
  }

  @Override
  public void writeShort(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  @Override
  public void writeChar(int v) {
    writeShort(v);
  }

  @Override
  public void writeInt(int v) {
    ensure(4);
    putInt(pos, v);
    pos += 4;
  }

  @Override
  public void writeLong(long v) {
    ensure(8);
    putInt(pos, (int) (v >>> 32));
    putInt(pos + 4, (int) v);
    pos += 8;
  }

  @Override
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
  }

  @Override
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  @Override
  public void writeBytes(String s) {
    ensure(s.length());
    for (int i = 0; i < s.length(); i++) buf[pos++] = (byte) s.charAt(i);
  }

  @Override
  public void writeChars(String s) {
    for (int i = 0; i < s.length(); i++) writeChar(s.charAt(i));
  }

  /** {@code DataOutputStream.writeUTF}: a 2-byte length, then modified UTF-8 (U+0000 as two bytes, surrogates one by one). */
  @Override
  public void writeUTF(String s) throws UTFDataFormatException {
    int n = s.length();
    long encoded = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == 0) encoded += c >= 0x800 ? 2 : 1;
    }
    if (encoded > 65535) throw new UTFDataFormatException("encoded string too long: " + encoded + " bytes");
    ensure(2 + (int) encoded);
    buf[pos++] = (byte) (encoded >>> 8);
    buf[pos++] = (byte) encoded;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80 && c != 0) {
        buf[pos++] = (byte) c;
      } else if (c >= 0x800) {
        buf[pos++] = (byte) (0xE0 | ((c >> 12) & 0x0F));
        buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      } else {
        buf[pos++] = (byte) (0xC0 | ((c >> 6) & 0x1F));
        buf[pos++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }
}
