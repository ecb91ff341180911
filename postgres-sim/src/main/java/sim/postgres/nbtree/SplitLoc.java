package sim.postgres.nbtree;

/**
 * _bt_findsplitloc (nbtsplitloc.c): where to split a full page, given the item that did not fit. Records
 * every legal split point with the free space it leaves on each side, sorts them by how far they are from
 * the target balance (50:50, or the fillfactor on the rightmost page), and among an interval of nearly
 * balanced ones picks the one whose new high key needs the fewest attributes (suffix truncation). Pages full
 * of duplicates switch to the "many duplicates" or "single value" strategies. Ported line for line,
 * PostgreSQL's own qsort included, so the model splits where PostgreSQL does.
 */
final class SplitLoc {
  static final int BTREE_NONLEAF_FILLFACTOR = 70;
  static final int BTREE_SINGLEVAL_FILLFACTOR = 96;
  static final double LEAF_SPLIT_DISTANCE = 0.050;
  static final double INTERNAL_SPLIT_DISTANCE = 0.075;

  enum Strategy { DEFAULT, MANY_DUPLICATES, SINGLE_VALUE }

  /** The result: the first original item on the right page, and which side the new item goes to. */
  record Split(int firstRightOff, boolean newItemOnLeft) {}

  private static final class Point {
    short curdelta;
    short leftfree;
    short rightfree;
    int firstrightoff;
    boolean newitemonleft;
  }

  private final KeyDesc desc;
  private final BtPage page;
  private final IndexTuple newitem;
  private final int newitemsz;
  private final boolean isLeaf;
  private final boolean isRightmost;
  private final int newitemoff;
  private final int leftspace;
  private final int rightspace;
  private final int olddataitemstotal;
  private int minfirstrightsz = Integer.MAX_VALUE;
  private final Point[] splits;
  private int nsplits;
  private int interval;

  private SplitLoc(KeyDesc desc, BtPage page, int newitemoff, int newitemsz, IndexTuple newitem) {
    this.desc = desc;
    this.page = page;
    this.newitem = newitem;
    this.isLeaf = page.isLeaf();
    this.isRightmost = page.isRightmost();
    this.newitemoff = newitemoff;
    int space = BtPage.BLCKSZ - BtPage.PAGE_HEADER - BtPage.SPECIAL;
    int right = space;
    if (!page.isRightmost()) right -= KeyDesc.maxalign(page.tuple(BtPage.P_HIKEY).size) + BtPage.ITEM_ID;
    this.leftspace = space;
    this.rightspace = right;
    this.olddataitemstotal = right - page.exactFreeSpace();
    this.newitemsz = newitemsz + BtPage.ITEM_ID;
    this.splits = new Point[page.maxOffset()];
  }

  static Split find(KeyDesc desc, BtPage page, int newitemoff, int newitemsz, IndexTuple newitem, int leaffillfactor) {
    return new SplitLoc(desc, page, newitemoff, newitemsz, newitem).find(leaffillfactor);
  }

  private Split find(int leaffillfactor) {
    int maxoff = page.maxOffset();
    int olddataitemstoleft = 0;
    for (int off = page.firstDataKey(); off <= maxoff; off++) {
      int itemsz = KeyDesc.maxalign(page.tuple(off).size) + BtPage.ITEM_ID;
      if (off < newitemoff) {
        recsplitloc(off, false, olddataitemstoleft, itemsz);
      } else if (off > newitemoff) {
        recsplitloc(off, true, olddataitemstoleft, itemsz);
      } else {
        recsplitloc(off, false, olddataitemstoleft, itemsz);
        recsplitloc(off, true, olddataitemstoleft, itemsz);
      }
      olddataitemstoleft += itemsz;
    }
    if (newitemoff > maxoff) recsplitloc(newitemoff, false, olddataitemstotal, 0);
    if (nsplits == 0) throw new IllegalStateException("could not find a feasible split point for index page " + page.blkno);

    double fillfactormult;
    boolean usemult;
    if (!isLeaf) {
      usemult = isRightmost;
      fillfactormult = BTREE_NONLEAF_FILLFACTOR / 100.0;
    } else if (isRightmost) {
      usemult = true;
      fillfactormult = leaffillfactor / 100.0;
    } else {
      Boolean mult = afternewitemoff(maxoff, leaffillfactor);
      if (mult != null) {
        if (mult) {
          usemult = true;
          fillfactormult = leaffillfactor / 100.0;
        } else {
          for (int i = 0; i < nsplits; i++) {
            if (splits[i].newitemonleft && newitemoff == splits[i].firstrightoff) return new Split(newitemoff, true);
          }
          usemult = false;
          fillfactormult = 0.50;
        }
      } else {
        usemult = false;
        fillfactormult = 0.50;
      }
    }
    Point leftpage = splits[0];
    Point rightpage = splits[nsplits - 1];
    deltasortsplits(fillfactormult, usemult);
    interval = defaultinterval();
    Strategy[] strategy = new Strategy[1];
    int perfectpenalty = strategy(leftpage, rightpage, strategy);
    if (strategy[0] == Strategy.MANY_DUPLICATES) {
      interval = nsplits;
    } else if (strategy[0] == Strategy.SINGLE_VALUE) {
      deltasortsplits(BTREE_SINGLEVAL_FILLFACTOR / 100.0, true);
      interval = 1;
    }
    return bestsplitloc(perfectpenalty, strategy[0]);
  }

