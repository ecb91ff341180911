package sim.redis.cluster;

import java.util.BitSet;

/** Slot bitmaps: CLUSTER_SLOTS and the range notation CLUSTER NODES prints ("0-5460 10923"). */
public final class Slots {
  /** CLUSTER_SLOTS. */
  public static final int COUNT = 16384;

  private Slots() {}

  /** The bitmap of slots {@code from..to}, both included. */
  public static BitSet range(int from, int to) {
    BitSet b = new BitSet(COUNT);
    b.set(from, to + 1);
    return b;
  }

  /** Space-separated ranges, "-" for none. */
  public static String ranges(BitSet slots) {
    if (slots.isEmpty()) return "-";
    StringBuilder sb = new StringBuilder();
    for (int i = slots.nextSetBit(0); i >= 0; ) {
      int end = slots.nextClearBit(i) - 1;
      if (sb.length() > 0) sb.append(' ');
      sb.append(i);
      if (end > i) sb.append('-').append(end);
      i = slots.nextSetBit(end + 1);
    }
    return sb.toString();
  }

  /** Parses {@link #ranges}. */
  public static BitSet parse(String ranges) {
    BitSet b = new BitSet(COUNT);
    if (ranges.equals("-")) return b;
    for (String r : ranges.trim().split(" ")) {
      int dash = r.indexOf('-');
      if (dash < 0) b.set(Integer.parseInt(r));
      else b.set(Integer.parseInt(r.substring(0, dash)), Integer.parseInt(r.substring(dash + 1)) + 1);
    }
    return b;
  }
}
