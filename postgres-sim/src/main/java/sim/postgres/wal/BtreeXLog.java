package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.nbtree.BTree;
import sim.postgres.nbtree.BtPage;
import sim.postgres.nbtree.BtPageCodec;
import sim.postgres.nbtree.IndexTuple;

/** nbtree's XLogInsert calls: an index tuple insert (with a full-page image when due), a rewrite of pages as images. */
final class BtreeXLog {
  private BtreeXLog() {}

  /** From now on the tree's changes are WAL-logged and its pages go through shared buffers. */
  static void attach(Storage s, BTree tree) {
    tree.setChanges(new BTree.Changes() {
      @Override
      public void inserted(BTree t, BtPage page, int off, IndexTuple tuple) {
        WalRecord.FullPage fpi = s.config().fullPageWrites() && page.lsn <= s.redoLsn()
            ? new WalRecord.FullPage(page.blkno(), BtPageCodec.encode(t, page)) : null;
        s.log(new WalRecord.BtreeInsert(t.oid, page.blkno(), off, BtPageCodec.encodeTuple(t, tuple), fpi));
        page.lsn = s.wal().insertLsn();
        s.pool().touch(t.oid, page.blkno(), true);
      }

      @Override
      public void rewritten(BTree t, String what, List<BtPage> pages, boolean metapage) {
        List<WalRecord.FullPage> images = new ArrayList<>();
        for (BtPage p : pages) images.add(new WalRecord.FullPage(p.blkno(), BtPageCodec.encode(t, p)));
        if (metapage) images.add(new WalRecord.FullPage(0, BtPageCodec.encodeMeta(t)));
        s.log(new WalRecord.BtreePages(t.oid, what, images));
        if (s.tracing()) {
          List<Integer> blocks = pages.stream().map(BtPage::blkno).toList();
          s.points().point("pg.btree." + what.replace(' ', '-'), t.name + ": " + what + " of block(s) " + blocks
              + (metapage ? ", metapage updated" : ""), "index", t.name, "blocks", blocks.toString(), "metapage", metapage);
        }
        for (BtPage p : pages) {
          p.lsn = s.wal().insertLsn();
          s.pool().touch(t.oid, p.blkno(), true);
        }
        if (metapage) {
          t.metaLsn = s.wal().insertLsn();
          s.pool().touch(t.oid, 0, true);
        }
      }
    });
  }
}
