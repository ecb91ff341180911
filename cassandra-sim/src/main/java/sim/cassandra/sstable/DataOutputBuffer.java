package sim.cassandra.sstable;

import java.io.DataOutput;
import java.util.Arrays;

/**
 * A growable big-endian byte buffer with the writes Cassandra's {@code DataOutputPlus} offers, including
 * its variable-length integers ({@code VIntCoding}): an unsigned vint puts the count of extra bytes in the
 * leading one-bits of the first byte, big-endian, so values below 128 take one byte and any 64-bit value
 * at most nine; a signed vint is the zigzag of the value, unsigned. It is a {@link DataOutput} writing exactly what a
 * {@code DataOutputStream} over a {@code ByteArrayOutputStream} writes (modified UTF-8 included), without the two
 * streams' per-call locking and copies. Reused across writes on the hot path ({@link #clear}): the commit log encodes
 * every entry into the same array.
 */
public final class DataOutputBuffer implements DataOutput {
  private byte[] buf;
  private int pos;

  public DataOutputBuffer(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  public int position() {
    return pos;
  }

  public void clear() {
    pos = 0;
  }

  /** The internal array (valid up to {@link #position}). */
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

  @Override
  public void write(int b) {
    writeByte(b);
  }

  @Override
  public void writeChar(int v) {
    writeShort(v);
  }

  @Override
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
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

  private void ensure(int more) {
    if (pos + more <= buf.length) return;
    buf = Arrays.copyOf(buf, Math.max(buf.length << 1, pos + more));
  }

  public void writeByte(int v) {
    ensure(1);
    buf[pos++] = (byte) v;
  }

  public void writeBoolean(boolean v) {
    writeByte(v ? 1 : 0);
  }

  public void writeShort(int v) {
    ensure(2);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  public void writeInt(int v) {
    ensure(4);
    buf[pos++] = (byte) (v >>> 24);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) v;
  }

  public void writeLong(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) buf[pos++] = (byte) (v >>> shift);
  }

  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  public void write(byte[] b) {
    write(b, 0, b.length);
  }

  public void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, pos, len);
    pos += len;
  }

  /** {@code DataOutputStream.writeUTF}: a 2-byte length, then modified UTF-8 (U+0000 as two bytes, surrogates one by one). */
  @Override
  public void writeUTF(String s) {
    int n = s.length();
    long encoded = n;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80 || c == 0) encoded += c >= 0x800 ? 2 : 1;
    }
    if (encoded > 65535) throw new IllegalArgumentException("writeUTF: encoded string too long: " + encoded + " bytes");
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

  public void writeUnsignedVInt(long value) {
    int size = computeUnsignedVIntSize(value);
    ensure(size);
    if (size == 1) {
      buf[pos++] = (byte) value;
      return;
    }
    if (size == 9) {
      buf[pos++] = (byte) 0xFF;
      writeLong(value);
      return;
    }
    int extraBytes = size - 1;
    long register = (value << ((8 - size) << 3)) | ((long) (~(0xff >> extraBytes)) << 56);
    for (int i = 0, shift = 56; i < size; i++, shift -= 8) buf[pos++] = (byte) (register >>> shift);
  }

  /** {@code writeUnsignedVInt32}: the int sign-extended to a long (a negative delta takes nine bytes). */
  public void writeUnsignedVInt32(int value) {
    writeUnsignedVInt(value);
  }

  public void writeVInt(long value) {
    writeUnsignedVInt(encodeZigZag64(value));
  }

  public void writeWithShortLength(byte[] b) {
    writeShort(b.length);
    write(b);
  }

  public void writeWithVIntLength(byte[] b) {
    writeUnsignedVInt(b.length);
    write(b);
  }

  public void writeWithLength(byte[] b) {
    writeInt(b.length);
    write(b);
  }

  public static int computeUnsignedVIntSize(long value) {
    int magnitude = Long.numberOfLeadingZeros(value | 1);
    return (639 - magnitude * 9) >> 6;
  }

  public static int sizeofWithVIntLength(int length) {
    return computeUnsignedVIntSize(length) + length;
  }

  public static long encodeZigZag64(long n) {
    return (n << 1) ^ (n >> 63);
  }

  public static long decodeZigZag64(long n) {
    return (n >>> 1) ^ -(n & 1);
  }
}
