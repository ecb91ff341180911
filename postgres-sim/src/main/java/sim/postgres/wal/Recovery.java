package sim.postgres.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Indexes;
import sim.postgres.nbtree.BtPageCodec;
import sim.postgres.engine.SharedState;
import sim.postgres.nbtree.BTree;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.lock.MultiXacts;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.Xids;

/**
 * StartupXLOG in miniature: read pg_control's redo point, load the catalog, pg_xact, pg_multixact and the
 * data files, then replay every WAL record after the redo point. A record with a full-page image restores
 * the page whole (repairing a torn write); otherwise it is applied only if the page's LSN is older. Redo
 * stops at the first torn or missing record; transactions without a commit record count as aborted.
 */
final class Recovery {
  private final SimDisk disk;
  private final Map<String, Table> tables = new TreeMap<>();
  private final Clog clog = new Clog();
  private final MultiXacts multis = new MultiXacts();
  long redoLsn;
  long endLsn;
  int replayed;
  int fpis;
  int committed;
  final List<String> repaired = new ArrayList<>();
  final List<String> corrupt = new ArrayList<>();
  private final Set<String> tornPages = new TreeSet<>();
  private int maxXid = Xids.FIRST_NORMAL - 1;
  /** A hot standby's startup process: xids seen at work are running until their commit or abort. */
  private final boolean hotStandby;
  /** KnownAssignedXids pruned by running-xacts records and shutdown checkpoints (no commit record seen). */
  int expiredKnownAssigned;
  /** Whether a catalog record was replayed (the catalog file is then behind the WAL). */
  boolean catalogReplayed;
  private SharedState shared;

  /** wal_segment_size: pg_control's, or what initdb is asked for on an empty disk. */
  final int segSize;

  Recovery(SimDisk disk, boolean hotStandby) {
    this(disk, hotStandby, WalFiles.DEFAULT_SEGMENT_BYTES);
  }

  Recovery(SimDisk disk, boolean hotStandby, int initdbSegSize) {
    this.disk = disk;
    this.hotStandby = hotStandby;
    this.segSize = WalFiles.controlSegmentSize(disk, initdbSegSize);
    this.brin = new BrinRedo(disk, tornPages, repaired);
  }

  private final java.util.Map<Integer, BTree> indexes = new java.util.TreeMap<>();
  private final BrinRedo brin;

  /** The instance's shared state as redo left it. */
  SharedState state() {
    if (shared != null) return shared;
    SharedState s = new SharedState(tables, clog, multis);
    for (BTree tree : indexes.values()) s.btrees.put(tree.name, tree);
    for (sim.postgres.brin.BrinIndex ix : brin.indexes.values()) s.brins.put(ix.name, ix);
    if (hotStandby) shared = s;
    return s;
  }

  /** One more record from the stream (a hot standby's startup process), after {@link #run}. */
  void replay(Wal.Entry e) {
    redo(e.record(), e.endLsn());
    replayed++;
    endLsn = e.endLsn();
  }

  void run() {
    int nextXid = Xids.FIRST_NORMAL;
    redoLsn = WalFiles.segStart(1, segSize); // initdb: the WAL starts in segment 1, as PostgreSQL's
    ControlFile control = ControlFile.read(disk);
    if (control != null) {
      redoLsn = control.redoLsn();
      nextXid = control.nextXid();
    }
    if (disk.exists(Storage.CATALOG)) {
      tables.putAll(CatalogFile.decode(new String(disk.readAll(Storage.CATALOG), StandardCharsets.UTF_8)));
    }
    loadClog();
    loadMultis();
    if (hotStandby) {
      // xids the checkpoint had handed out whose end pg_xact does not record may still be running
      for (int x = Xids.FIRST_NORMAL; Xids.precedes(x, nextXid); x = Xids.advance(x)) {
        if (!clog.isKnown(x)) clog.knownAssigned(x);
      }
    }
    for (Table t : tables.values()) {
      loadPages(t);
      for (Table.Index ix : t.indexes) indexes.put(ix.oid(), loadIndex(t, ix));
      for (Table.Brin b : t.brinIndexes) brin.load(t, b);
    }
    endLsn = redoLsn;
    for (Wal.Entry e : Wal.read(disk, redoLsn)) {
      redo(e.record(), e.endLsn());
      replayed++;
      endLsn = e.endLsn();
    }
    for (String p : tornPages) corrupt.add(p + ": torn page not repaired by any full-page image or page initialization");
    int next = Xids.advance(maxXid);
    clog.setNextXid(Xids.follows(next, nextXid) ? next : nextXid);
  }

  private void loadClog() {
    if (disk.exists(Storage.XACT)) SlruFiles.loadXact(disk.readAll(Storage.XACT), clog, this::seeXid);
  }

  private void loadMultis() {
    if (disk.exists(Storage.MULTIXACT)) SlruFiles.loadMultis(disk.readAll(Storage.MULTIXACT), multis);
  }

