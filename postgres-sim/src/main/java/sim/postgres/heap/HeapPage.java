package sim.postgres.heap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An 8 KiB heap page: a 24-byte header, line pointers growing from the front, tuples from the back. A
 * line pointer is unused, normal (points at a tuple), redirect (HOT chain root) or dead. Tuples keep their
 * physical offsets (lp_off) as PostgreSQL lays them out: each new tuple at pd_upper, and only
 * PageRepairFragmentation (pruning) moves them, packing the survivors against the end in their order.
 */
public final class HeapPage {
  public static final int BLCKSZ = 8192;
  public static final int PAGE_HEADER_BYTES = 24;
  public static final int ITEM_ID_BYTES = 4;

  public enum LpState { UNUSED, NORMAL, REDIRECT, DEAD }

  public static final class LinePointer {
    public LpState state;
    public HeapTuple tuple;
    public int redirectTo;
    /** lp_off of a normal tuple's storage. */
    public int off;

    LinePointer(HeapTuple tuple) {
      this.state = LpState.NORMAL;
      this.tuple = tuple;
    }
  }

  public final int blockNumber;
  public final List<LinePointer> items = new ArrayList<>(64);
  /** pd_upper: where the next tuple's storage ends. */
  private int upper = BLCKSZ;
  private int unusedItems;
  /** pd_lsn: the LSN of the last WAL record that changed this page. */
  public long lsn;
  /** PD_ALL_VISIBLE (and the visibility map's all-visible bit): every tuple is visible to every snapshot. */
  public boolean allVisible;
  /** The visibility map's all-frozen bit: every tuple is frozen. */
  public boolean allFrozen;
  /** PD_PAGE_FULL: an UPDATE found no room here for the new version (a hint to prune on the next read). */
  public boolean full;
  /** pd_prune_xid: oldest xmax that could make a tuple here prunable (0 = none). */
  public int pruneXid;

  /** PageSetPrunable: remember the oldest xid whose delete or update may leave something to prune. */
  public void setPrunable(int xid) {
    if (pruneXid == 0 || sim.postgres.mvcc.Xids.precedes(xid, pruneXid)) pruneXid = xid;
  }

  public HeapPage(int blockNumber) {
    this.blockNumber = blockNumber;
  }

  public int upper() {
    return upper;
  }

  /** pd_upper as a page image stored it. */
  public void setUpper(int upper) {
    this.upper = upper;
  }

  /** PageGetExactFreeSpace: pd_upper - pd_lower. */
  public int freeSpace() {
    int lower = PAGE_HEADER_BYTES + ITEM_ID_BYTES * items.size();
    return Math.max(0, upper - lower);
  }

  /** PageGetHeapFreeSpace: room for a new tuple, its line pointer already counted. */
  public int heapFreeSpace() {
    return Math.max(0, freeSpace() - ITEM_ID_BYTES);
  }

  /** PD_HAS_FREE_LINES: an unused line pointer waits to be reused. */
  public boolean hasFreeLines() {
    return unusedItems > 0;
  }

  /** Whether a tuple of this size fits: PageGetHeapFreeSpace counts a new line pointer even when one could be reused. */
  public boolean fits(int sizeBytes) {
    return heapFreeSpace() >= sizeBytes;
  }

  /** PageAddItem: storage at pd_upper, on the first unused line pointer or a new one; returns the offset. */
  public int add(HeapTuple t) {
    upper -= t.sizeBytes;
    for (int i = 0; unusedItems > 0 && i < items.size(); i++) {
      LinePointer lp = items.get(i);
      if (lp.state == LpState.UNUSED) {
        lp.state = LpState.NORMAL;
        lp.tuple = t;
        lp.off = upper;
        unusedItems--;
        return i + 1;
      }
    }
    LinePointer lp = new LinePointer(t);
    lp.off = upper;
    items.add(lp);
    return items.size();
  }

  /** Unused line pointers up to {@code offset}, for redo and page images that name a later one. */
  private void growTo(int offset) {
    while (items.size() < offset) {
      LinePointer lp = new LinePointer(null);
      lp.state = LpState.UNUSED;
      items.add(lp);
      unusedItems++;
    }
  }

  /** Places a tuple at a given offset (WAL redo), growing the line pointer array as needed. */
  public void putAt(int offset, HeapTuple t) {
    growTo(offset);
    LinePointer lp = items.get(offset - 1);
    if (lp.state == LpState.UNUSED) unusedItems--;
    if (lp.tuple != null && lp.tuple.sizeBytes == t.sizeBytes) {
      lp.tuple = t; // the same storage, rewritten in place
      lp.state = LpState.NORMAL;
      return;
    }
    upper -= t.sizeBytes;
    lp.state = LpState.NORMAL;
    lp.tuple = t;
    lp.off = upper;
  }

  /** A decoded page's line pointer exactly as stored (page images, disk reads). */
  public void restore(int offset, LpState state, HeapTuple t, int off, int redirectTo) {
    growTo(offset);
    LinePointer lp = items.get(offset - 1);
    if (lp.state == LpState.UNUSED) unusedItems--;
    if (state == LpState.UNUSED) unusedItems++;
    lp.state = state;
    lp.tuple = state == LpState.NORMAL ? t : null;
    lp.off = off;
    lp.redirectTo = redirectTo;
    if (state == LpState.NORMAL) upper = Math.min(upper, off);
  }

  public HeapTuple tuple(int offset) {
    if (offset < 1 || offset > items.size()) return null;
    LinePointer lp = items.get(offset - 1);
    return lp.state == LpState.NORMAL ? lp.tuple : null;
  }

  /**
   * Takes a line pointer's storage away, leaving it unused, redirected or dead (pruning, VACUUM). The space
   * comes back only with {@link #repairFragmentation}, as in PostgreSQL.
   */
  public void release(int offset, LpState newState, int redirectTo) {
    LinePointer lp = items.get(offset - 1);
    if (lp.state == LpState.UNUSED) unusedItems--;
    if (newState == LpState.UNUSED) unusedItems++;
    lp.tuple = null;
    lp.state = newState;
    lp.redirectTo = redirectTo;
    lp.off = 0;
  }

  /**
   * PageRepairFragmentation: the normal tuples' storage packed against the end of the page, keeping their
   * physical order (highest offset first), so the freed space becomes one hole again.
   */
  public void repairFragmentation() {
    List<LinePointer> withStorage = new ArrayList<>();
    for (LinePointer lp : items) if (lp.state == LpState.NORMAL) withStorage.add(lp);
    withStorage.sort(Comparator.comparingInt((LinePointer lp) -> lp.off).reversed());
    int u = BLCKSZ;
    for (LinePointer lp : withStorage) {
      u -= lp.tuple.sizeBytes;
      lp.off = u;
    }
    upper = u;
  }

  /** PageTruncateLinePointerArray (VACUUM, PostgreSQL 14+): trailing unused line pointers are given back. */
  public void truncateLinePointerArray() {
    while (items.size() > 1 && items.get(items.size() - 1).state == LpState.UNUSED) {
      items.remove(items.size() - 1);
      unusedItems--;
    }
  }
}
