package sim.postgres.brin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.SqlException;

/**
 * A PostgreSQL 15 BRIN index of one column with the minmax opclass: block 0 the metapage, then the revmap
 * pages (brin_revmap.c), then regular pages of BRIN tuples (brin_pageops.c). Each block range of
 * {@code pagesPerRange} heap blocks has at most one tuple, found through its revmap entry: the smallest and
 * largest value of the range. A range without a tuple is unsummarized; a scan must read all of it.
 */
public final class BrinIndex {
  public static final int BRIN_META_MAGIC = 0xA8109CFA;
  public static final int BRIN_CURRENT_VERSION = 1;
  public static final int BRIN_DEFAULT_PAGES_PER_RANGE = 128;
  /** BRIN_METAPAGE_BLKNO. */
  static final int METAPAGE = 0;

  /** Where changes are reported for WAL logging: the XLOG_BRIN record and the blocks it changed. */
  public interface Changes {
    Changes NONE = new Changes() {};

    default void logged(BrinIndex index, String record, List<Integer> blocks) {}
  }

  /** What summarization reads of the heap: the key values of the tuples an index build would index. */
  public interface HeapRange {
    List<Object> values(int startBlk, int nblocks);
  }

  public final String name;
  public final int oid;
  public final SqlType keyType;
  public final int pagesPerRange;
  int lastRevmapPage;
  final List<BrinPage> pages = new ArrayList<>();
  /** RelationGetTargetBlock: the page the last insert used, -1 for none. */
  private int targetBlock = -1;
  private Changes changes = Changes.NONE;
  /** During CREATE INDEX nothing is logged record by record: the build logs its pages once. */
  private boolean building;
  /** --break pg.brin-insert-skips-summary: an insert into a summarized range leaves the summary as it was. */
  private boolean insertSkipsSummary;

  public BrinIndex(String name, int oid, SqlType keyType, int pagesPerRange) {
    this.name = name;
    this.oid = oid;
    this.keyType = keyType;
    this.pagesPerRange = pagesPerRange;
    pages.add(new BrinPage(METAPAGE, BrinPage.Type.META)); // brin_metapage_init: lastRevmapPage 0
  }

  public void setChanges(Changes c) {
    changes = c;
  }

  public void setInsertSkipsSummary(boolean broken) {
    insertSkipsSummary = broken;
  }

  public int blocks() {
    return pages.size();
  }

  public BrinPage page(int blkno) {
    return pages.get(blkno);
  }

  public int lastRevmapPage() {
    return lastRevmapPage;
  }

  /** Redo: a logged page image replaces (or adds) the page. */
  void putPage(BrinPage p) {
    while (pages.size() <= p.blkno) pages.add(new BrinPage(pages.size(), BrinPage.Type.REGULAR));
    pages.set(p.blkno, p);
  }

  void setLastRevmapPage(int blk) {
    lastRevmapPage = blk;
  }

  // ---- the revmap ----------------------------------------------------------------------------------------

  /** revmap_get_blkno: the revmap block of this heap block's range, or -1 beyond the revmap. */
  private int revmapBlock(int heapBlk) {
    int blk = 1 + heapBlk / pagesPerRange / BrinPage.REVMAP_PAGE_MAXITEMS;
    return blk <= lastRevmapPage ? blk : -1;
  }

  private int revmapEntry(int heapBlk) {
    return heapBlk / pagesPerRange % BrinPage.REVMAP_PAGE_MAXITEMS;
  }

  /** brinGetTupleForHeapBlock: the range's summary, or null when it is unsummarized. */
  public BrinTuple summary(int heapBlk) {
    int[] at = locate(heapBlk);
    return at == null ? null : pages.get(at[0]).item(at[1]);
  }

  /** The (block, offset) of the range's tuple, or null. */
  int[] locate(int heapBlk) {
    int rb = revmapBlock(heapBlk);
    if (rb < 0) return null;
    BrinPage rev = pages.get(rb);
    int e = revmapEntry(heapBlk);
    return rev.revOff[e] == 0 ? null : new int[] {rev.revBlk[e], rev.revOff[e]};
  }

