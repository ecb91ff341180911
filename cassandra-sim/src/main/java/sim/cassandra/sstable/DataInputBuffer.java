package sim.cassandra.sstable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads what {@link DataOutputBuffer} writes from a byte range. Running past the end, or a length that
 * cannot be, throws {@link CorruptSSTableException} naming the file and the position.
 */
public final class DataInputBuffer {
  private final byte[] buf;
  private final int limit;
  private int pos;
  private final String source;

  public DataInputBuffer(byte[] buf, String source) {
    this(buf, 0, buf.length, source);
  }

  public DataInputBuffer(byte[] buf, int offset, int length, String source) {
    this.buf = buf;
    this.pos = offset;
    this.limit = offset + length;
    this.source = source;
  }

  public int position() {
    return pos;
  }

  public void seek(int position) {
    if (position < 0 || position > limit) throw corrupt("seek to " + position + " past the end " + limit);
    pos = position;
  }

  public int remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  public String source() {
    return source;
  }

  public CorruptSSTableException corrupt(String what) {
    return new CorruptSSTableException(source, pos, what);
  }

  private void need(int n) {
    if (n < 0 || pos + n > limit) throw corrupt("needs " + n + " more bytes, " + (limit - pos) + " left");
  }

  public int readByte() {
    need(1);
    return buf[pos++];
  }

  public int readUnsignedByte() {
    return readByte() & 0xff;
  }

  public boolean readBoolean() {
    return readByte() != 0;
  }

  public int readShort() {
    need(2);
    int v = (short) (((buf[pos] & 0xff) << 8) | (buf[pos + 1] & 0xff));
    pos += 2;
    return v;
  }

  public int readUnsignedShort() {
    return readShort() & 0xffff;
  }

  public int readInt() {
    need(4);
    int v = ((buf[pos] & 0xff) << 24) | ((buf[pos + 1] & 0xff) << 16) | ((buf[pos + 2] & 0xff) << 8) | (buf[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  public long readLong() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) v = (v << 8) | (buf[pos + i] & 0xffL);
    pos += 8;
    return v;
  }

  public double readDouble() {
    return Double.longBitsToDouble(readLong());
  }

  public byte[] readBytes(int n) {
    need(n);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  /** Whether the next {@code length} bytes equal {@code other}'s first {@code length} (the position stays). */
  public boolean regionEquals(byte[] other, int length) {
    need(length);
    return java.util.Arrays.equals(buf, pos, pos + length, other, 0, length);
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }

  public String readUTF() {
    int n = readUnsignedShort();
    return new String(readBytes(n), StandardCharsets.UTF_8);
  }

  public long readUnsignedVInt() {
    int first = readByte();
    if (first >= 0) return first;
    int extra = Integer.numberOfLeadingZeros(~first) - 24;
    need(extra);
    long v = first & (0xff >> extra);
    for (int i = 0; i < extra; i++) v = (v << 8) | (buf[pos++] & 0xff);
    return v;
  }

  /** {@code readUnsignedVInt32}: the value must fit an int (sign-extended ones do). */
  public int readUnsignedVInt32() {
    long v = readUnsignedVInt();
    if (v != (int) v) throw corrupt(v + " is out of range for a 32-bit integer");
    return (int) v;
  }

  public long readVInt() {
    return DataOutputBuffer.decodeZigZag64(readUnsignedVInt());
  }

  public byte[] readWithShortLength() {
    return readBytes(readUnsignedShort());
  }

  public byte[] readWithVIntLength() {
    return readBytes(readUnsignedVInt32());
  }

  public byte[] readWithLength() {
    return readBytes(readInt());
  }
}