  private void loadPages(Table t) {
    String file = Storage.relFile(t);
    for (int block = 0, blocks = StoredBlocks.count(disk, file); block < blocks; block++) {
      byte[] bytes = StoredBlocks.read(disk, file, block);
      HeapPage page;
      try {
        page = PageCodec.decodePage(t, block, bytes);
      } catch (PageCodec.ChecksumFailure e) {
        tornPages.add(file + " block " + block);
        page = new HeapPage(block);
      }
      t.pages.add(page);
    }
  }

  /** An index's metapage and pages as the disk has them; a torn one waits for a full-page image. */
  private BTree loadIndex(Table t, Table.Index ix) {
    BTree tree = Indexes.empty(t, ix);
    StoredBlocks.forEachWritten(disk, Storage.relFile(ix.oid()), tornPages, (block, bytes) -> {
      BtPageCodec.restore(tree, block, bytes, -1);
      if (block == 0) tree.metaLsn = BtPageCodec.storedLsn(bytes);
      else tree.page(block).lsn = BtPageCodec.storedLsn(bytes);
    });
    return tree;
  }

  private boolean indexNeedsRedo(BTree tree, int block, long end) {
    if (!tornPages.isEmpty() && tornPages.contains(Storage.relFile(tree.oid) + " block " + block)) return false;
    long lsn = block == 0 ? tree.metaLsn : block < tree.blocks() ? tree.page(block).lsn : -1;
    return lsn < end;
  }

  private void restoreIndexPage(BTree tree, WalRecord.FullPage image, long end) {
    BtPageCodec.restore(tree, image.block(), image.image(), end);
    fpis++;
    String key = Storage.relFile(tree.oid) + " block " + image.block();
    if (tornPages.remove(key)) repaired.add(key);
  }

  private void redoIndex(WalRecord r, long end) {
    if (r instanceof WalRecord.BtreeInsert i) {
      BTree tree = indexes.get(i.indexOid());
      if (tree == null) return;
      if (i.fpi() != null) {
        restoreIndexPage(tree, i.fpi(), end);
      } else if (indexNeedsRedo(tree, i.block(), end)) {
        BtPageCodec.redoInsert(tree, i.block(), i.offset(), i.tuple(), end);
      }
    } else if (r instanceof WalRecord.BtreePages p) {
      BTree tree = indexes.get(p.indexOid());
      if (tree == null) return;
      for (WalRecord.FullPage image : p.pages()) restoreIndexPage(tree, image, end);
    }
  }

  private HeapPage page(Table t, int block) {
    while (t.pages.size() <= block) t.pages.add(new HeapPage(t.pages.size()));
    return t.pages.get(block);
  }

  private Table table(int oid) {
    for (Table t : tables.values()) if (t.oid == oid) return t;
    return null;
  }

  /** Restores a full-page image; returns true if one was there. */
  private boolean restore(Table t, WalRecord.FullPage fpi, long end) {
    if (fpi == null) return false;
    HeapPage restored = PageCodec.decodePage(t, fpi.block(), fpi.image());
    restored.lsn = end;
    page(t, fpi.block());
    t.pages.set(fpi.block(), restored);
    fpis++;
    if (!tornPages.isEmpty() && tornPages.remove(Storage.relFile(t) + " block " + fpi.block())) {
      repaired.add(Storage.relFile(t) + " block " + fpi.block());
    }
    return true;
  }

  private boolean needsRedo(Table t, int block, long end) {
    HeapPage p = page(t, block);
    // no string built per record unless some page was found torn (a standby replays millions of records)
    return p.lsn < end && (tornPages.isEmpty() || !tornPages.contains(Storage.relFile(t) + " block " + block));
  }

  private void finished(int xid, Clog.Status st) {
    if (hotStandby) clog.replayFinished(xid, st);
    else clog.record(xid, st);
    seeXid(xid);
  }