  private int setRevmap(int heapBlk, int blk, int off) {
    int rb = revmapBlock(heapBlk);
    BrinPage rev = pages.get(rb);
    rev.revBlk[revmapEntry(heapBlk)] = blk;
    rev.revOff[revmapEntry(heapBlk)] = off;
    return rb;
  }

  /** brinRevmapExtend: revmap pages up to the one that covers this heap block. */
  private void revmapExtend(int heapBlk) {
    int target = 1 + heapBlk / pagesPerRange / BrinPage.REVMAP_PAGE_MAXITEMS;
    while (target > lastRevmapPage) physicalExtend();
  }

  /**
   * revmap_physical_extend: the block after the last revmap page becomes a revmap page. It may be a regular
   * page already; its tuples are moved elsewhere first (brin_start_evacuating_page, brin_evacuate_page).
   */
  private void physicalExtend() {
    int mapBlk = lastRevmapPage + 1;
    if (mapBlk < pages.size()) {
      BrinPage p = pages.get(mapBlk);
      p.flags |= BrinPage.BRIN_EVACUATE_PAGE;
      for (int off = 1; off <= p.maxOffset(); off++) {
        BrinTuple t = p.item(off);
        if (t != null) doUpdate(t.heapBlk(), mapBlk, off, t, t);
      }
      p.init(BrinPage.Type.REVMAP);
    } else {
      pages.add(new BrinPage(mapBlk, BrinPage.Type.REVMAP));
    }
    lastRevmapPage = mapBlk;
    log("REVMAP_EXTEND", List.of(METAPAGE, mapBlk));
  }

  // ---- brin_pageops.c ------------------------------------------------------------------------------------

  /** brin_doinsert: the tuple goes to a page with room and the revmap points at it. */
  void doInsert(BrinTuple t) {
    revmapExtend(t.heapBlk());
    BrinPage p = insertPage(t.size(keyType));
    int off = p.add(t);
    int rb = setRevmap(t.heapBlk(), p.blkno, off);
    log("INSERT", List.of(p.blkno, rb));
  }

  /**
   * brin_doupdate: in place when the new tuple fits where the old one is (brin_can_do_samepage_update),
   * else on another page, the old line pointer unused and the revmap pointing at the new place.
   */
  private void doUpdate(int heapBlk, int blk, int off, BrinTuple old, BrinTuple neu) {
    BrinPage p = pages.get(blk);
    int oldSize = old.size(keyType);
    int newSize = neu.size(keyType);
    boolean samePage = (p.flags & BrinPage.BRIN_EVACUATE_PAGE) == 0
        && (newSize <= oldSize || p.exactFreeSpace(keyType) >= newSize - oldSize);
    if (samePage) {
      p.items.set(off - 1, neu); // PageIndexTupleOverwrite
      log("SAMEPAGE_UPDATE", List.of(blk));
      return;
    }
    BrinPage np = insertPage(newSize);
    p.delete(off);
    int noff = np.add(neu);
    int rb = setRevmap(heapBlk, np.blkno, noff);
    log("UPDATE", List.of(np.blkno, blk, rb));
  }

  /**
   * brin_getinsertbuffer: the target block if it has room, else the free space map's page (here the first
   * regular page with room), else a new page at the end.
   */
  private BrinPage insertPage(int itemSize) {
    if (itemSize > BrinPage.MAX_ITEM_SIZE) {
      throw SqlException.of("54000", "index row size %d exceeds maximum %d for index \"%s\"", itemSize, BrinPage.MAX_ITEM_SIZE, name);
    }
    if (targetBlock >= 0 && targetBlock < pages.size() && pages.get(targetBlock).brinFreeSpace(keyType) >= itemSize) {
      return pages.get(targetBlock);
    }
    for (BrinPage p : pages) {
      if (p.brinFreeSpace(keyType) >= itemSize) {
        targetBlock = p.blkno;
        return p;
      }
    }
    BrinPage fresh = new BrinPage(pages.size(), BrinPage.Type.REGULAR);
    pages.add(fresh);
    targetBlock = fresh.blkno;
    return fresh;
  }

