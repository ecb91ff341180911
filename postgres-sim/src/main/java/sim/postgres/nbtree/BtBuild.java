package sim.postgres.nbtree;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Tid;

/**
 * CREATE INDEX's bottom-up build (nbtsort.c): the sorted entries fill leaf pages left to right up to the
 * fillfactor (90%: 819 bytes left free), internal pages to 70%; when a page is full its last item moves to a
 * new page and the page gets a (truncated) high key, and the page's low key goes up as a downlink, creating
 * levels as needed. A non-unique index deduplicates as it goes (posting lists up to a tenth of a page).
 */
final class BtBuild {
  /** One level's page being filled. */
  private final class Level {
    final int level;
    final int full;
    BtPage page;
    final List<IndexTuple> data = new ArrayList<>();
    IndexTuple lowkey;
    int lastExtra;
    Level next;

    Level(int level) {
      this.level = level;
      this.full = level > 0 ? BtPage.BLCKSZ * (100 - SplitLoc.BTREE_NONLEAF_FILLFACTOR) / 100
          : BtPage.BLCKSZ * (100 - tree.fillfactor) / 100;
      this.page = newPage(level);
    }

    /** PageGetFreeSpace of the page being built: its line pointers include the high key's placeholder. */
    int freeSpace() {
      int used = 0;
      for (IndexTuple t : data) used += KeyDesc.maxalign(t.size);
      int lower = BtPage.PAGE_HEADER + BtPage.ITEM_ID * (data.size() + 1);
      int upper = BtPage.BLCKSZ - BtPage.SPECIAL - used;
      return Math.max(0, upper - lower - BtPage.ITEM_ID);
    }
  }

  private final BTree tree;
  private int allocated = 1;

  private BtBuild(BTree tree) {
    this.tree = tree;
  }

  /** Builds {@code tree} (empty) from entries sorted by key, then heap TID. */
  static void build(BTree tree, List<Object[]> keys, List<Tid> tids) {
    new BtBuild(tree).load(keys, tids);
  }

  private BtPage newPage(int level) {
    return new BtPage(allocated++, level, level == 0 ? BtPage.BTP_LEAF : 0);
  }

  private void load(List<Object[]> keys, List<Tid> tids) {
    Level leaf = null;
    boolean deduplicate = !tree.unique;
    int nkeyatts = tree.desc.natts();
    IndexTuple base = null;
    List<Tid> pending = new ArrayList<>();
    int maxpostingsize = (BtPage.BLCKSZ * 10 / 100) / 8 * 8 - BtPage.ITEM_ID;
    for (int i = 0; i < keys.size(); i++) {
      IndexTuple itup = IndexTuple.leaf(tree.desc, keys.get(i), tids.get(i));
      if (leaf == null) leaf = new Level(0);
      if (!deduplicate) {
        add(leaf, itup, 0);
        continue;
      }
      if (base == null) {
        base = itup;
        pending.add(itup.heapTid());
      } else if (IndexTuple.keepNattsFast(tree.desc, base, itup) > nkeyatts
          && KeyDesc.maxalign(base.size + (pending.size() + 1) * IndexTuple.TID_BYTES) <= maxpostingsize) {
        pending.add(itup.heapTid());
      } else {
        finishPending(leaf, base, pending);
        base = itup;
        pending.clear();
        pending.add(itup.heapTid());
      }
    }
    if (base != null) finishPending(leaf, base, pending);
    shutdown(leaf);
  }

  /** _bt_sort_dedup_finish_pending. */
  private void finishPending(Level leaf, IndexTuple base, List<Tid> pending) {
    if (pending.size() == 1) {
      add(leaf, base, 0);
      return;
    }
    IndexTuple posting = IndexTuple.formPosting(base, pending.toArray(new Tid[0]));
    add(leaf, posting, posting.size - posting.postingOffset());
  }

  /** _bt_buildadd. */
  private void add(Level st, IndexTuple itup, int truncextra) {
    int lastExtra = st.lastExtra;
    st.lastExtra = truncextra;
    int pgspc = st.freeSpace();
    int itupsz = KeyDesc.maxalign(itup.size);
    boolean isleaf = st.level == 0;
    if (pgspc < itupsz + (isleaf ? KeyDesc.maxalign(IndexTuple.TID_BYTES) : 0)
        || (pgspc + lastExtra < st.full && st.data.size() >= 2)) {
      BtPage opage = st.page;
      BtPage npage = newPage(st.level);
      IndexTuple oitup = st.data.remove(st.data.size() - 1);
      IndexTuple highkey = isleaf ? IndexTuple.truncate(tree.desc, st.data.get(st.data.size() - 1), oitup) : oitup;
      opage.items.add(new BtPage.Item(highkey));
      for (IndexTuple t : st.data) opage.items.add(new BtPage.Item(t));
      st.data.clear();
      st.data.add(isleaf ? oitup : oitup.asMinusInfinity());
      if (st.next == null) st.next = new Level(st.level + 1);
      add(st.next, st.lowkey.withDownlink(opage.blkno), 0);
      st.lowkey = highkey;
      opage.next = npage.blkno;
      npage.prev = opage.blkno;
      tree.putPage(opage);
      st.page = npage;
    } else if (st.data.isEmpty() && st.lowkey == null) {
      st.lowkey = IndexTuple.minusInfinity(0);
    }
    st.data.add(!isleaf && st.data.isEmpty() ? itup.asMinusInfinity() : itup);
  }

  /** _bt_uppershutdown: each level's last page is rightmost (no high key); the top one is the root. */
  private void shutdown(Level leaf) {
    for (Level s = leaf; s != null; s = s.next) {
      if (s.next == null) {
        s.page.flags |= BtPage.BTP_ROOT;
        tree.root = tree.fastroot = s.page.blkno;
        tree.level = tree.fastlevel = s.level;
      } else {
        add(s.next, s.lowkey.withDownlink(s.page.blkno), 0);
      }
      for (IndexTuple t : s.data) s.page.items.add(new BtPage.Item(t));
      tree.putPage(s.page);
    }
  }
}
