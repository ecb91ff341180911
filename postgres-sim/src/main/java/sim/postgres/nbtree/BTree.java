package sim.postgres.nbtree;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;
import sim.postgres.heap.Tid;
import sim.postgres.sql.SqlException;

/**
 * A PostgreSQL 15 nbtree index (Lehman & Yao with high keys and right links, heap TID as the final key
 * attribute, suffix truncation, deduplication): a metapage (block 0) and pages allocated at the end of the
 * relation as they are needed. Insertion is _bt_doinsert's: descend to the leaf the key and heap TID belong
 * on, make room by removing LP_DEAD items or deduplicating, split the page where nbtsplitloc.c would, and
 * insert the new high key as a downlink in the parent, splitting upwards and growing a new root. Unique
 * checks (the caller's, with the heap) find their candidates through {@link #equal}; scans likewise; VACUUM
 * removes the entries of dead heap tuples through {@link #bulkDelete}.
 */
public final class BTree {
  public static final int BTREE_MAGIC = 0x053162;
  public static final int BTREE_VERSION = 4;
  public static final int BTREE_DEFAULT_FILLFACTOR = 90;

  /** An index entry a search found: the heap TID, and where the entry is (to mark it LP_DEAD later). */
  public record Hit(Tid htid, int block, int offset) {}

  /** Where changes are reported for WAL logging. */
  public interface Changes {
    Changes NONE = new Changes() {};

    /** XLOG_BTREE_INSERT_LEAF / _UPPER: one tuple added at {@code off}. */
    default void inserted(BTree tree, BtPage page, int off, IndexTuple tuple) {}

    /** A split, a new root, deduplication, a posting list split or VACUUM: these pages as they are now. */
    default void rewritten(BTree tree, String what, List<BtPage> pages, boolean metapage) {}
  }

  public final String name;
  public final int oid;
  public final boolean unique;
  final KeyDesc desc;
  /** By block number; block 0 is the metapage (null here: its fields are below). */
  final List<BtPage> pages = new ArrayList<>();
  int root;
  int level;
  int fastroot;
  int fastlevel;
  int fillfactor = BTREE_DEFAULT_FILLFACTOR;
  /** pd_lsn of the metapage. */
  public long metaLsn;
  private Changes changes = Changes.NONE;

  public BTree(String name, int oid, KeyDesc desc, boolean unique) {
    this.name = name;
    this.oid = oid;
    this.desc = desc;
    this.unique = unique;
    pages.add(null);
  }

  public void setChanges(Changes changes) {
    this.changes = changes;
  }

  /** PredicateLockPageSplit's hook: a page split, its right half went to {@code rightBlock}. */
  public interface SplitListener {
    void split(BTree tree, int leftBlock, int rightBlock);
  }

  private SplitListener splitListener = (t, l, r) -> { };

  public void setSplitListener(SplitListener l) {
    this.splitListener = l;
  }

  public KeyDesc desc() {
    return desc;
  }

  /** _bt_getrootheight: the fast root's level, 0 for an index with no root yet. */
  public int rootHeight() {
    return root == 0 ? 0 : fastlevel;
  }

  public int blocks() {
    return pages.size();
  }

  public BtPage page(int blkno) {
    return pages.get(blkno);
  }

  /** CREATE INDEX on entries sorted by key, then heap TID: nbtsort's bottom-up build. */
  public void buildSorted(List<Object[]> keys, List<Tid> tids) {
    if (root != 0 || pages.size() > 1) throw new IllegalStateException("index " + name + " is not empty");
    BtBuild.build(this, keys, tids);
    List<BtPage> all = new ArrayList<>();
    for (int b = 1; b < pages.size(); b++) all.add(pages.get(b));
    changes.rewritten(this, "build", all, true);
  }

  /** Replaces (or adds) a page: redo of a logged page image. */
  void putPage(BtPage p) {
    while (pages.size() <= p.blkno) pages.add(new BtPage(pages.size(), 0, BtPage.BTP_LEAF));
    pages.set(p.blkno, p);
  }

  private BtPage newPage(int level, int flags) {
    BtPage p = new BtPage(pages.size(), level, flags);
    pages.add(p);
    return p;
  }

  // ---- search ------------------------------------------------------------------------------------------

  /** _bt_search: the leaf page where {@code key} belongs; {@code stack} gets (parent block, downlink offset). */
  private BtPage descend(ScanKey key, Deque<int[]> stack) {
    BtPage p = page(root);
    while (true) {
      p = moveRight(p, key);
      if (p.isLeaf()) return p;
      int off = binsrch(p, key);
      if (stack != null) stack.push(new int[] {p.blkno, off});
      p = page(p.tuple(off).downlink());
    }
  }

