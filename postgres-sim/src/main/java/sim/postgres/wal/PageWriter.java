package sim.postgres.wal;

import sim.core.disk.SimDisk;
import sim.postgres.engine.SharedState;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.Table;
import sim.postgres.nbtree.BTree;
import sim.postgres.nbtree.BtPageCodec;

/**
 * bufmgr.c's FlushBuffer for heap and index pages: XLogFlush up to the page's LSN first (WAL before
 * data), then the 8 KiB write into the relation file {@code base/<oid>} (md.c).
 */
final class PageWriter {
  /** XLogFlush in the calling process. */
  interface Flush {
    void flushNow(long lsn, String why);
  }

  private final SimDisk disk;
  private final SharedState state;
  private final Points points;
  private final boolean tracing;
  private final Flush flush;
  private final Wal wal;

  PageWriter(SimDisk disk, SharedState state, Points points, Flush flush, Wal wal) {
    this.disk = disk;
    this.state = state;
    this.points = points;
    this.tracing = points != Points.NONE;
    this.flush = flush;
    this.wal = wal;
  }

  /** The heap or index a buffer belongs to, by relation OID, or null if it was dropped. */
  private Object relation(int oid) {
    for (Table t : state.tables.values()) {
      if (t.oid == oid) return t;
      for (Table.Index ix : t.indexes) if (ix.oid() == oid) return state.btree(ix.name());
      for (Table.Brin b : t.brinIndexes) if (b.oid() == oid) return state.brins.get(b.name());
    }
    return null;
  }

  void writeBlock(int relOid, int block) {
    Object rel = relation(relOid);
    if (rel instanceof Table t) writePage(t, block);
    else if (rel instanceof BTree tree) writeIndexPage(tree, block);
    else if (rel instanceof sim.postgres.brin.BrinIndex brin) writeBrinPage(brin, block);
  }

  /** FlushBuffer for a BRIN page. */
  private void writeBrinPage(sim.postgres.brin.BrinIndex ix, int block) {
    long lsn = ix.page(block).lsn;
    String file = Storage.relFile(ix.oid);
    flush.flushNow(lsn, "WAL before data: index " + file + " block " + block);
    Wal.checkOrder(lsn, wal.flushedLsn());
    if (!disk.exists(file)) disk.create(file);
    disk.write(file, (long) block * HeapPage.BLCKSZ, sim.postgres.brin.BrinPageCodec.encode(ix, ix.page(block)));
    if (tracing) {
      points.point("pg.buffer.write", file + " block " + block + " (index " + ix.name + ", pd_lsn " + Wal.formatLsn(lsn) + ")",
          "relation", ix.name, "file", file, "block", block, "pageLsn", Wal.formatLsn(lsn));
    }
  }

  /** FlushBuffer for an index page (block 0: the metapage). */
  private void writeIndexPage(BTree tree, int block) {
    long lsn = block == 0 ? tree.metaLsn : tree.page(block).lsn;
    String file = Storage.relFile(tree.oid);
    flush.flushNow(lsn, "WAL before data: index " + file + " block " + block);
    Wal.checkOrder(lsn, wal.flushedLsn());
    if (!disk.exists(file)) disk.create(file);
    byte[] image = block == 0 ? BtPageCodec.encodeMeta(tree) : BtPageCodec.encode(tree, tree.page(block));
    disk.write(file, (long) block * HeapPage.BLCKSZ, image);
    if (tracing) {
      points.point("pg.buffer.write", file + " block " + block + " (index " + tree.name + ", pd_lsn " + Wal.formatLsn(lsn) + ")",
          "relation", tree.name, "file", file, "block", block, "pageLsn", Wal.formatLsn(lsn));
    }
  }

  /** FlushBuffer: XLogFlush(page LSN), then write the page. */
  private void writePage(Table table, int block) {
    if (state.tables.get(table.name) != table) return; // dropped
    HeapPage page = table.pages.get(block);
    flush.flushNow(page.lsn, "WAL before data: page " + Storage.relFile(table) + " block " + block);
    Wal.checkOrder(page.lsn, wal.flushedLsn());
    String file = Storage.relFile(table);
    if (!disk.exists(file)) disk.create(file);
    disk.write(file, (long) block * HeapPage.BLCKSZ, PageCodec.encodePage(table, page));
    if (tracing) {
      points.point("pg.buffer.write", Storage.relFile(table) + " block " + block + " (pd_lsn " + Wal.formatLsn(page.lsn) + ")",
          "relation", table.name, "file", file, "block", block, "pageLsn", Wal.formatLsn(page.lsn));
    }
  }
}
