package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.sql.Ast.RowLockMode;

/**
 * WAL records (rmgr Heap, Heap2, Transaction, XLOG). Heap records carry the header the changed tuple ends
 * up with and, for the first change to a page after a checkpoint, a full-page image taken after the change.
 * Each record has exactly one encoder ({@link #encode}) and one decoder (its {@code read}), both over the
 * same field list; the first payload byte is the record's type.
 */
public sealed interface WalRecord {
  int INSERT = 1;
  int UPDATE = 2;
  int DELETE = 3;
  int LOCK = 4;
  int COMMIT = 5;
  int ABORT = 6;
  int CHECKPOINT = 7;
  int VACUUM = 8;
  int BTREE_INSERT = 9;
  int BTREE_PAGES = 10;
  int CATALOG = 11;
  int CHECKPOINT_SHUTDOWN = 12;
  int RUNNING_XACTS = 13;
  int BRIN_PAGES = 14;

  /** Writes the payload, type byte first. The only encoder of this record. */
  void encode(WalWriter out);

  /** The transaction that wrote the record, or 0. */
  default int xid() {
    return 0;
  }

  static WalRecord decode(WalReader in) {
    int type = in.u8();
    WalRecord r = switch (type) {
      case INSERT -> Insert.read(in);
      case UPDATE -> Update.read(in);
      case DELETE -> Delete.read(in);
      case LOCK -> Lock.read(in);
      case COMMIT -> Commit.read(in);
      case ABORT -> new Abort(in.i32());
      case CHECKPOINT -> new Checkpoint(in.i64(), in.i32());
      case CHECKPOINT_SHUTDOWN -> new Checkpoint(in.i64(), in.i32(), true);
      case RUNNING_XACTS -> RunningXacts.read(in);
      case VACUUM -> new Vacuum(in.i32(), in.i32(), FullPage.read(in));
      case BTREE_INSERT -> new BtreeInsert(in.i32(), in.i32(), in.u16(), in.blob(), FullPage.read(in));
      case BTREE_PAGES -> BtreePages.read(in);
      case BRIN_PAGES -> BrinPages.read(in);
      case CATALOG -> new Catalog(in.blob());
      default -> throw new IllegalArgumentException("unknown WAL record type " + type);
    };
    if (!in.atEnd()) throw new IllegalArgumentException("trailing bytes after " + r);
    return r;
  }

  /** A standalone encoding (tests, sizes); the WAL encodes records straight into its buffers. */
  static byte[] encode(WalRecord r) {
    WalWriter w = new WalWriter(64);
    r.encode(w);
    return w.toByteArray();
  }

  static WalRecord decode(byte[] payload) {
    return decode(new WalReader(payload));
  }

  /**
   * A tuple image: the live tuple while logging (encoded once, straight into the WAL buffers, at append
   * time) or the bytes read back from the log during redo.
   */
  sealed interface TupleImage {
    void write(WalWriter out);

    byte[] bytes();

    static TupleImage of(Table table, HeapTuple tuple) {
      return new Live(table, tuple);
    }

    static TupleImage read(WalReader in) {
      return new Bytes(in.blob());
    }

    record Live(Table table, HeapTuple tuple) implements TupleImage {
      @Override
      public void write(WalWriter out) {
        out.tuple(table, tuple);
      }

      @Override
      public byte[] bytes() {
        return PageCodec.encodeTuple(table, tuple);
      }
    }

    record Bytes(byte[] bytes) implements TupleImage {
      @Override
      public void write(WalWriter out) {
        out.blob(bytes);
      }
    }
  }

  /** The xmax-side header of an existing tuple after a delete, lock or update (plus MultiXact members). */
  record Header(int xmax, int infomask, int infomask2, int cid, Tid ctid, List<Member> multiMembers) {
    void write(WalWriter out) {
      out.i32(xmax).i32(infomask).i32(infomask2).i32(cid).tid(ctid).u16(multiMembers.size());
      for (Member m : multiMembers) out.i32(m.xid()).u8(m.mode().ordinal()).bool(m.update());
    }