  private void recsplitloc(int firstrightoff, boolean newitemonleft, int olddataitemstoleft, int firstrightofforigpagetuplesz) {
    boolean newitemisfirstright = firstrightoff == newitemoff && !newitemonleft;
    int firstrightsz;
    int postingsz = 0;
    if (newitemisfirstright) {
      firstrightsz = newitemsz;
    } else {
      firstrightsz = firstrightofforigpagetuplesz;
      if (isLeaf && firstrightsz > 64) {
        IndexTuple t = page.tuple(firstrightoff);
        if (t.isPosting()) postingsz = t.size - t.postingOffset();
      }
    }
    int leftfree = leftspace - olddataitemstoleft;
    int rightfree = rightspace - (olddataitemstotal - olddataitemstoleft);
    if (isLeaf) leftfree -= (short) (firstrightsz + KeyDesc.maxalign(IndexTuple.TID_BYTES) - postingsz);
    else leftfree -= (short) firstrightsz;
    if (newitemonleft) leftfree -= (short) newitemsz;
    else rightfree -= (short) newitemsz;
    if (!isLeaf) rightfree += (short) firstrightsz - (short) (KeyDesc.maxalign(IndexTuple.HEADER) + BtPage.ITEM_ID);
    leftfree = (short) leftfree;
    rightfree = (short) rightfree;
    if (leftfree >= 0 && rightfree >= 0) {
      minfirstrightsz = Math.min(minfirstrightsz, firstrightsz);
      Point p = new Point();
      p.leftfree = (short) leftfree;
      p.rightfree = (short) rightfree;
      p.firstrightoff = firstrightoff;
      p.newitemonleft = newitemonleft;
      splits[nsplits++] = p;
    }
  }

  private void deltasortsplits(double fillfactormult, boolean usemult) {
    for (int i = 0; i < nsplits; i++) {
      Point s = splits[i];
      short delta;
      if (usemult) delta = (short) (int) (fillfactormult * s.leftfree - (1.0 - fillfactormult) * s.rightfree);
      else delta = (short) (s.leftfree - s.rightfree);
      if (delta < 0) delta = (short) -delta;
      s.curdelta = delta;
    }
    PgQsort.sort(splits, nsplits, (a, b) -> Integer.compare(a.curdelta, b.curdelta));
  }

  /** _bt_afternewitemoff: null when the optimization does not apply, else whether to use the fillfactor. */
  private Boolean afternewitemoff(int maxoff, int leaffillfactor) {
    int nkeyatts = desc.natts();
    if (nkeyatts == 1) return null;
    if (newitemoff == BtPage.P_HIKEY + 1) return null; // P_FIRSTKEY
    if (newitemsz != minfirstrightsz) return null;
    if (newitemsz * (maxoff - 1) != olddataitemstotal) return null;
    if (newitemsz > KeyDesc.maxalign(IndexTuple.HEADER + 8 * 2) + BtPage.ITEM_ID) return null;
    if (newitemoff > maxoff) {
      int keep = IndexTuple.keepNattsFast(desc, page.tuple(maxoff), newitem);
      return keep > 1 && keep <= nkeyatts ? Boolean.TRUE : null;
    }
    IndexTuple tup = page.tuple(newitemoff - 1);
    if (tup.isPosting() || !adjacenthtid(tup.heapTid(), newitem.heapTid())) return null;
    int keep = IndexTuple.keepNattsFast(desc, tup, newitem);
    if (keep > 1 && keep <= nkeyatts) {
      double interp = (double) newitemoff / ((double) maxoff + 1);
      return interp > leaffillfactor / 100.0;
    }
    return null;
  }

  private static boolean adjacenthtid(sim.postgres.heap.Tid low, sim.postgres.heap.Tid high) {
    if (low.block() == high.block()) return true;
    return low.block() + 1 == high.block() && high.offset() == 1;
  }