  private void redo(WalRecord r, long end) {
    if (r instanceof WalRecord.Commit c) {
      for (int sub : c.subxids()) finished(sub, Clog.Status.COMMITTED);
      finished(c.xid(), Clog.Status.COMMITTED);
      committed++;
      return;
    }
    if (r instanceof WalRecord.Abort a) {
      finished(a.xid(), Clog.Status.ABORTED);
      return;
    }
    if (r instanceof WalRecord.Catalog c) {
      redoCatalog(c);
      return;
    }
    if (r instanceof WalRecord.RunningXacts rx) {
      if (hotStandby) expiredKnownAssigned += clog.expireKnownAssigned(rx.oldestRunningXid());
      return;
    }
    if (r instanceof WalRecord.Checkpoint cp) {
      // xlog_redo of XLOG_CHECKPOINT_SHUTDOWN: nothing was running on the primary (no prepared xacts here)
      if (hotStandby && cp.shutdown()) expiredKnownAssigned += clog.expireKnownAssigned(cp.nextXid());
      return;
    }
    if (hotStandby) clog.knownAssigned(r.xid());
    if (r instanceof WalRecord.BrinPages b) {
      brin.redo(b, end);
      return;
    }
    if (r instanceof WalRecord.BtreeInsert || r instanceof WalRecord.BtreePages) {
      redoIndex(r, end);
      return;
    }
    if (r instanceof WalRecord.Insert i) {
      seeXid(i.xid());
      Table t = table(i.relOid());
      if (t == null || restore(t, i.fpi(), end)) return;
      if (i.initPage()) {
        page(t, i.tid().block());
        t.pages.set(i.tid().block(), new HeapPage(i.tid().block()));
        String page = Storage.relFile(t) + " block " + i.tid().block();
        if (tornPages.remove(page)) repaired.add(page + " (re-initialized by XLOG_HEAP_INIT_PAGE)");
      } else if (!needsRedo(t, i.tid().block(), end)) {
        return;
      }
      redoTuple(t, i.tid(), i.tuple().bytes(), end);
    } else if (r instanceof WalRecord.Update u) {
      seeXid(u.xid());
      Table t = table(u.relOid());
      if (t == null) return;
      boolean same = u.newTid().block() == u.oldTid().block();
      boolean oldDone = restore(t, u.oldFpi(), end);
      boolean newDone = same ? oldDone : restore(t, u.newFpi(), end);
      boolean oldNeeds = !oldDone && needsRedo(t, u.oldTid().block(), end);
      boolean newNeeds = same ? oldNeeds : !newDone && needsRedo(t, u.newTid().block(), end);
      if (oldNeeds) {
        applyHeader(t, u.oldTid(), u.oldHeader());
        redone(page(t, u.oldTid().block()), end);
      }
      if (newNeeds) redoTuple(t, u.newTid(), u.newTuple().bytes(), end);
    } else if (r instanceof WalRecord.Delete d) {
      seeXid(d.xid());
      redoHeader(d.relOid(), d.tid(), d.header(), d.fpi(), end);
    } else if (r instanceof WalRecord.Lock l) {
      redoHeader(l.relOid(), l.tid(), l.header(), l.fpi(), end);
    } else if (r instanceof WalRecord.Vacuum v) {
      Table t = table(v.relOid());
      if (t != null) restore(t, v.page(), end);
    }
  }

  /**
   * The relations and indexes a catalog record names that redo does not know yet start empty (their pages
   * come from the records that follow). Only additions are replayed: a DROP on the primary leaves the
   * relation on a standby.
   */
  private void redoCatalog(WalRecord.Catalog c) {
    Map<String, Table> logged = CatalogFile.decode(new String(c.catalog(), StandardCharsets.UTF_8));
    for (Table t : logged.values()) {
      Table known = table(t.oid);
      if (known == null) {
        Table fresh = new Table(t.name, t.oid, t.columns);
        fresh.fillfactor = t.fillfactor;
        tables.put(fresh.name, fresh);
        known = fresh;
        catalogReplayed = true;
      }
      for (Table.Index ix : t.indexes) {
        if (indexes.containsKey(ix.oid())) continue;
        if (!known.indexes.contains(ix)) known.indexes.add(ix);
        BTree tree = Indexes.empty(known, ix);
        indexes.put(ix.oid(), tree);
        if (shared != null) shared.btrees.put(tree.name, tree);
        catalogReplayed = true;
      }
      for (Table.Brin b : t.brinIndexes) {
        sim.postgres.brin.BrinIndex ix = brin.added(known, b);
        if (ix == null) continue;
        if (shared != null) shared.brins.put(ix.name, ix);
        catalogReplayed = true;
      }
    }
  }

  private void redoHeader(int oid, Tid tid, WalRecord.Header h, WalRecord.FullPage fpi, long end) {
    Table t = table(oid);
    if (t == null || restore(t, fpi, end) || !needsRedo(t, tid.block(), end)) return;
    applyHeader(t, tid, h);
    page(t, tid.block()).lsn = end;
  }

  private void applyHeader(Table t, Tid tid, WalRecord.Header h) {
    HeapTuple tup = page(t, tid.block()).tuple(tid.offset());
    if (tup == null) return;
    tup.xmax = h.xmax();
    tup.infomask = h.infomask();
    tup.infomask2 = h.infomask2();
    tup.cmax = h.cid();
    tup.ctid = h.ctid();
    if ((h.infomask() & Infomask.HEAP_XMAX_IS_MULTI) != 0) multis.restore(h.xmax(), h.multiMembers());
    for (Member m : h.multiMembers()) seeXid(m.xid());
    if ((h.infomask() & Infomask.HEAP_XMAX_IS_MULTI) == 0) seeXid(h.xmax());
  }

  private void seeXid(int xid) {
    if (Xids.isNormal(xid) && Xids.follows(xid, maxXid)) maxXid = xid;
  }

  /** heap_xlog_insert/update: the tuple back at its offset, the page stamped and no longer all-visible. */
  private void redoTuple(Table t, Tid tid, byte[] bytes, long end) {
    HeapPage p = page(t, tid.block());
    p.putAt(tid.offset(), PageCodec.decodeTuple(t, bytes, tid));
    redone(p, end);
  }

  private static void redone(HeapPage p, long end) {
    p.lsn = end;
    p.allVisible = false; // the record cleared PD_ALL_VISIBLE and the visibility map bits
    p.allFrozen = false;
  }
}
