package sim.postgres.nbtree;

import java.util.ArrayList;
import java.util.List;

/**
 * One nbtree page: line pointers in key order (offset 1 is the high key unless the page is the rightmost
 * on its level), and the special space BTPageOpaqueData: btpo_prev, btpo_next, btpo_level, btpo_flags,
 * btpo_cycleid. Item offsets here are 1-based, as in PostgreSQL.
 */
public final class BtPage {
  public static final int BLCKSZ = 8192;
  static final int PAGE_HEADER = 24;
  static final int SPECIAL = 16;
  static final int ITEM_ID = 4;
  static final int P_NONE = 0;
  static final int P_HIKEY = 1;
  static final int BTP_LEAF = 1;
  static final int BTP_ROOT = 2;
  static final int BTP_DELETED = 4;
  static final int BTP_META = 8;
  static final int BTP_HALF_DEAD = 16;
  static final int BTP_SPLIT_END = 32;
  static final int BTP_HAS_GARBAGE = 64;
  static final int BTP_INCOMPLETE_SPLIT = 128;

  /** A line pointer: its tuple and LP_DEAD (set by scans and unique checks that found the heap tuples dead). */
  static final class Item {
    IndexTuple tuple;
    boolean dead;

    Item(IndexTuple tuple) {
      this.tuple = tuple;
    }
  }

  final int blkno;
  int prev = P_NONE;
  int next = P_NONE;
  int level;
  int flags;
  int cycleid;
  /** pd_lsn. */
  public long lsn;
  final List<Item> items = new ArrayList<>();

  BtPage(int blkno, int level, int flags) {
    this.blkno = blkno;
    this.level = level;
    this.flags = flags;
  }

  public int blkno() {
    return blkno;
  }

  boolean isLeaf() {
    return (flags & BTP_LEAF) != 0;
  }

  boolean isRoot() {
    return (flags & BTP_ROOT) != 0;
  }

  boolean isRightmost() {
    return next == P_NONE;
  }

  boolean isLeftmost() {
    return prev == P_NONE;
  }

  /** P_FIRSTDATAKEY. */
  int firstDataKey() {
    return isRightmost() ? P_HIKEY : P_HIKEY + 1;
  }

  int maxOffset() {
    return items.size();
  }

  IndexTuple tuple(int off) {
    return items.get(off - 1).tuple;
  }

  Item item(int off) {
    return items.get(off - 1);
  }

  IndexTuple highKey() {
    return isRightmost() ? null : tuple(P_HIKEY);
  }

  /** PageAddItem at {@code off}, shifting later line pointers up. */
  void add(int off, IndexTuple t) {
    items.add(off - 1, new Item(t));
  }

  void set(int off, IndexTuple t) {
    items.get(off - 1).tuple = t;
  }

  /** PageGetExactFreeSpace: pd_upper - pd_lower. */
  int exactFreeSpace() {
    int used = 0;
    for (Item it : items) used += KeyDesc.maxalign(it.tuple.size) + ITEM_ID;
    return BLCKSZ - PAGE_HEADER - SPECIAL - used;
  }

  /** PageGetFreeSpace: what a new item may use, its line pointer already counted. */
  int freeSpace() {
    return Math.max(0, exactFreeSpace() - ITEM_ID);
  }

  boolean hasDeadItems() {
    for (Item it : items) if (it.dead) return true;
    return false;
  }

  /** bt_page_stats' type column. */
  char type() {
    if ((flags & BTP_DELETED) != 0) return 'd';
    if ((flags & BTP_HALF_DEAD) != 0) return 'e';
    if (isLeaf()) return 'l';
    return isRoot() ? 'r' : 'i';
  }
}