  /** _bt_moveright: a concurrent split may have moved the key right; here, high keys are always current. */
  private BtPage moveRight(BtPage p, ScanKey key) {
    while (!p.isRightmost() && key.compare(desc, p, BtPage.P_HIKEY) >= 1) p = page(p.next);
    return p;
  }

  /** _bt_binsrch: a leaf's first item >= key; an internal page's last item < key. */
  private int binsrch(BtPage p, ScanKey key) {
    int low = p.firstDataKey();
    int high = p.maxOffset();
    if (high < low) return low;
    high++;
    while (high > low) {
      int mid = low + (high - low) / 2;
      if (key.compare(desc, p, mid) >= 1) low = mid + 1;
      else high = mid;
    }
    return p.isLeaf() ? low : low - 1;
  }

  /**
   * An equality search on the leading key attributes ({@code keys} may be a prefix): every entry whose key
   * is equal, in index order (key, then heap TID), posting lists expanded. LP_DEAD entries are skipped, as
   * index scans and _bt_check_unique skip them. {@code leaves} hears every leaf page read.
   */
  public List<Hit> equal(Object[] keys, java.util.function.IntConsumer leaves) {
    List<Hit> out = new ArrayList<>();
    if (root == 0) return out;
    ScanKey key = new ScanKey(keys, null);
    BtPage p = descend(key, null);
    int off = binsrch(p, key);
    while (true) {
      leaves.accept(p.blkno);
      for (; off <= p.maxOffset(); off++) {
        if (key.compare(desc, p, off) != 0) return out;
        BtPage.Item it = p.item(off);
        if (it.dead) continue;
        for (Tid t : it.tuple.heapTids()) out.add(new Hit(t, p.blkno, off));
      }
      if (p.isRightmost() || key.compare(desc, p, BtPage.P_HIKEY) < 0) return out;
      p = page(p.next);
      off = p.firstDataKey();
    }
  }

  /** Whether any entry, LP_DEAD or not, has this key: _bt_check_unique found a duplicate (uniquedup). */
  public boolean anyEqual(Object[] keys) {
    if (root == 0) return false;
    ScanKey key = new ScanKey(keys, null);
    BtPage p = descend(key, null);
    int off = binsrch(p, key);
    return off <= p.maxOffset() && key.compare(desc, p, off) == 0;
  }

  /** The leaf page an entry with this key and heap TID goes to (SSI's conflict-in target). */
  public int leafFor(Object[] keys, Tid htid) {
    if (root == 0) return 0;
    return descend(new ScanKey(keys, htid), null).blkno;
  }

  /** How many heap TIDs the entry at this position holds (1, or a posting list's length). */
  public int heapTidCount(int block, int off) {
    BtPage p = page(block);
    return off > p.maxOffset() ? 0 : p.tuple(off).heapTids().length;
  }

  /** kill_prior_tuple / _bt_check_unique's ItemIdMarkDead: every heap tuple the entry points at is dead to all. */
  public void markDead(int block, int off) {
    BtPage p = page(block);
    if (off > p.maxOffset() || p.item(off).dead) return;
    p.item(off).dead = true;
    p.flags |= BtPage.BTP_HAS_GARBAGE;
  }

  // ---- insertion -------------------------------------------------------------------------------------

  /**
   * _bt_doinsert after the unique check: adds the entry for ({@code keys}, {@code htid}). For a unique
   * index, {@code uniquedup} says whether the check met an equal key (deduplication is only tried then).
   */
  public void insert(Object[] keys, Tid htid, boolean uniquedup) {
    IndexTuple itup = IndexTuple.leaf(desc, keys, htid);
    int itemsz = KeyDesc.maxalign(itup.size);
    if (itemsz > Dedup.maxItemSize()) {
      throw SqlException.of("54000", "index row size %d exceeds btree version %d maximum %d for index \"%s\"",
          itemsz, BTREE_VERSION, Dedup.maxItemSize(), name);
    }
    if (root == 0) {
      BtPage r = newPage(0, BtPage.BTP_LEAF | BtPage.BTP_ROOT);
      root = fastroot = r.blkno;
      level = fastlevel = 0;
      changes.rewritten(this, "newroot", List.of(r), true);
    }
    ScanKey key = new ScanKey(keys, htid);
    Deque<int[]> stack = new ArrayDeque<>();
    BtPage leaf = descend(key, stack);
    if (leaf.freeSpace() < itemsz) makeRoom(leaf, itup, itemsz, unique, uniquedup);
    int[] found = binsrchInsert(leaf, key);
    if (found[1] == -1) { // an LP_DEAD posting list overlaps: delete LP_DEAD items first
      deleteDeadItems(leaf);
      found = binsrchInsert(leaf, key);
    }
    insertOnPage(leaf, itup, found[0], found[1], stack);
  }

