package sim.es.index;

/**
 * Lucene's one-byte encoding of a field's length (its norm), {@code SmallFloat.intToByte4}: lengths 0..23
 * exactly, larger ones as a 4-bit mantissa and an exponent, so a 1,000-token field and a 1,020-token field
 * store the same byte and score the same. BM25 reads the decoded length back through {@link #byte4ToInt}.
 */
public final class SmallFloat {
  private static final int MAX_INT4 = longToInt4(Integer.MAX_VALUE);
  private static final int NUM_FREE_VALUES = 255 - MAX_INT4;

  private SmallFloat() {}

  static int longToInt4(long i) {
    if (i < 0) throw new IllegalArgumentException("Only supports positive values, got " + i);
    int numBits = 64 - Long.numberOfLeadingZeros(i);
    if (numBits < 4) return Math.toIntExact(i); // subnormal
    int shift = numBits - 4;
    int encoded = Math.toIntExact(i >>> shift) & 0x07; // the 3 bits after the implicit leading one
    return encoded | (shift + 1) << 3;
  }

  static long int4ToLong(int i) {
    long bits = i & 0x07;
    int shift = (i >>> 3) - 1;
    return shift == -1 ? bits : (bits | 0x08) << shift;
  }

  public static byte intToByte4(int i) {
    if (i < 0) throw new IllegalArgumentException("Only supports positive values, got " + i);
    return i < NUM_FREE_VALUES ? (byte) i : (byte) (NUM_FREE_VALUES + longToInt4(i - NUM_FREE_VALUES));
  }

  public static int byte4ToInt(byte b) {
    int i = Byte.toUnsignedInt(b);
    return i < NUM_FREE_VALUES ? i : Math.toIntExact(NUM_FREE_VALUES + int4ToLong(i - NUM_FREE_VALUES));
  }
}
