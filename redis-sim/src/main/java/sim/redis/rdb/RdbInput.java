package sim.redis.rdb;

import static sim.redis.rdb.RdbConstants.*;

import java.nio.charset.StandardCharsets;
import sim.redis.resp.Numbers;

/**
 * The RDB file's primitive reads (rdb.c's rdbLoadLen, rdbGenericLoadStringObject, rdbLoadDoubleValue over rio):
 * a cursor over the bytes that turns a short read or a bad encoding into an RdbException naming the source and
 * the offset.
 */
final class RdbInput {
  private final byte[] b;
  private int p;
  private final String source;

  RdbInput(byte[] data, int offset, String source) {
    this.b = data;
    this.p = offset;
    this.source = source;
  }

  int pos() {
    return p;
  }

  boolean atEnd() {
    return p == b.length;
  }

  /** {@code n} bytes as US-ASCII (the "REDIS0010" signature). */
  String ascii(int n) {
    need(n);
    String s = new String(b, p, n, StandardCharsets.US_ASCII);
    p += n;
    return s;
  }

  /** The CRC64 of every byte from {@code start} up to here (the checksum RDB 5+ ends with). */
  long crc64From(int start) {
    return Crc64.of(b, start, p - start);
  }

  byte[] rawBytes(int n) {
    need(n);
    byte[] out = java.util.Arrays.copyOfRange(b, p, p + n);
    p += n;
    return out;
  }

  byte[] blob(String key) {
    String s = string();
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** rdbLoadDoubleValue (RDB_TYPE_ZSET): a length byte, 253 nan, 254 +inf, 255 -inf, else ASCII digits. */
  double asciiDouble() {
    int n = u8();
    if (n == 253) return Double.NaN;
    if (n == 254) return Double.POSITIVE_INFINITY;
    if (n == 255) return Double.NEGATIVE_INFINITY;
    need(n);
    String s = new String(b, p, n, StandardCharsets.US_ASCII);
    p += n;
    Double d = Numbers.parseDouble(s);
    if (d == null) throw error("bad double value '" + s + "'");
    return d;
  }

  String string() {
    int at = p;
    int first = u8();
    int kind = (first & 0xC0) >> 6;
    if (kind == 3) {
      int enc = first & 0x3f;
      switch (enc) {
        case ENC_INT8:
          return Long.toString((byte) u8());
        case ENC_INT16:
          return Long.toString((short) le(2));
        case ENC_INT32:
          return Long.toString((int) le(4));
        case ENC_LZF: {
          long clen = len();
          long ulen = len();
          if (clen > b.length - p || ulen > Integer.MAX_VALUE - 8) throw error("LZF string at offset " + at + " declares impossible lengths");
          need((int) clen);
          byte[] raw;
          try {
            raw = Lzf.decompress(b, p, (int) clen, (int) ulen);
          } catch (RdbException e) {
            throw error("Invalid LZF compressed string at offset " + at + ": " + e.getMessage());
          }
          p += (int) clen;
          return new String(raw, StandardCharsets.ISO_8859_1);
        }
        default:
          throw error("Unknown RDB string encoding type " + enc + " at offset " + at);
      }
    }
    p = at;
    long n = len();
    if (n > b.length - p) throw error("string at offset " + at + " of " + n + " bytes runs past the end of the file");
    String s = new String(b, p, (int) n, StandardCharsets.ISO_8859_1);
    p += (int) n;
    return s;
  }

  long len() {
    int at = p;
    int first = u8();
    int kind = (first & 0xC0) >> 6;
    if (kind == 0) return first & 0x3f;
    if (kind == 1) return ((first & 0x3f) << 8) | u8();
    if (first == 0x80) return be(4);
    if (first == 0x81) return be(8);
    throw error("Unknown length encoding " + first + " in rdbLoadLen() at offset " + at);
  }

  int u8() {
    need(1);
    return b[p++] & 0xff;
  }

  long le(int width) {
    need(width);
    long v = Listpack.le(b, p, width);
    p += width;
    return v;
  }

  long be(int width) {
    need(width);
    long v = 0;
    for (int i = 0; i < width; i++) v = (v << 8) | (b[p + i] & 0xff);
    p += width;
    return v;
  }

  void need(int n) {
    if (n < 0 || p + n > b.length) throw error("Short read or OOM loading DB. Unrecoverable error, aborting now.");
  }

  RdbException error(String what) {
    return new RdbException(what + " (" + source + ", offset " + p + ")");
  }
}