  /** _bt_delete_or_dedup_one_page: LP_DEAD items first, then (when allowed) a deduplication pass. */
  private void makeRoom(BtPage leaf, IndexTuple itup, int itemsz, boolean checkingunique, boolean uniquedup) {
    if (leaf.hasDeadItems()) {
      deleteDeadItems(leaf);
      if (leaf.freeSpace() >= itemsz) return;
      uniquedup = true;
    }
    if (checkingunique && !uniquedup) return;
    if (Dedup.pass(desc, leaf, itup, itemsz, uniquedup) > 0) changes.rewritten(this, "dedup", List.of(leaf), false);
  }

  private void deleteDeadItems(BtPage p) {
    List<BtPage.Item> keep = new ArrayList<>();
    for (int off = 1; off <= p.maxOffset(); off++) {
      BtPage.Item it = p.item(off);
      if (!it.dead || off < p.firstDataKey()) keep.add(it);
    }
    p.items.clear();
    p.items.addAll(keep);
    p.flags &= ~BtPage.BTP_HAS_GARBAGE;
    changes.rewritten(this, "delete", List.of(p), false);
  }

  /** _bt_binsrch_insert: {offset, postingoff}; postingoff is where the TID falls inside a posting list (-1: LP_DEAD). */
  private int[] binsrchInsert(BtPage p, ScanKey key) {
    int low = p.firstDataKey();
    int high = p.maxOffset();
    int postingoff = 0;
    if (high < low) return new int[] {low, 0};
    high++;
    while (high > low) {
      int mid = low + (high - low) / 2;
      int r = key.compare(desc, p, mid);
      if (r >= 1) low = mid + 1;
      else high = mid;
      if (r == 0 && key.scantid() != null) postingoff = binsrchPosting(p, mid, key.scantid());
    }
    return new int[] {low, postingoff};
  }

