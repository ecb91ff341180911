package sim.redis.rdb;

/**
 * LZF (liblzf, as vendored by Redis in lzf_c.c / lzf_d.c). A control byte below 32 starts a literal run of
 * ctrl+1 bytes; otherwise its top 3 bits are a match length - 2 (7 means an extra length byte follows) and
 * its low 5 bits with the next byte are the back-reference distance - 1 (up to 8 KB back).
 */
public final class Lzf {
  private static final int HASH_BITS = 14;
  private static final int MAX_LIT = 32;
  private static final int MAX_OFF = 1 << 13;
  private static final int MAX_REF = (1 << 8) + (1 << 3);

  private Lzf() {}

  /** Decompresses exactly {@code outLen} bytes; throws RdbException on malformed input. */
  public static byte[] decompress(byte[] in, int from, int count, int outLen) {
    byte[] out = new byte[outLen];
    int ip = from;
    int end = from + count;
    int op = 0;
    while (ip < end) {
      int ctrl = in[ip++] & 0xff;
      if (ctrl < 32) {
        int len = ctrl + 1;
        if (op + len > outLen || ip + len > end) throw new RdbException("LZF literal run past the end of the data");
        System.arraycopy(in, ip, out, op, len);
        ip += len;
        op += len;
      } else {
        int len = ctrl >>> 5;
        if (len == 7) {
          if (ip >= end) throw new RdbException("LZF truncated match length");
          len += in[ip++] & 0xff;
        }
        if (ip >= end) throw new RdbException("LZF truncated back reference");
        int ref = op - ((ctrl & 0x1f) << 8) - (in[ip++] & 0xff) - 1;
        len += 2;
        if (ref < 0) throw new RdbException("LZF back reference before the start of the data");
        if (op + len > outLen) throw new RdbException("LZF match past the declared length " + outLen);
        for (int k = 0; k < len; k++) out[op++] = out[ref++];
      }
    }
    if (op != outLen) throw new RdbException("LZF data decompressed to " + op + " bytes, expected " + outLen);
    return out;
  }

  /**
   * Compresses into at most {@code maxOut} bytes; returns null when the output would not fit (Redis then
   * stores the string raw).
   */
  public static byte[] compress(byte[] in, int maxOut) {
    byte[] out = new byte[maxOut + MAX_LIT + 4];
    int[] table = new int[1 << HASH_BITS];
    java.util.Arrays.fill(table, -1);
    int ip = 0;
    int op = 1; // out[0] is the first literal run's control byte
    int litStart = 0;
    int lit = 0;
    int n = in.length;
    while (ip < n) {
      int ref = -1;
      if (ip < n - 2) {
        int h = hash(in, ip);
        ref = table[h];
        table[h] = ip;
      }
      int off = ip - ref - 1;
      if (ref >= 0 && off < MAX_OFF && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
        int len = 3;
        int maxLen = Math.min(MAX_REF, n - ip);
        while (len < maxLen && in[ref + len] == in[ip + len]) len++;
        op = closeLiteral(out, op, litStart, lit);
        if (op < 0 || op + 3 > maxOut) return null;
        int l = len - 2;
        if (l < 7) {
          out[op++] = (byte) ((l << 5) | (off >>> 8));
        } else {
          out[op++] = (byte) ((7 << 5) | (off >>> 8));
          out[op++] = (byte) (l - 7);
        }
        out[op++] = (byte) off;
        for (int k = 1; k < len && ip + k < n - 2; k++) table[hash(in, ip + k)] = ip + k;
        ip += len;
        lit = 0;
        litStart = op++;
      } else {
        out[op++] = in[ip++];
        lit++;
        if (lit == MAX_LIT) {
          out[litStart] = (byte) (MAX_LIT - 1);
          lit = 0;
          litStart = op++;
        }
      }
      if (op > maxOut) return null;
    }
    if (lit > 0) out[litStart] = (byte) (lit - 1);
    else op--; // drop the unused control byte
    if (op > maxOut || op <= 0) return null;
    return java.util.Arrays.copyOf(out, op);
  }

  /** Finishes the pending literal run before a back reference; returns the new output position. */
  private static int closeLiteral(byte[] out, int op, int litStart, int lit) {
    if (lit > 0) {
      out[litStart] = (byte) (lit - 1);
      return op;
    }
    return op - 1; // the reserved control byte was never used
  }

  private static int hash(byte[] in, int i) {
    int v = ((in[i] & 0xff) << 16) | ((in[i + 1] & 0xff) << 8) | (in[i + 2] & 0xff);
    return (int) (((v * 2654435761L) & 0xffffffffL) >>> (32 - HASH_BITS));
  }
}
