package sim.kafka.record;

/**
 * Zig-zag variable-length integers as Kafka's {@code ByteUtils} writes them inside DefaultRecord: the sign
 * folded into the low bit, then 7 bits per byte, low group first, high bit set on every byte but the last.
 */
public final class Varint {
  private Varint() {}

  public static int sizeOfVarint(int value) {
    int v = (value << 1) ^ (value >> 31);
    int bytes = 1;
    while ((v & 0xffffff80) != 0) {
      bytes++;
      v >>>= 7;
    }
    return bytes;
  }

  public static int sizeOfVarlong(long value) {
    long v = (value << 1) ^ (value >> 63);
    int bytes = 1;
    while ((v & 0xffffffffffffff80L) != 0L) {
      bytes++;
      v >>>= 7;
    }
    return bytes;
  }

  /** Writes {@code value} at {@code pos}; returns the position after it. */
  public static int writeVarint(byte[] out, int pos, int value) {
    int v = (value << 1) ^ (value >> 31);
    while ((v & 0xffffff80) != 0) {
      out[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  public static int writeVarlong(byte[] out, int pos, long value) {
    long v = (value << 1) ^ (value >> 63);
    while ((v & 0xffffffffffffff80L) != 0L) {
      out[pos++] = (byte) ((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out[pos++] = (byte) v;
    return pos;
  }

  /** A cursor over bytes for reading varints with bounds checks that name what was being read. */
  public static final class Reader {
    private final byte[] bytes;
    private int pos;
    private final int end;

    public Reader(byte[] bytes, int pos, int end) {
      this.bytes = bytes;
      this.pos = pos;
      this.end = end;
    }

    public int position() {
      return pos;
    }

    public int remaining() {
      return end - pos;
    }

    public byte readByte(String what) {
      if (pos >= end) throw new CorruptRecordException("record ends inside " + what);
      return bytes[pos++];
    }

    public int readVarint(String what) {
      if (pos < end && bytes[pos] >= 0) { // one byte, as most lengths and deltas are
        int raw = bytes[pos++];
        return (raw >>> 1) ^ -(raw & 1);
      }
      int raw = 0;
      for (int shift = 0; shift <= 28; shift += 7) {
        int b = readByte(what);
        raw |= (b & 0x7f) << shift;
        if ((b & 0x80) == 0) return (raw >>> 1) ^ -(raw & 1);
      }
      throw new CorruptRecordException("varint of " + what + " longer than 5 bytes");
    }

    public long readVarlong(String what) {
      long raw = 0;
      for (int shift = 0; shift <= 63; shift += 7) {
        int b = readByte(what);
        raw |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) return (raw >>> 1) ^ -(raw & 1);
      }
      throw new CorruptRecordException("varlong of " + what + " longer than 10 bytes");
    }

    /** Skips {@code length} bytes (a length of -1, null, skips nothing). */
    public void skip(int length, String what) {
      if (length < 0) return;
      if (length > end - pos) throw new CorruptRecordException(what + " of " + length + " bytes overruns the record");
      pos += length;
    }

    /** Length-prefixed bytes; a length of -1 is null. */
    public byte[] readBytes(int length, String what) {
      if (length < 0) return null;
      if (length > end - pos) throw new CorruptRecordException(what + " of " + length + " bytes overruns the record");
      byte[] out = new byte[length];
      System.arraycopy(bytes, pos, out, 0, length);
      pos += length;
      return out;
    }
  }
}
