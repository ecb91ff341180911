package sim.postgres.nbtree;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Tid;
import sim.postgres.sql.SqlException;

/**
 * pageinspect's B-tree functions over the model's pages, with PostgreSQL's columns and types: bt_metap,
 * bt_page_stats and bt_page_items. Integers are Longs, booleans Booleans, tids and arrays their text.
 */
public final class PageInspect {
  public static final List<String> METAP_COLUMNS = List.of("magic", "version", "root", "level", "fastroot", "fastlevel",
      "last_cleanup_num_delpages", "last_cleanup_num_tuples", "allequalimage");
  public static final List<String> STATS_COLUMNS = List.of("blkno", "type", "live_items", "dead_items", "avg_item_size",
      "page_size", "free_size", "btpo_prev", "btpo_next", "btpo_level", "btpo_flags");
  public static final List<String> ITEMS_COLUMNS = List.of("itemoffset", "ctid", "itemlen", "nulls", "vars", "data", "dead",
      "htid", "tids");

  private PageInspect() {}

  public static List<Object> metap(BTree t) {
    return List.of((long) BTree.BTREE_MAGIC, (long) BTree.BTREE_VERSION, (long) t.root, (long) t.level, (long) t.fastroot,
        (long) t.fastlevel, 0L, -1.0, true);
  }

  private static BtPage page(BTree t, long blkno) {
    if (blkno == 0) throw SqlException.of("22023", "block 0 is a meta page");
    if (blkno < 0 || blkno >= t.blocks()) throw SqlException.of("XX000", "block number out of range");
    return t.page((int) blkno);
  }

  public static List<Object> pageStats(BTree t, long blkno) {
    BtPage p = page(t, blkno);
    long live = 0;
    long dead = 0;
    long sizes = 0;
    for (BtPage.Item it : p.items) {
      if (it.dead) dead++;
      else live++;
      sizes += it.tuple.size;
    }
    long avg = p.items.isEmpty() ? 0 : sizes / p.items.size();
    return List.of(blkno, String.valueOf(p.type()), live, dead, avg, (long) BtPage.BLCKSZ, (long) p.freeSpace(),
        (long) p.prev, (long) p.next, (long) p.level, (long) p.flags);
  }

  public static List<List<Object>> pageItems(BTree t, long blkno) {
    BtPage p = page(t, blkno);
    List<List<Object>> out = new ArrayList<>();
    for (int off = 1; off <= p.maxOffset(); off++) {
      BtPage.Item it = p.item(off);
      IndexTuple tup = it.tuple;
      Tid htid = tup.heapTid();
      String tids = null;
      if (tup.isPosting()) {
        StringBuilder b = new StringBuilder("{");
        for (int k = 0; k < tup.posting.length; k++) b.append(k > 0 ? "," : "").append('"').append(tup.posting[k]).append('"');
        tids = b.append('}').toString();
      }
      List<Object> row = new ArrayList<>();
      row.add((long) off);
      row.add(tup.ctid());
      row.add((long) tup.size);
      row.add(tup.hasNulls());
      row.add(tup.hasVarWidth());
      row.add(tup.dataHex(t.desc));
      row.add(tup.isPivot() ? null : it.dead);
      row.add(htid == null ? null : htid.toString());
      row.add(tids);
      out.add(row);
    }
    return out;
  }
}
