package sim.postgres.heap;

import java.util.ArrayList;
import java.util.List;

/**
 * An 8 KiB heap page: a 24-byte header, line pointers growing from the front, tuples from the back. A
 * line pointer is unused, normal (points at a tuple), redirect (HOT chain root) or dead.
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

    LinePointer(HeapTuple tuple) {
      this.state = LpState.NORMAL;
      this.tuple = tuple;
    }
  }

  public final int blockNumber;
  public final List<LinePointer> items = new ArrayList<>(64);
  private int tupleBytes;
  private int unusedItems;
  /** pd_lsn: the LSN of the last WAL record that changed this page. */
  public long lsn;
  public boolean allVisible;
  /** pd_prune_xid: oldest xmax that could make a tuple here prunable (0 = none). */
  public int pruneXid;

  /** PageSetPrunable: remember the oldest xid whose delete or update may leave something to prune. */
  public void setPrunable(int xid) {
    if (pruneXid == 0 || sim.postgres.mvcc.Xids.precedes(xid, pruneXid)) pruneXid = xid;
  }

  public HeapPage(int blockNumber) {
    this.blockNumber = blockNumber;
  }

  public int freeSpace() {
    int lower = PAGE_HEADER_BYTES + ITEM_ID_BYTES * items.size();
    return Math.max(0, BLCKSZ - lower - tupleBytes);
  }

  /** Whether a tuple of this size fits, reusing an unused line pointer if there is one. */
  public boolean fits(int sizeBytes) {
    boolean reuse = unusedItems > 0;
    return freeSpace() >= sizeBytes + (reuse ? 0 : ITEM_ID_BYTES);
  }

  /** Places the tuple on the first unused line pointer or a new one; returns the 1-based offset. */
  public int add(HeapTuple t) {
    tupleBytes += t.sizeBytes;
    for (int i = 0; unusedItems > 0 && i < items.size(); i++) {
      LinePointer lp = items.get(i);
      if (lp.state == LpState.UNUSED) {
        lp.state = LpState.NORMAL;
        lp.tuple = t;
        unusedItems--;
        return i + 1;
      }
    }
    items.add(new LinePointer(t));
    return items.size();
  }

  /** Places the tuple at a given offset (WAL redo), growing the line pointer array as needed. */
  public void putAt(int offset, HeapTuple t) {
    while (items.size() < offset) {
      LinePointer lp = new LinePointer(null);
      lp.state = LpState.UNUSED;
      items.add(lp);
      unusedItems++;
    }
    LinePointer lp = items.get(offset - 1);
    if (lp.state == LpState.UNUSED) unusedItems--;
    if (lp.tuple != null) tupleBytes -= lp.tuple.sizeBytes;
    lp.state = LpState.NORMAL;
    lp.tuple = t;
    tupleBytes += t.sizeBytes;
  }

  public HeapTuple tuple(int offset) {
    if (offset < 1 || offset > items.size()) return null;
    LinePointer lp = items.get(offset - 1);
    return lp.state == LpState.NORMAL ? lp.tuple : null;
  }

  /** Removes a tuple's storage, leaving the line pointer in the given state (vacuum and pruning). */
  public void release(int offset, LpState newState, int redirectTo) {
    LinePointer lp = items.get(offset - 1);
    if (lp.tuple != null) tupleBytes -= lp.tuple.sizeBytes;
    if (lp.state == LpState.UNUSED) unusedItems--;
    if (newState == LpState.UNUSED) unusedItems++;
    lp.tuple = null;
    lp.state = newState;
    lp.redirectTo = redirectTo;
  }
}