  /** _bt_binsrch_posting: where the scantid goes in the posting list at {@code off} (0: not a posting list). */
  private static int binsrchPosting(BtPage p, int off, Tid scantid) {
    BtPage.Item it = p.item(off);
    if (!it.tuple.isPosting()) return 0;
    if (it.dead) return -1;
    Tid[] tids = it.tuple.posting;
    int low = 0;
    int high = tids.length;
    while (high > low) {
      int mid = low + (high - low) / 2;
      if (scantid.compareTo(tids[mid]) > 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** _bt_insertonpg: a posting list split if needed, then the tuple on the page, or a page split. */
  private void insertOnPage(BtPage page, IndexTuple itup, int newitemoff, int postingoff, Deque<int[]> stack) {
    IndexTuple nposting = null;
    if (postingoff != 0) {
      IndexTuple oposting = page.tuple(newitemoff);
      IndexTuple[] swapped = swapPosting(itup, oposting, postingoff);
      nposting = swapped[0];
      itup = swapped[1];
      newitemoff++;
    }
    int itemsz = KeyDesc.maxalign(itup.size);
    if (page.freeSpace() < itemsz) {
      boolean isRoot = page.isRoot();
      BtPage right = split(page, newitemoff, itup, nposting, postingoff);
      insertParent(page, right, stack, isRoot);
      return;
    }
    if (nposting != null) page.set(newitemoff - 1, nposting);
    page.add(newitemoff, itup);
    if (nposting != null) changes.rewritten(this, "posting split", List.of(page), false);
    else changes.inserted(this, page, newitemoff, itup);
  }

  /**
   * _bt_swap_posting: the new TID falls inside an existing posting list. The posting list takes it (its
   * largest TID moves out) and the new tuple carries that largest TID, going right after the posting list.
   */
  static IndexTuple[] swapPosting(IndexTuple newitem, IndexTuple oposting, int postingoff) {
    Tid[] tids = oposting.posting.clone();
    Tid max = tids[tids.length - 1];
    System.arraycopy(tids, postingoff, tids, postingoff + 1, tids.length - postingoff - 1);
    tids[postingoff] = newitem.heapTid();
    return new IndexTuple[] {IndexTuple.formPosting(oposting, tids), IndexTuple.formPosting(newitem, new Tid[] {max})};
  }

  /** _bt_split: the left half stays in {@code orig}'s block, the right half goes to a new block. */
  private BtPage split(BtPage orig, int newitemoff, IndexTuple newitem, IndexTuple nposting, int postingoff) {
    SplitLoc.Split s = SplitLoc.find(desc, orig, newitemoff, KeyDesc.maxalign(newitem.size), newitem, fillfactor);
    int firstrightoff = s.firstRightOff();
    boolean newitemonleft = s.newItemOnLeft();
    int origpagepostingoff = postingoff != 0 ? newitemoff - 1 : 0;
    boolean isleaf = orig.isLeaf();
    boolean isrightmost = orig.isRightmost();
    int maxoff = orig.maxOffset();
    IndexTuple firstright;
    if (!newitemonleft && newitemoff == firstrightoff) firstright = newitem;
    else firstright = firstrightoff == origpagepostingoff ? nposting : orig.tuple(firstrightoff);
    IndexTuple lefthighkey;
    if (isleaf) {
      IndexTuple lastleft;
      if (newitemonleft && newitemoff == firstrightoff) lastleft = newitem;
      else lastleft = firstrightoff - 1 == origpagepostingoff ? nposting : orig.tuple(firstrightoff - 1);
      lefthighkey = IndexTuple.truncate(desc, lastleft, firstright);
    } else {
      lefthighkey = firstright;
    }
    List<IndexTuple> left = new ArrayList<>();
    List<IndexTuple> right = new ArrayList<>();
    left.add(lefthighkey);
    if (!isrightmost) right.add(orig.tuple(BtPage.P_HIKEY));
    int minusinf = isleaf ? -1 : right.size(); // index in {@code right} of the minus infinity item
    int i;
    for (i = orig.firstDataKey(); i <= maxoff; i++) {
      IndexTuple dataitem = i == origpagepostingoff ? nposting : orig.tuple(i);
      if (i == newitemoff) {
        if (newitemonleft) left.add(newitem);
        else addRight(right, newitem, minusinf);
      }
      if (i < firstrightoff) left.add(dataitem);
      else addRight(right, dataitem, minusinf);
    }
    if (i <= newitemoff) addRight(right, newitem, minusinf);

    BtPage rpage = newPage(orig.level, orig.flags & ~(BtPage.BTP_ROOT | BtPage.BTP_SPLIT_END | BtPage.BTP_HAS_GARBAGE));
    rpage.prev = orig.blkno;
    rpage.next = orig.next;
    for (IndexTuple t : right) rpage.items.add(new BtPage.Item(t));
    orig.items.clear();
    for (IndexTuple t : left) orig.items.add(new BtPage.Item(t));
    orig.flags &= ~(BtPage.BTP_ROOT | BtPage.BTP_SPLIT_END | BtPage.BTP_HAS_GARBAGE);
    orig.next = rpage.blkno;
    List<BtPage> touched = new ArrayList<>(List.of(orig, rpage));
    if (rpage.next != BtPage.P_NONE) {
      BtPage sib = page(rpage.next);
      sib.prev = rpage.blkno;
      touched.add(sib);
    }
    changes.rewritten(this, "split", touched, false);
    splitListener.split(this, orig.blkno, rpage.blkno);
    return rpage;
  }

  private static void addRight(List<IndexTuple> right, IndexTuple t, int minusinf) {
    right.add(right.size() == minusinf ? t.asMinusInfinity() : t);
  }

  /** _bt_insert_parent: the left page's new high key becomes the right page's downlink in the parent. */
  private void insertParent(BtPage left, BtPage right, Deque<int[]> stack, boolean wasRoot) {
    if (wasRoot) {
      newRoot(left, right);
      return;
    }
    int[] parentAt = stack.pop();
    BtPage parent = page(parentAt[0]);
    int off = parentAt[1];
    // _bt_getstackbuf: re-find the downlink to the left page, moving right if the parent split meanwhile
    while (true) {
      int found = -1;
      for (int o = Math.max(off, parent.firstDataKey()); o <= parent.maxOffset(); o++) {
        if (parent.tuple(o).downlink() == left.blkno) {
          found = o;
          break;
        }
      }
      if (found > 0) {
        off = found;
        break;
      }
      parent = page(parent.next);
      off = parent.firstDataKey();
    }
    IndexTuple downlink = left.highKey().withDownlink(right.blkno);
    insertOnPage(parent, downlink, off + 1, 0, stack);
  }

  /** _bt_newroot: a new root one level up, with minus infinity → left and left's high key → right. */
  private void newRoot(BtPage left, BtPage right) {
    BtPage r = newPage(left.level + 1, BtPage.BTP_ROOT);
    r.items.add(new BtPage.Item(IndexTuple.minusInfinity(left.blkno)));
    r.items.add(new BtPage.Item(left.highKey().withDownlink(right.blkno)));
    root = fastroot = r.blkno;
    level = fastlevel = r.level;
    changes.rewritten(this, "newroot", List.of(r), true);
  }

  // ---- VACUUM ----------------------------------------------------------------------------------------

  /**
   * btbulkdelete: removes every leaf entry whose heap TID {@code dead} says is gone, shrinking posting lists
   * that keep some TIDs. Returns how many heap TIDs were removed. Empty pages are not deleted (PostgreSQL
   * would unlink them and recycle them later).
   */
  public int bulkDelete(Predicate<Tid> dead) {
    int removed = 0;
    for (int b = 1; b < pages.size(); b++) {
      BtPage p = pages.get(b);
      if (!p.isLeaf()) continue;
      boolean changed = false;
      List<BtPage.Item> keep = new ArrayList<>();
      for (int off = 1; off <= p.maxOffset(); off++) {
        BtPage.Item it = p.item(off);
        if (off < p.firstDataKey()) {
          keep.add(it);
          continue;
        }
        Tid[] tids = it.tuple.heapTids();
        List<Tid> live = new ArrayList<>();
        for (Tid t : tids) if (!dead.test(t)) live.add(t);
        removed += tids.length - live.size();
        if (live.size() == tids.length) {
          keep.add(it);
        } else {
          changed = true;
          if (!live.isEmpty()) keep.add(new BtPage.Item(IndexTuple.formPosting(it.tuple, live.toArray(new Tid[0]))));
        }
      }
      if (!changed) continue;
      p.items.clear();
      p.items.addAll(keep);
      p.flags &= ~BtPage.BTP_HAS_GARBAGE;
      changes.rewritten(this, "vacuum", List.of(p), false);
    }
    return removed;
  }

  // ---- pageinspect ---------------------------------------------------------------------------------------

  /** bt_metap: magic, version, root, level, fastroot, fastlevel, last_cleanup_num_delpages, last_cleanup_num_tuples, allequalimage. */
  public String metap() {
    return String.join("|", String.valueOf(BTREE_MAGIC), String.valueOf(BTREE_VERSION), String.valueOf(root),
        String.valueOf(level), String.valueOf(fastroot), String.valueOf(fastlevel), "0", "-1", "t");
  }

  /** bt_page_items rows: itemoffset|ctid|itemlen|nulls|vars|data|dead|htid|tids, NULL as "null". */
  public List<String> pageItems(int blkno) {
    BtPage p = page(blkno);
    List<String> out = new ArrayList<>();
    for (int off = 1; off <= p.maxOffset(); off++) {
      BtPage.Item it = p.item(off);
      IndexTuple t = it.tuple;
      boolean pivot = t.isPivot();
      Tid htid = t.heapTid();
      String tids = "null";
      if (t.isPosting()) {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < t.posting.length; k++) b.append(k > 0 ? "," : "").append('"').append(t.posting[k]).append('"');
        tids = b.append('}').toString();
      }
      out.add(String.join("|", String.valueOf(off), t.ctid(), String.valueOf(t.size), t.hasNulls() ? "t" : "f",
          t.hasVarWidth() ? "t" : "f", t.dataHex(desc), pivot ? "null" : it.dead ? "t" : "f",
          htid == null ? "null" : htid.toString(), tids));
    }
    return out;
  }

  /** bt_page_stats: blkno|type|live_items|dead_items|avg_item_size|page_size|free_size|btpo_prev|btpo_next|btpo_level|btpo_flags. */
  public String pageStats(int blkno) {
    BtPage p = page(blkno);
    int live = 0;
    int deadItems = 0;
    long sizes = 0;
    for (BtPage.Item it : p.items) {
      if (it.dead) deadItems++;
      else live++;
      sizes += it.tuple.size;
    }
    int avg = p.items.isEmpty() ? 0 : (int) (sizes / p.items.size());
    return String.join("|", String.valueOf(blkno), String.valueOf(p.type()), String.valueOf(live), String.valueOf(deadItems),
        String.valueOf(avg), String.valueOf(BtPage.BLCKSZ), String.valueOf(p.freeSpace()), String.valueOf(p.prev),
        String.valueOf(p.next), String.valueOf(p.level), String.valueOf(p.flags));
  }
}