  private void log(String record, List<Integer> blocks) {
    if (!building) changes.logged(this, record, blocks);
  }

  // ---- brin.c --------------------------------------------------------------------------------------------

  /**
   * brinbuild: one tuple per range from range 0 through the range of the last heap block holding a tuple to
   * index ({@code lastTupleBlock}, -1 when none: then range 0 alone, all nulls), each summarizing its tuples.
   */
  public void build(HeapRange heap, int lastTupleBlock) {
    building = true;
    try {
      for (int start = 0; start <= Math.max(0, lastTupleBlock); start += pagesPerRange) {
        BrinTuple t = BrinTuple.empty(start);
        for (Object v : heap.values(start, pagesPerRange)) t = t.add(v);
        doInsert(t);
      }
    } finally {
      building = false;
    }
    List<Integer> all = new ArrayList<>();
    for (BrinPage p : pages) all.add(p.blkno);
    changes.logged(this, "CREATE_INDEX", all);
  }

  /**
   * brinsummarize: every unsummarized range of the {@code heapBlocks} heap blocks gets a tuple (a placeholder
   * first, then the range's summary in its place, as summarize_range does). Without {@code includePartial}
   * (VACUUM) a last range not yet full is left alone; brin_summarize_new_values includes it. Returns how many.
   */
  public int summarize(HeapRange heap, int heapBlocks, boolean includePartial) {
    int summarized = 0;
    for (int start = 0; start < heapBlocks; start += pagesPerRange) {
      if (!includePartial && start + pagesPerRange > heapBlocks) break;
      if (locate(start) != null) continue;
      doInsert(BrinTuple.placeholderFor(start));
      BrinTuple t = BrinTuple.empty(start);
      for (Object v : heap.values(start, Math.min(pagesPerRange, heapBlocks - start))) t = t.add(v);
      int[] at = locate(start);
      doUpdate(start, at[0], at[1], pages.get(at[0]).item(at[1]), t);
      summarized++;
    }
    return summarized;
  }

  /** brininsert: a summarized range's summary widens to the new value; an unsummarized range stays so. */
  public void insert(int heapBlk, Object value) {
    int[] at = locate(heapBlk);
    if (at == null || insertSkipsSummary) return;
    BrinTuple old = pages.get(at[0]).item(at[1]);
    BrinTuple neu = old.add(value);
    if (neu != old) doUpdate(heapBlk, at[0], at[1], old, neu);
  }

  /**
   * bringetbitmap: the heap blocks a scan for {@code col op constant} must read, lossily: every block of a
   * range whose summary may hold a match, and of every unsummarized range or one being summarized.
   */
  public BitSet scan(String op, Object constant, int heapBlocks) {
    BitSet out = new BitSet();
    for (int start = 0; start < heapBlocks; start += pagesPerRange) {
      BrinTuple t = summary(start);
      if (t == null || t.placeholder() || consistent(t, op, constant)) out.set(start, Math.min(start + pagesPerRange, heapBlocks));
    }
    return out;
  }

  /** brin_minmax_consistent (a range of nothing but NULLs matches no comparison). */
  static boolean consistent(BrinTuple t, String op, Object c) {
    if (t.allNulls()) return false;
    return switch (op) {
      case "<" -> BrinTuple.compare(t.min(), c) < 0;
      case "<=" -> BrinTuple.compare(t.min(), c) <= 0;
      case "=" -> BrinTuple.compare(t.min(), c) <= 0 && BrinTuple.compare(t.max(), c) >= 0;
      case ">=" -> BrinTuple.compare(t.max(), c) >= 0;
      case ">" -> BrinTuple.compare(t.max(), c) > 0;
      default -> true;
    };
  }
}
