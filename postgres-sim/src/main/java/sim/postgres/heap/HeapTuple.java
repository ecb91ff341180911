package sim.postgres.heap;

import java.util.Arrays;

/**
 * One tuple version: the header fields PostgreSQL keeps (t_xmin, t_xmax, t_cid, t_ctid, t_infomask,
 * t_infomask2) and the column values. cmin and cmax are kept apart instead of in a combo cid.
 */
public final class HeapTuple {
  public int xmin;
  /** A transaction id, or a MultiXactId when HEAP_XMAX_IS_MULTI is set; 0 when invalid. */
  public int xmax;
  public int cmin;
  public int cmax = -1;
  public int infomask;
  public int infomask2;
  /** Points at itself, or at the newer version after an UPDATE. */
  public Tid ctid;
  /** Where this version lives (t_self). */
  public Tid selfTid;
  public final Object[] values;
  /** What the tuple takes on its page: lp_len MAXALIGNed. */
  public final int sizeBytes;
  /** lp_len: header, null bitmap and data, unaligned (what the WAL record and the line pointer carry). */
  public final int length;

  public HeapTuple(Object[] values, int length) {
    this.values = values;
    this.length = length;
    this.sizeBytes = (length + 7) & ~7;
  }

  /** A tuple of {@code table} with these values, sized as heap_form_tuple lays it out. */
  public static HeapTuple of(Table table, Object[] values) {
    return new HeapTuple(values, table.tupleLength(values));
  }

  public boolean has(int bit) {
    return (infomask & bit) == bit;
  }

  public boolean has2(int bit) {
    return (infomask2 & bit) == bit;
  }

  public void set(int bits) {
    infomask |= bits;
  }

  public void clear(int bits) {
    infomask &= ~bits;
  }

  /** t_cid as pageinspect shows it: cmax once deleted, else cmin. */
  public int rawCid() {
    return cmax >= 0 ? cmax : cmin;
  }

  public boolean xmaxIsLockOnly() {
    return has(Infomask.HEAP_XMAX_INVALID) || has(Infomask.HEAP_XMAX_LOCK_ONLY);
  }

  @Override
  public String toString() {
    return "xmin=" + xmin + " xmax=" + xmax + " ctid=" + ctid + " " + Arrays.toString(values);
  }
}