  private Split bestsplitloc(int perfectpenalty, Strategy strategy) {
    int bestpenalty = Integer.MAX_VALUE;
    int lowsplit = 0;
    int highsplit = Math.min(interval, nsplits);
    for (int i = 0; i < highsplit; i++) {
      int penalty = penalty(splits[i]);
      if (penalty < bestpenalty) {
        bestpenalty = penalty;
        lowsplit = i;
      }
      if (penalty <= perfectpenalty) break;
    }
    Point fin = splits[lowsplit];
    if (strategy == Strategy.MANY_DUPLICATES && !isRightmost && !fin.newitemonleft && fin.firstrightoff >= newitemoff
        && fin.firstrightoff < newitemoff + 9) {
      fin = splits[0];
    }
    return new Split(fin.firstrightoff, fin.newitemonleft);
  }

  private int defaultinterval() {
    short tolerance = (short) (int) (olddataitemstotal * (isLeaf ? LEAF_SPLIT_DISTANCE : INTERNAL_SPLIT_DISTANCE));
    Point opt = splits[0];
    short lowleftfree = (short) (opt.leftfree - tolerance);
    short lowrightfree = (short) (opt.rightfree - tolerance);
    short highleftfree = (short) (opt.leftfree + tolerance);
    short highrightfree = (short) (opt.rightfree + tolerance);
    for (int i = 1; i < nsplits; i++) {
      Point s = splits[i];
      if (s.leftfree < lowleftfree || s.rightfree < lowrightfree || s.leftfree > highleftfree || s.rightfree > highrightfree) {
        return i;
      }
    }
    return nsplits;
  }

  private int strategy(Point leftpage, Point rightpage, Strategy[] strategy) {
    int nkeyatts = desc.natts();
    strategy[0] = Strategy.DEFAULT;
    if (!isLeaf) return minfirstrightsz;
    Point[] edges = intervalEdges();
    IndexTuple leftmost = lastleft(edges[0]);
    IndexTuple rightmost = firstright(edges[1]);
    int perfectpenalty = IndexTuple.keepNattsFast(desc, leftmost, rightmost);
    if (perfectpenalty <= nkeyatts) return perfectpenalty;
    leftmost = lastleft(leftpage);
    rightmost = firstright(rightpage);
    perfectpenalty = IndexTuple.keepNattsFast(desc, leftmost, rightmost);
    if (perfectpenalty <= nkeyatts) {
      strategy[0] = Strategy.MANY_DUPLICATES;
      return nkeyatts;
    } else if (isRightmost) {
      strategy[0] = Strategy.SINGLE_VALUE;
    } else {
      perfectpenalty = IndexTuple.keepNattsFast(desc, page.tuple(BtPage.P_HIKEY), newitem);
      if (perfectpenalty <= nkeyatts) strategy[0] = Strategy.SINGLE_VALUE;
    }
    return perfectpenalty;
  }

  private Point[] intervalEdges() {
    int highsplit = Math.min(interval, nsplits);
    Point deltaoptimal = splits[0];
    Point left = null;
    Point right = null;
    for (int i = highsplit - 1; i >= 0; i--) {
      Point distant = splits[i];
      if (distant.firstrightoff < deltaoptimal.firstrightoff) {
        if (left == null) left = distant;
      } else if (distant.firstrightoff > deltaoptimal.firstrightoff) {
        if (right == null) right = distant;
      } else if (!distant.newitemonleft && deltaoptimal.newitemonleft) {
        if (left == null) left = distant;
      } else if (distant.newitemonleft && !deltaoptimal.newitemonleft) {
        if (right == null) right = distant;
      } else {
        if (left == null) left = distant;
        if (right == null) right = distant;
      }
      if (left != null && right != null) return new Point[] {left, right};
    }
    throw new IllegalStateException("split interval has no edges");
  }

  private int penalty(Point split) {
    if (!isLeaf) {
      if (!split.newitemonleft && split.firstrightoff == newitemoff) return newitemsz;
      return KeyDesc.maxalign(page.tuple(split.firstrightoff).size) + BtPage.ITEM_ID;
    }
    return IndexTuple.keepNattsFast(desc, lastleft(split), firstright(split));
  }

  private IndexTuple lastleft(Point split) {
    if (split.newitemonleft && split.firstrightoff == newitemoff) return newitem;
    return page.tuple(split.firstrightoff - 1);
  }

  private IndexTuple firstright(Point split) {
    if (!split.newitemonleft && split.firstrightoff == newitemoff) return newitem;
    return page.tuple(split.firstrightoff);
  }
}
