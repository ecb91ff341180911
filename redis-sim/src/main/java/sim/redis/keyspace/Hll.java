package sim.redis.keyspace;

/**
 * HyperLogLog as Redis 7.0 stores it in a string (hyperloglog.c): a 16-byte header ("HYLL", encoding,
 * 3 unused bytes, the cached cardinality with its invalid bit), then either the sparse encoding (ZERO, XZERO
 * and VAL opcodes, edited in place and merged as Redis does) or 16384 dense 6-bit registers. MurmurHash64A
 * with seed 0xadc83b19 picks the register and the run length; the estimate is Ertl's (hllSigma, hllTau). The
 * bytes match Redis's, so GET of an HLL key and its RDB/AOF forms are identical.
 */
public final class Hll {
  public static final int P = 14;
  public static final int Q = 64 - P;
  public static final int REGISTERS = 1 << P;
  public static final int BITS = 6;
  public static final int REGISTER_MAX = (1 << BITS) - 1;
  public static final int HDR_SIZE = 16;
  public static final int DENSE_SIZE = HDR_SIZE + (REGISTERS * BITS + 7) / 8;
  public static final int DENSE = 0;
  public static final int SPARSE = 1;
  private static final int SPARSE_VAL_MAX_VALUE = 32;
  private static final int SPARSE_VAL_MAX_LEN = 4;
  private static final int SPARSE_ZERO_MAX_LEN = 64;
  private static final int SPARSE_XZERO_MAX_LEN = 16384;

  /** A mutable HLL value being edited (bytes as 0..255 ints in a byte-per-char string when stored). */
  private byte[] b;
  private int len;

  private Hll(byte[] b, int len) {
    this.b = b;
    this.len = len;
  }

  public static Hll fromString(String s) {
    byte[] b = new byte[s.length() + 8];
    for (int i = 0; i < s.length(); i++) b[i] = (byte) s.charAt(i);
    return new Hll(b, s.length());
  }

  /** createHLLObject: a sparse HLL with every register zero (one XZERO opcode). */
  public static Hll empty() {
    int sparseLen = HDR_SIZE + ((REGISTERS + (SPARSE_XZERO_MAX_LEN - 1)) / SPARSE_XZERO_MAX_LEN) * 2;
    byte[] b = new byte[sparseLen + 8];
    b[0] = 'H';
    b[1] = 'Y';
    b[2] = 'L';
    b[3] = 'L';
    b[4] = SPARSE;
    int p = HDR_SIZE;
    int aux = REGISTERS;
    while (aux > 0) {
      int xzero = Math.min(SPARSE_XZERO_MAX_LEN, aux);
      xzeroSet(b, p, xzero);
      p += 2;
      aux -= xzero;
    }
    return new Hll(b, sparseLen);
  }

  public String asString() {
    char[] out = new char[len];
    for (int i = 0; i < len; i++) out[i] = (char) (b[i] & 0xff);
    return new String(out);
  }

  /** isHLLObjectOrReply's checks: the header, a known encoding, the dense size. */
  public static boolean valid(String s) {
    if (s.length() < HDR_SIZE) return false;
    if (s.charAt(0) != 'H' || s.charAt(1) != 'Y' || s.charAt(2) != 'L' || s.charAt(3) != 'L') return false;
    int enc = s.charAt(4);
    if (enc > 1) return false;
    return enc != DENSE || s.length() == DENSE_SIZE;
  }

  public int encoding() {
    return b[4];
  }

  private static int u(byte x) {
    return x & 0xff;
  }

  // ---- opcodes ----------------------------------------------------------------------------------------

  private static boolean isZero(byte x) {
    return (x & 0xc0) == 0;
  }

  private static boolean isXzero(byte x) {
    return (x & 0xc0) == 0x40;
  }

  private static boolean isVal(byte x) {
    return (x & 0x80) != 0;
  }

