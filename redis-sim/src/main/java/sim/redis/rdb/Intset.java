package sim.redis.rdb;

import java.util.ArrayList;
import java.util.List;

/** Redis's intset (intset.c): encoding (2, 4 or 8, uint32 LE), length (uint32 LE), sorted LE integers. */
public final class Intset {
  private Intset() {}

  public static List<String> decode(byte[] b) {
    if (b.length < 8) throw new RdbException("intset of " + b.length + " bytes is shorter than its header");
    long enc = Listpack.le(b, 0, 4);
    if (enc != 2 && enc != 4 && enc != 8) throw new RdbException("intset has invalid encoding " + enc);
    long len = Listpack.le(b, 4, 4);
    if (8 + len * enc != b.length) throw new RdbException("intset of " + len + " x " + enc + "-byte integers does not match its " + b.length + " bytes");
    List<String> out = new ArrayList<>();
    int w = (int) enc;
    long prev = Long.MIN_VALUE;
    for (int i = 0; i < len; i++) {
      long v = Listpack.le(b, 8 + i * w, w);
      int shift = 64 - 8 * w;
      v = (v << shift) >> shift;
      if (i > 0 && v <= prev) throw new RdbException("intset is not sorted and unique at element " + i);
      prev = v;
      out.add(Long.toString(v));
    }
    return out;
  }

  /** {@code sorted} must be sorted, unique canonical integers. */
  public static byte[] encode(List<Long> sorted) {
    int w = 2;
    for (long v : sorted) {
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) w = 8;
      else if ((v < Short.MIN_VALUE || v > Short.MAX_VALUE) && w < 4) w = 4;
    }
    byte[] out = new byte[8 + sorted.size() * w];
    Listpack.putLe(out, 0, w, 4);
    Listpack.putLe(out, 4, sorted.size(), 4);
    for (int i = 0; i < sorted.size(); i++) Listpack.putLe(out, 8 + i * w, sorted.get(i), w);
    return out;
  }
}
