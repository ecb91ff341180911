package sim.postgres.brin;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.sql.SqlException;

/**
 * pageinspect's BRIN functions over the model's pages, with PostgreSQL 15's columns: brin_page_type,
 * brin_metapage_info, brin_revmap_data (every entry of a revmap page, (0,0) where no range is summarized)
 * and brin_page_items (one row per item and column; an unused line pointer is a row of NULLs).
 */
public final class BrinInspect {
  public static final List<String> METAPAGE_COLUMNS = List.of("magic", "version", "pagesperrange", "lastrevmappage");
  public static final List<String> REVMAP_COLUMNS = List.of("pages");
  public static final List<String> ITEMS_COLUMNS = List.of("itemoffset", "blknum", "attnum", "allnulls", "hasnulls",
      "placeholder", "value");

  private BrinInspect() {}

  public static BrinPage page(BrinIndex ix, long blkno) {
    if (blkno < 0 || blkno >= ix.blocks()) {
      throw SqlException.of("22023", "block number %d is out of range for relation \"%s\"", blkno, ix.name);
    }
    return ix.page((int) blkno);
  }

  public static String pageType(BrinIndex ix, long blkno) {
    return page(ix, blkno).type().pageinspectName;
  }

  private static BrinPage typed(BrinIndex ix, long blkno, BrinPage.Type want) {
    BrinPage p = page(ix, blkno);
    if (p.type() != want) {
      throw SqlException.of("22023", "page is not a BRIN page of type \"%s\"", want.pageinspectName);
    }
    return p;
  }

  public static List<Object> metapageInfo(BrinIndex ix, long blkno) {
    typed(ix, blkno, BrinPage.Type.META);
    return List.of(String.format("0x%08X", BrinIndex.BRIN_META_MAGIC), (long) BrinIndex.BRIN_CURRENT_VERSION,
        (long) ix.pagesPerRange, (long) ix.lastRevmapPage());
  }

  public static List<List<Object>> revmapData(BrinIndex ix, long blkno) {
    BrinPage p = typed(ix, blkno, BrinPage.Type.REVMAP);
    List<List<Object>> out = new ArrayList<>();
    for (int i = 0; i < BrinPage.REVMAP_PAGE_MAXITEMS; i++) out.add(List.of("(" + p.revBlk[i] + "," + p.revOff[i] + ")"));
    return out;
  }

  public static List<List<Object>> pageItems(BrinIndex ix, long blkno) {
    BrinPage p = typed(ix, blkno, BrinPage.Type.REGULAR);
    List<List<Object>> out = new ArrayList<>();
    for (int off = 1; off <= p.maxOffset(); off++) {
      BrinTuple t = p.item(off);
      List<Object> row = new ArrayList<>();
      row.add((long) off);
      if (t == null) {
        for (int i = 1; i < ITEMS_COLUMNS.size(); i++) row.add(null);
      } else {
        row.add((long) t.heapBlk());
        row.add(1L);
        row.add(t.allNulls());
        row.add(!t.allNulls() && t.hasNulls()); // an all-nulls column reads back hasnulls false
        row.add(t.placeholder());
        row.add(t.allNulls() ? null : "{" + text(t.min()) + " .. " + text(t.max()) + "}");
      }
      out.add(row);
    }
    return out;
  }

  private static String text(Object v) {
    if (v instanceof Boolean b) return b ? "t" : "f";
    return String.valueOf(v);
  }
}
