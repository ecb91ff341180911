package sim.postgres.nbtree;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Tid;

/**
 * _bt_dedup_pass (nbtdedup.c): before a leaf page splits, merge runs of equal keys into posting list
 * tuples (key once, heap TIDs after it), each at most maxpostingsize (1/6 of a page). When the page holds a
 * single value, the "single value" strategy leaves the last few tuples alone so the coming split can leave
 * the left page 96% full. Returns the number of posting lists written (0: the page is left as it was).
 */
final class Dedup {
  private final KeyDesc desc;
  private final int nkeyatts;
  private boolean deduplicate = true;
  private int nmaxitems;
  private int maxpostingsize;
  private IndexTuple base;
  private int basetupsize;
  private final List<Tid> htids = new ArrayList<>();
  private int nitems;
  private int phystupsize;
  private int nintervals;

  private Dedup(KeyDesc desc) {
    this.desc = desc;
    this.nkeyatts = desc.natts();
  }

  /** BTMaxItemSize: a third of a page, less a heap TID's room. */
  static int maxItemSize() {
    int avail = BtPage.BLCKSZ - KeyDesc.maxalign(BtPage.PAGE_HEADER + 3 * BtPage.ITEM_ID) - KeyDesc.maxalign(BtPage.SPECIAL);
    return (avail / 3) / 8 * 8 - KeyDesc.maxalign(IndexTuple.TID_BYTES);
  }

  static int pass(KeyDesc desc, BtPage page, IndexTuple newitem, int newitemsz, boolean checkingunique) {
    return new Dedup(desc).run(page, newitem, newitemsz + BtPage.ITEM_ID, checkingunique);
  }

  private int run(BtPage page, IndexTuple newitem, int newitemsz, boolean checkingunique) {
    maxpostingsize = Math.min(maxItemSize() / 2, IndexTuple.INDEX_SIZE_MASK);
    int minoff = page.firstDataKey();
    int maxoff = page.maxOffset();
    if (maxoff < minoff) return 0;
    boolean singlevalstrat = !checkingunique && singleval(page, minoff, newitem);
    List<IndexTuple> out = new ArrayList<>();
    if (!page.isRightmost()) out.add(page.tuple(BtPage.P_HIKEY));
    for (int off = minoff; off <= maxoff; off++) {
      IndexTuple itup = page.tuple(off);
      if (off == minoff) {
        startPending(itup);
      } else if (deduplicate && IndexTuple.keepNattsFast(desc, base, itup) > nkeyatts && saveHtid(itup)) {
        // merged into the pending posting list
      } else {
        finishPending(out);
        if (singlevalstrat) {
          if (nmaxitems == 5) {
            singlevalFillfactor(newitemsz);
          } else if (nmaxitems == 6) {
            deduplicate = false;
            singlevalstrat = false;
          }
        }
        startPending(itup);
      }
    }
    finishPending(out);
    if (nintervals == 0) return 0;
    page.items.clear();
    for (IndexTuple t : out) page.items.add(new BtPage.Item(t));
    page.flags &= ~BtPage.BTP_HAS_GARBAGE;
    return nintervals;
  }

  private void startPending(IndexTuple t) {
    htids.clear();
    if (!t.isPosting()) {
      htids.add(t.heapTid());
      basetupsize = t.size;
    } else {
      for (Tid tid : t.posting) htids.add(tid);
      basetupsize = t.postingOffset();
    }
    nitems = 1;
    base = t;
    phystupsize = KeyDesc.maxalign(t.size) + BtPage.ITEM_ID;
  }

  private boolean saveHtid(IndexTuple t) {
    int n = t.isPosting() ? t.nposting() : 1;
    int mergedtupsz = KeyDesc.maxalign(basetupsize + (htids.size() + n) * IndexTuple.TID_BYTES);
    if (mergedtupsz > maxpostingsize) {
      if (htids.size() > 50) nmaxitems++;
      return false;
    }
    nitems++;
    for (Tid tid : t.heapTids()) htids.add(tid);
    phystupsize += KeyDesc.maxalign(t.size) + BtPage.ITEM_ID;
    return true;
  }

  private void finishPending(List<IndexTuple> out) {
    if (nitems == 1) {
      out.add(base);
    } else {
      out.add(IndexTuple.formPosting(base, htids.toArray(new Tid[0])));
      nintervals++;
    }
    htids.clear();
    nitems = 0;
    phystupsize = 0;
  }

  private boolean singleval(BtPage page, int minoff, IndexTuple newitem) {
    if (IndexTuple.keepNattsFast(desc, newitem, page.tuple(minoff)) > nkeyatts) {
      return IndexTuple.keepNattsFast(desc, newitem, page.tuple(page.maxOffset())) > nkeyatts;
    }
    return false;
  }

  private void singlevalFillfactor(int newitemsz) {
    int leftfree = BtPage.BLCKSZ - BtPage.PAGE_HEADER - KeyDesc.maxalign(BtPage.SPECIAL);
    leftfree -= newitemsz + KeyDesc.maxalign(IndexTuple.TID_BYTES);
    int reduction = (int) (leftfree * ((100 - SplitLoc.BTREE_SINGLEVAL_FILLFACTOR) / 100.0));
    if (maxpostingsize > reduction) maxpostingsize -= reduction;
    else maxpostingsize = 0;
  }
}