    static Header read(WalReader in) {
      int xmax = in.i32();
      int im = in.i32();
      int im2 = in.i32();
      int cid = in.i32();
      Tid ctid = in.tid();
      int n = in.u16();
      List<Member> members = new ArrayList<>(n);
      for (int i = 0; i < n; i++) members.add(new Member(in.i32(), RowLockMode.values()[in.u8()], in.bool()));
      return new Header(xmax, im, im2, cid, ctid, members);
    }
  }

  record FullPage(int block, byte[] image) {
    /** Writes an optional image: a presence byte, then block and bytes. */
    static void write(WalWriter out, FullPage f) {
      out.bool(f != null);
      if (f != null) out.i32(f.block).blob(f.image);
    }

    static FullPage read(WalReader in) {
      return in.bool() ? new FullPage(in.i32(), in.blob()) : null;
    }

    @Override
    public String toString() {
      return "FPI(block " + block + ", " + image.length + "B)";
    }
  }

  /** {@code initPage}: the first tuple on a fresh page; redo starts from an empty page (XLOG_HEAP_INIT_PAGE). */
  record Insert(int xid, int relOid, Tid tid, TupleImage tuple, FullPage fpi, boolean initPage) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(INSERT).i32(xid).i32(relOid).tid(tid);
      tuple.write(out);
      FullPage.write(out, fpi);
      out.bool(initPage);
    }

    static Insert read(WalReader in) {
      return new Insert(in.i32(), in.i32(), in.tid(), TupleImage.read(in), FullPage.read(in), in.bool());
    }

    @Override
    public String toString() {
      return "Heap INSERT" + (initPage ? "+INIT" : "") + " xid " + xid + " rel " + relOid + " tid " + tid + (fpi != null ? " +" + fpi : "");
    }
  }

  record Update(int xid, int relOid, Tid oldTid, Header oldHeader, Tid newTid, TupleImage newTuple, boolean hot,
      FullPage oldFpi, FullPage newFpi) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(UPDATE).i32(xid).i32(relOid).tid(oldTid);
      oldHeader.write(out);
      out.tid(newTid);
      newTuple.write(out);
      out.bool(hot);
      FullPage.write(out, oldFpi);
      if (!samePage()) FullPage.write(out, newFpi); // one image per block, as XLogRegisterBuffer does
    }

    /** Old and new version on one page: a single block reference, {@code newFpi} is {@code oldFpi}. */
    public boolean samePage() {
      return oldTid.block() == newTid.block();
    }

    static Update read(WalReader in) {
      int xid = in.i32();
      int rel = in.i32();
      Tid oldTid = in.tid();
      Header h = Header.read(in);
      Tid newTid = in.tid();
      TupleImage tuple = TupleImage.read(in);
      boolean hot = in.bool();
      FullPage oldFpi = FullPage.read(in);
      FullPage newFpi = oldTid.block() == newTid.block() ? oldFpi : FullPage.read(in);
      return new Update(xid, rel, oldTid, h, newTid, tuple, hot, oldFpi, newFpi);
    }

    @Override
    public String toString() {
      return "Heap " + (hot ? "HOT_UPDATE" : "UPDATE") + " xid " + xid + " rel " + relOid + " " + oldTid + " -> " + newTid
          + (oldFpi != null ? " +" + oldFpi : "") + (newFpi != null && !samePage() ? " +" + newFpi : "");
    }
  }

  record Delete(int xid, int relOid, Tid tid, Header header, FullPage fpi) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(DELETE).i32(xid).i32(relOid).tid(tid);
      header.write(out);
      FullPage.write(out, fpi);
    }

    static Delete read(WalReader in) {
      return new Delete(in.i32(), in.i32(), in.tid(), Header.read(in), FullPage.read(in));
    }

    @Override
    public String toString() {
      return "Heap DELETE xid " + xid + " rel " + relOid + " tid " + tid + (fpi != null ? " +" + fpi : "");
    }
  }

  record Lock(int xid, int relOid, Tid tid, Header header, FullPage fpi) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(LOCK).i32(xid).i32(relOid).tid(tid);
      header.write(out);
      FullPage.write(out, fpi);
    }

    static Lock read(WalReader in) {
      return new Lock(in.i32(), in.i32(), in.tid(), Header.read(in), FullPage.read(in));
    }

    @Override
    public String toString() {
      return "Heap LOCK xid " + xid + " rel " + relOid + " tid " + tid + (fpi != null ? " +" + fpi : "");
    }
  }

  /**
   * VACUUM's page-level work (Heap2 PRUNE / VACUUM / FREEZE_PAGE / VISIBLE), logged as the page after it.
   * {@code conflictXid} is xl_heap_prune's latestRemovedXid (PostgreSQL 16 calls it snapshotConflictHorizon):
   * the newest xid whose row versions this removal may hide from a snapshot, or 0 when it hides nothing. A
   * hot standby replaying the record first resolves the conflict with queries whose xmin is not after it.
   */
  record Vacuum(int relOid, int conflictXid, FullPage page) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(VACUUM).i32(relOid).i32(conflictXid);
      FullPage.write(out, page);
    }

    @Override
    public String toString() {
      return "Heap2 VACUUM rel " + relOid + " block " + page.block() + (conflictXid == 0 ? "" : " latestRemovedXid " + Integer.toUnsignedString(conflictXid));
    }
  }

  /**
   * XLOG_BTREE_INSERT_LEAF / _UPPER: an index tuple (its on-page bytes) added at {@code offset} of
   * {@code block}; the whole page instead when this is the page's first change since the checkpoint.
   */
  record BtreeInsert(int indexOid, int block, int offset, byte[] tuple, FullPage fpi) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(BTREE_INSERT).i32(indexOid).i32(block).u16(offset).blob(tuple);
      FullPage.write(out, fpi);
    }

    @Override
    public String toString() {
      return "Btree INSERT rel " + indexOid + " block " + block + " off " + offset + (fpi != null ? " +" + fpi : "");
    }
  }

  /**
   * A split (XLOG_BTREE_SPLIT_L/_R), a new root (XLOG_BTREE_NEWROOT), deduplication, a posting list split,
   * VACUUM or CREATE INDEX: the pages as they are after it (block 0 is the metapage). PostgreSQL logs a
   * split more compactly (the right page's items, the left page's new high key); redo rebuilds the same pages.
   */
  record BtreePages(int indexOid, String what, List<FullPage> pages) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(BTREE_PAGES).i32(indexOid).blob(what.getBytes(java.nio.charset.StandardCharsets.UTF_8)).u16(pages.size());
      for (FullPage p : pages) FullPage.write(out, p);
    }

    static BtreePages read(WalReader in) {
      int oid = in.i32();
      String what = new String(in.blob(), java.nio.charset.StandardCharsets.UTF_8);
      int n = in.u16();
      List<FullPage> pages = new ArrayList<>(n);
      for (int i = 0; i < n; i++) pages.add(FullPage.read(in));
      return new BtreePages(oid, what, pages);
    }

    @Override
    public String toString() {
      return "Btree " + what.toUpperCase(java.util.Locale.ROOT) + " rel " + indexOid + " blocks "
          + pages.stream().map(p -> String.valueOf(p.block())).toList();
    }
  }

  /**
   * rmgr BRIN (XLOG_BRIN_CREATE_INDEX, _INSERT, _UPDATE, _SAMEPAGE_UPDATE, _REVMAP_EXTEND): the pages the
   * operation changed as they are after it (block 0 is the metapage). PostgreSQL logs the new tuple and the
   * revmap entry; redo rebuilds the same pages.
   */
  record BrinPages(int indexOid, String what, List<FullPage> pages) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(BRIN_PAGES).i32(indexOid).blob(what.getBytes(java.nio.charset.StandardCharsets.UTF_8)).u16(pages.size());
      for (FullPage p : pages) FullPage.write(out, p);
    }

    static BrinPages read(WalReader in) {
      int oid = in.i32();
      String what = new String(in.blob(), java.nio.charset.StandardCharsets.UTF_8);
      int n = in.u16();
      List<FullPage> pages = new ArrayList<>(n);
      for (int i = 0; i < n; i++) pages.add(FullPage.read(in));
      return new BrinPages(oid, what, pages);
    }

    @Override
    public String toString() {
      return "BRIN " + what + " rel " + indexOid + " blocks " + pages.stream().map(p -> String.valueOf(p.block())).toList();
    }
  }

  /** xl_xact_commit: the top-level xid and the subtransaction xids that commit with it. */
  record Commit(int xid, List<Integer> subxids) implements WalRecord {
    public Commit(int xid) {
      this(xid, List.of());
    }

    @Override
    public void encode(WalWriter out) {
      out.u8(COMMIT).i32(xid).u16(subxids.size());
      for (int s : subxids) out.i32(s);
    }

    static Commit read(WalReader in) {
      int xid = in.i32();
      int n = in.u16();
      List<Integer> subs = new ArrayList<>(n);
      for (int i = 0; i < n; i++) subs.add(in.i32());
      return new Commit(xid, subs);
    }

    @Override
    public String toString() {
      return "Transaction COMMIT xid " + xid + (subxids.isEmpty() ? "" : " subxacts " + subxids);
    }
  }

  record Abort(int xid) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(ABORT).i32(xid);
    }

    @Override
    public String toString() {
      return "Transaction ABORT xid " + xid;
    }
  }

  /**
   * xl_checkpoint: XLOG_CHECKPOINT_ONLINE while the server runs, XLOG_CHECKPOINT_SHUTDOWN when nothing can be
   * running (initdb, a clean shutdown, the end of crash recovery: CreateCheckPoint with
   * CHECKPOINT_END_OF_RECOVERY). A hot standby replaying a shutdown checkpoint knows every xid below its
   * nextXid has ended, commit record or not.
   */
  record Checkpoint(long redoLsn, int nextXid, boolean shutdown) implements WalRecord {
    public Checkpoint(long redoLsn, int nextXid) {
      this(redoLsn, nextXid, false);
    }

    @Override
    public void encode(WalWriter out) {
      out.u8(shutdown ? CHECKPOINT_SHUTDOWN : CHECKPOINT).i64(redoLsn).i32(nextXid);
    }

    @Override
    public String toString() {
      return "XLOG CHECKPOINT_" + (shutdown ? "SHUTDOWN" : "ONLINE") + " redo " + Wal.formatLsn(redoLsn) + " nextXid " + nextXid;
    }
  }

  /**
   * xl_running_xacts (LogStandbySnapshot, before every online checkpoint record): the xids running on the
   * primary. A hot standby prunes its KnownAssignedXids below oldestRunningXid, so an xid whose backend
   * never wrote a commit or abort record stops holding the standby's snapshots back.
   */
  record RunningXacts(int nextXid, int latestCompletedXid, int oldestRunningXid, List<Integer> xids, List<Integer> subxids)
      implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(RUNNING_XACTS).i32(nextXid).i32(latestCompletedXid).i32(oldestRunningXid).u16(xids.size()).u16(subxids.size());
      for (int x : xids) out.i32(x);
      for (int x : subxids) out.i32(x);
    }

    static RunningXacts read(WalReader in) {
      int next = in.i32();
      int latest = in.i32();
      int oldest = in.i32();
      int n = in.u16();
      int m = in.u16();
      List<Integer> xids = new ArrayList<>(n);
      for (int i = 0; i < n; i++) xids.add(in.i32());
      List<Integer> subs = new ArrayList<>(m);
      for (int i = 0; i < m; i++) subs.add(in.i32());
      return new RunningXacts(next, latest, oldest, xids, subs);
    }

    /** As pg_waldump's standby_desc prints it. */
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("Standby RUNNING_XACTS nextXid ").append(Integer.toUnsignedString(nextXid))
          .append(" latestCompletedXid ").append(Integer.toUnsignedString(latestCompletedXid))
          .append(" oldestRunningXid ").append(Integer.toUnsignedString(oldestRunningXid));
      if (!xids.isEmpty()) {
        b.append("; ").append(xids.size()).append(" xacts:");
        for (int x : xids) b.append(' ').append(Integer.toUnsignedString(x));
      }
      if (!subxids.isEmpty()) {
        b.append("; ").append(subxids.size()).append(" subxacts:");
        for (int x : subxids) b.append(' ').append(Integer.toUnsignedString(x));
      }
      return b.toString();
    }
  }

  /**
   * The catalog after a CREATE or DROP (PostgreSQL logs its pg_class and pg_index rows as heap changes):
   * what a standby needs to know the relations the following records change.
   */
  record Catalog(byte[] catalog) implements WalRecord {
    @Override
    public void encode(WalWriter out) {
      out.u8(CATALOG).blob(catalog);
    }

    @Override
    public String toString() {
      return "Heap INSERT pg_class (catalog, " + catalog.length + " bytes)";
    }
  }
}