  private static int zeroLen(byte x) {
    return (x & 0x3f) + 1;
  }

  private static int xzeroLen(byte[] b, int p) {
    return (((b[p] & 0x3f) << 8) | u(b[p + 1])) + 1;
  }

  private static int valValue(byte x) {
    return ((x >> 2) & 0x1f) + 1;
  }

  private static int valLen(byte x) {
    return (x & 0x3) + 1;
  }

  private static void zeroSet(byte[] b, int p, int len) {
    b[p] = (byte) (len - 1);
  }

  private static void xzeroSet(byte[] b, int p, int len) {
    int l = len - 1;
    b[p] = (byte) ((l >> 8) | 0x40);
    b[p + 1] = (byte) (l & 0xff);
  }

  private static void valSet(byte[] b, int p, int val, int len) {
    b[p] = (byte) ((((val - 1) << 2) | (len - 1)) | 0x80);
  }

  // ---- dense registers -------------------------------------------------------------------------------

  private int denseGet(int reg) {
    int base = HDR_SIZE;
    int byteIdx = reg * BITS / 8;
    int fb = reg * BITS & 7;
    int fb8 = 8 - fb;
    int b0 = u(b[base + byteIdx]);
    int b1 = base + byteIdx + 1 < len ? u(b[base + byteIdx + 1]) : 0;
    return ((b0 >> fb) | (b1 << fb8)) & REGISTER_MAX;
  }

  private void denseSetRegister(int reg, int v) {
    int base = HDR_SIZE;
    int byteIdx = reg * BITS / 8;
    int fb = reg * BITS & 7;
    int fb8 = 8 - fb;
    b[base + byteIdx] &= (byte) ~(REGISTER_MAX << fb);
    b[base + byteIdx] |= (byte) (v << fb);
    if (base + byteIdx + 1 < b.length) {
      b[base + byteIdx + 1] &= (byte) ~(REGISTER_MAX >> fb8);
      b[base + byteIdx + 1] |= (byte) (v >> fb8);
    }
  }

  private int denseSet(int reg, int count) {
    if (count > denseGet(reg)) {
      denseSetRegister(reg, count);
      return 1;
    }
    return 0;
  }

  /** hllAdd: 1 when a register changed, 0 when not, -1 for a corrupted sparse HLL. */
  public int add(String ele, long sparseMaxBytes) {
    int[] pl = HllHash.patLen(ele);
    if (encoding() == DENSE) return denseSet(pl[0], pl[1]);
    return sparseSet(pl[0], pl[1], sparseMaxBytes);
  }

