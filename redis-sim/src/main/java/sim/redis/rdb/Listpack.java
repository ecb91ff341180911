package sim.redis.rdb;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import sim.redis.resp.Numbers;

/**
 * Redis's listpack (listpack.c): a 6-byte header (total bytes, uint32 LE; element count, uint16 LE), then
 * entries of encoding + data + "backlen" (the entry's own length, 7 bits per byte, so the list can be
 * walked backwards), then 0xFF. Integers get 7/13/16/24/32/64-bit encodings, strings 6/12/32-bit lengths.
 */
public final class Listpack {
  private Listpack() {}

  /** Decodes every entry (integers as their decimal strings); throws RdbException naming the problem. */
  public static List<String> decode(byte[] lp) {
    if (lp.length < 7) throw new RdbException("listpack of " + lp.length + " bytes is shorter than its header");
    long total = le(lp, 0, 4);
    if (total != lp.length) throw new RdbException("listpack header says " + total + " bytes, blob has " + lp.length);
    int declared = (int) le(lp, 4, 2);
    List<String> out = new ArrayList<>();
    int p = 6;
    while (true) {
      if (p >= lp.length) throw new RdbException("listpack entry at offset " + p + " runs past the end (no 0xFF terminator)");
      int b = lp[p] & 0xff;
      if (b == 0xFF) break;
      int start = p;
      String value;
      if ((b & 0x80) == 0) {
        value = Long.toString(b & 0x7f);
        p += 1;
      } else if ((b & 0xC0) == 0x80) {
        int len = b & 0x3f;
        value = str(lp, p + 1, len);
        p += 1 + len;
      } else if ((b & 0xE0) == 0xC0) {
        need(lp, p, 2);
        int v = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
        if (v >= 1 << 12) v -= 1 << 13;
        value = Integer.toString(v);
        p += 2;
      } else if ((b & 0xF0) == 0xE0) {
        need(lp, p, 2);
        int len = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
        value = str(lp, p + 2, len);
        p += 2 + len;
      } else if (b == 0xF0) {
        need(lp, p, 5);
        long len = le(lp, p + 1, 4);
        if (len > lp.length) throw new RdbException("listpack string length " + len + " at offset " + p + " exceeds the blob");
        value = str(lp, p + 5, (int) len);
        p += 5 + (int) len;
      } else if (b >= 0xF1 && b <= 0xF4) {
        int width = switch (b) {
          case 0xF1 -> 2;
          case 0xF2 -> 3;
          case 0xF3 -> 4;
          default -> 8;
        };
        need(lp, p, 1 + width);
        long v = le(lp, p + 1, width);
        int shift = 64 - width * 8;
        value = Long.toString((v << shift) >> shift);
        p += 1 + width;
      } else {
        throw new RdbException("listpack: unknown entry encoding 0x" + Integer.toHexString(b) + " at offset " + p);
      }
      if (p > lp.length) throw new RdbException("listpack entry at offset " + start + " runs past the end");
      p += backlenSize(p - start);
      out.add(value);
    }
    if (p != lp.length - 1) throw new RdbException("listpack has " + (lp.length - 1 - p) + " bytes after its terminator");
    if (declared != 65535 && declared != out.size()) {
      throw new RdbException("listpack header counts " + declared + " entries, found " + out.size());
    }
    return out;
  }

  /** Encodes the entries as lpAppend would (canonical integers get integer encodings). */
  public static byte[] encode(List<String> entries) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String e : entries) {
      byte[] entry = encodeEntry(e);
      body.write(entry, 0, entry.length);
      byte[] back = backlen(entry.length);
      body.write(back, 0, back.length);
    }
    int total = 6 + body.size() + 1;
    byte[] out = new byte[total];
    putLe(out, 0, total, 4);
    putLe(out, 4, Math.min(entries.size(), 65535), 2);
    System.arraycopy(body.toByteArray(), 0, out, 6, body.size());
    out[total - 1] = (byte) 0xFF;
    return out;
  }

  /** The bytes one element takes in a listpack (encoding plus back-length), as lpAppend would write it. */
  public static int entrySize(String s) {
    int n = encodeEntry(s).length;
    return n + backlenSize(n);
  }

  public static int entrySize(long v) {
    return entrySize(Long.toString(v));
  }

  private static byte[] encodeEntry(String s) {
    Long v = s.length() <= 20 ? Numbers.parseLong(s) : null;
    if (v != null) {
      long x = v;
      if (x >= 0 && x <= 127) return new byte[] {(byte) x};
      if (x >= -4096 && x <= 4095) {
        int u = (int) (x < 0 ? (1 << 13) + x : x);
        return new byte[] {(byte) ((u >> 8) | 0xC0), (byte) u};
      }
      int width = x >= -32768 && x <= 32767 ? 2 : x >= -8388608 && x <= 8388607 ? 3 : x >= Integer.MIN_VALUE && x <= Integer.MAX_VALUE ? 4 : 8;
      byte[] out = new byte[1 + width];
      out[0] = (byte) (width == 2 ? 0xF1 : width == 3 ? 0xF2 : width == 4 ? 0xF3 : 0xF4);
      putLe(out, 1, x, width);
      return out;
    }
    int len = s.length();
    byte[] out;
    int off;
    if (len < 64) {
      out = new byte[1 + len];
      out[0] = (byte) (0x80 | len);
      off = 1;
    } else if (len < 4096) {
      out = new byte[2 + len];
      out[0] = (byte) (0xE0 | (len >> 8));
      out[1] = (byte) len;
      off = 2;
    } else {
      out = new byte[5 + len];
      out[0] = (byte) 0xF0;
      putLe(out, 1, len, 4);
      off = 5;
    }
    for (int i = 0; i < len; i++) out[off + i] = (byte) s.charAt(i);
    return out;
  }

  private static byte[] backlen(int l) {
    if (l <= 127) return new byte[] {(byte) l};
    if (l < 16383) return new byte[] {(byte) (l >> 7), (byte) ((l & 127) | 128)};
    if (l < 2097151) return new byte[] {(byte) (l >> 14), (byte) (((l >> 7) & 127) | 128), (byte) ((l & 127) | 128)};
    if (l < 268435455) {
      return new byte[] {(byte) (l >> 21), (byte) (((l >> 14) & 127) | 128), (byte) (((l >> 7) & 127) | 128), (byte) ((l & 127) | 128)};
    }
    return new byte[] {(byte) (l >> 28), (byte) (((l >> 21) & 127) | 128), (byte) (((l >> 14) & 127) | 128),
        (byte) (((l >> 7) & 127) | 128), (byte) ((l & 127) | 128)};
  }

  private static int backlenSize(int l) {
    return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
  }

  private static void need(byte[] lp, int p, int n) {
    if (p + n > lp.length) throw new RdbException("listpack entry at offset " + p + " is truncated");
  }

  private static String str(byte[] lp, int from, int len) {
    if (from + len > lp.length) throw new RdbException("listpack string at offset " + from + " runs past the end");
    return new String(lp, from, len, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  static long le(byte[] b, int off, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
    return v;
  }

  static void putLe(byte[] b, int off, long v, int width) {
    for (int i = 0; i < width; i++) b[off + i] = (byte) (v >>> (8 * i));
  }
}