  private void ensure(int extra) {
    if (len + extra + 1 > b.length) b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, len + extra + 8));
  }

  /** hllSparseSet, opcode by opcode as Redis edits it, promoting to dense when needed. */
  int sparseSet(int index, int count, long sparseMaxBytes) {
    if (count > SPARSE_VAL_MAX_VALUE) return promote(index, count);
    ensure(3);
    int sparse = HDR_SIZE;
    int p = sparse;
    int end = len;
    int first = 0;
    int prev = -1;
    int span = 0;
    while (p < end) {
      int oplen = 1;
      if (isZero(b[p])) span = zeroLen(b[p]);
      else if (isVal(b[p])) span = valLen(b[p]);
      else {
        span = xzeroLen(b, p);
        oplen = 2;
      }
      if (index <= first + span - 1) break;
      prev = p;
      p += oplen;
      first += span;
    }
    if (span == 0 || p >= end) return -1;
    int next = isXzero(b[p]) ? p + 2 : p + 1;
    if (next >= end) next = -1;
    boolean isZero = false;
    boolean isXzero = false;
    boolean isVal = false;
    int runlen;
    if (isZero(b[p])) {
      isZero = true;
      runlen = zeroLen(b[p]);
    } else if (isXzero(b[p])) {
      isXzero = true;
      runlen = xzeroLen(b, p);
    } else {
      isVal = true;
      runlen = valLen(b[p]);
    }
    boolean updatedInPlace = false;
    if (isVal) {
      int old = valValue(b[p]);
      if (old >= count) return 0;
      if (runlen == 1) {
        valSet(b, p, count, 1);
        updatedInPlace = true;
      }
    }
    if (!updatedInPlace && isZero && runlen == 1) {
      valSet(b, p, count, 1);
      updatedInPlace = true;
    }
    if (!updatedInPlace) {
      byte[] seq = new byte[5];
      int n = 0;
      int last = first + span - 1;
      if (isZero || isXzero) {
        if (index != first) {
          int l = index - first;
          if (l > SPARSE_ZERO_MAX_LEN) {
            xzeroSet(seq, n, l);
            n += 2;
          } else {
            zeroSet(seq, n, l);
            n++;
          }
        }
        valSet(seq, n, count, 1);
        n++;
        if (index != last) {
          int l = last - index;
          if (l > SPARSE_ZERO_MAX_LEN) {
            xzeroSet(seq, n, l);
            n += 2;
          } else {
            zeroSet(seq, n, l);
            n++;
          }
        }
      } else {
        int curval = valValue(b[p]);
        if (index != first) {
          valSet(seq, n, curval, index - first);
          n++;
        }
        valSet(seq, n, count, 1);
        n++;
        if (index != last) {
          valSet(seq, n, curval, last - index);
          n++;
        }
      }
      int oldlen = isXzero ? 2 : 1;
      int delta = n - oldlen;
      if (delta > 0 && len + delta > sparseMaxBytes) return promote(index, count);
      if (delta != 0 && next >= 0) System.arraycopy(b, next, b, next + delta, end - next);
      len += delta;
      System.arraycopy(seq, 0, b, p, n);
      end += delta;
    }
    // Step 4: merge adjacent VAL opcodes with the same value
    p = prev >= 0 ? prev : sparse;
    int scan = 5;
    while (p < end && scan-- > 0) {
      if (isXzero(b[p])) {
        p += 2;
        continue;
      } else if (isZero(b[p])) {
        p++;
        continue;
      }
      if (p + 1 < end && isVal(b[p + 1])) {
        int v1 = valValue(b[p]);
        int v2 = valValue(b[p + 1]);
        if (v1 == v2) {
          int l = valLen(b[p]) + valLen(b[p + 1]);
          if (l <= SPARSE_VAL_MAX_LEN) {
            valSet(b, p + 1, v1, l);
            System.arraycopy(b, p + 1, b, p, end - p - 1);
            len--;
            end--;
            continue;
          }
        }
      }
      p++;
    }
    invalidateCache();
    return 1;
  }

  private int promote(int index, int count) {
    if (!toDense()) return -1;
    return denseSet(index, count) == 1 ? 1 : -1;
  }

  /** hllSparseToDense; false for a corrupted sparse HLL. */
  public boolean toDense() {
    if (encoding() == DENSE) return true;
    byte[] dense = new byte[DENSE_SIZE + 8];
    System.arraycopy(b, 0, dense, 0, HDR_SIZE);
    dense[4] = DENSE;
    Hll d = new Hll(dense, DENSE_SIZE);
    int idx = 0;
    int p = HDR_SIZE;
    while (p < len) {
      if (isZero(b[p])) {
        idx += zeroLen(b[p]);
        p++;
      } else if (isXzero(b[p])) {
        idx += xzeroLen(b, p);
        p += 2;
      } else {
        int runlen = valLen(b[p]);
        int regval = valValue(b[p]);
        if (runlen + idx > REGISTERS) break;
        while (runlen-- > 0) d.denseSetRegister(idx++, regval);
        p++;
      }
    }
    if (idx != REGISTERS) return false;
    b = d.b;
    len = d.len;
    return true;
  }

  public void invalidateCache() {
    b[15] |= (byte) 0x80;
  }

  public boolean cacheValid() {
    return (b[15] & 0x80) == 0;
  }

  public long cachedCardinality() {
    long card = 0;
    for (int i = 7; i >= 0; i--) card = (card << 8) | u(b[8 + i]);
    return card;
  }

  public void setCachedCardinality(long card) {
    for (int i = 0; i < 8; i++) b[8 + i] = (byte) (card >>> (8 * i));
  }

  /** hllMerge into {@code max}: false for a corrupted sparse HLL. */
  public boolean mergeInto(int[] max) {
    if (encoding() == DENSE) {
      for (int i = 0; i < REGISTERS; i++) max[i] = Math.max(max[i], denseGet(i));
      return true;
    }
    int i = 0;
    int p = HDR_SIZE;
    while (p < len) {
      if (isZero(b[p])) {
        i += zeroLen(b[p]);
        p++;
      } else if (isXzero(b[p])) {
        i += xzeroLen(b, p);
        p += 2;
      } else {
        int runlen = valLen(b[p]);
        int regval = valValue(b[p]);
        if (runlen + i > REGISTERS) break;
        while (runlen-- > 0) {
          if (regval > max[i]) max[i] = regval;
          i++;
        }
        p++;
      }
    }
    return i == REGISTERS;
  }

  /** Sets register {@code index} to at least {@code count} (PFMERGE's write-back). */
  public void setAtLeast(int index, int count, long sparseMaxBytes) {
    if (encoding() == DENSE) denseSet(index, count);
    else sparseSet(index, count, sparseMaxBytes);
  }

  /** The histogram of register values; sets invalid[0] when a sparse HLL does not cover every register. */
  public int[] histogram(boolean[] invalid) {
    int[] h = new int[64];
    if (encoding() == DENSE) {
      for (int i = 0; i < REGISTERS; i++) h[denseGet(i)]++;
      return h;
    }
    int idx = 0;
    int p = HDR_SIZE;
    while (p < len) {
      if (isZero(b[p])) {
        int r = zeroLen(b[p]);
        idx += r;
        h[0] += r;
        p++;
      } else if (isXzero(b[p])) {
        int r = xzeroLen(b, p);
        idx += r;
        h[0] += r;
        p += 2;
      } else {
        int r = valLen(b[p]);
        idx += r;
        h[valValue(b[p])] += r;
        p++;
      }
    }
    if (idx != REGISTERS && invalid != null) invalid[0] = true;
    return h;
  }

  /** Registers as a plain array (the RAW encoding PFCOUNT of several keys counts). */
  public static long countRaw(int[] registers) {
    int[] h = new int[64];
    for (int r : registers) h[r]++;
    return HllEstimator.estimate(h);
  }

  public long count(boolean[] invalid) {
    return HllEstimator.estimate(histogram(invalid));
  }

  /** PFDEBUG GETREG: every register's value. */
  public int[] registers() {
    int[] out = new int[REGISTERS];
    if (encoding() == DENSE) {
      for (int i = 0; i < REGISTERS; i++) out[i] = denseGet(i);
      return out;
    }
    int[] max = new int[REGISTERS];
    mergeInto(max);
    return max;
  }

  /** PFDEBUG DECODE: the sparse opcodes as Redis prints them ("Z:n", "xZ:n", "v:val,len"). */
  public String decode() {
    StringBuilder sb = new StringBuilder();
    int p = HDR_SIZE;
    while (p < len) {
      if (isZero(b[p])) {
        sb.append("z:").append(zeroLen(b[p])).append(' ');
        p++;
      } else if (isXzero(b[p])) {
        sb.append("Z:").append(xzeroLen(b, p)).append(' ');
        p += 2;
      } else {
        sb.append("v:").append(valValue(b[p])).append(',').append(valLen(b[p])).append(' ');
        p++;
      }
    }
    if (sb.length() > 0) sb.setLength(sb.length() - 1);
    return sb.toString();
  }
}
