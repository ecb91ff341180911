package sim.postgres.wal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Database;
import sim.postgres.engine.HeapLog;
import sim.postgres.heap.HeapPage;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.mvcc.Clog;
import sim.postgres.mvcc.Xids;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.SqlType;

/**
 * The durable side of one PostgreSQL instance on a SimDisk: every heap change becomes a WAL record
 * (with a full-page image for the first change to a page after a checkpoint), commits flush the WAL
 * ({@code synchronous_commit=on}) or leave it to the WAL writer ({@code off}), dirty pages reach
 * {@code base/<oid>} only through buffer eviction or a checkpoint, each after XLogFlush up to the page's LSN.
 * {@link #open} is crash recovery: load the last checkpoint's state and redo the WAL after it.
 */
public final class Storage implements HeapLog {
  public static final String CONTROL = "global/pg_control";
  public static final String CATALOG = "global/pg_class";
  public static final String XACT = "pg_xact/0000";
  public static final String MULTIXACT = "pg_multixact/members";

  /** postgresql.conf settings the model honours. */
  public record Config(int sharedBuffers, boolean synchronousCommit, boolean fullPageWrites) {
    public static Config defaults() {
      return new Config(128, true, true);
    }
  }

  /** What recovery found: redo range, records replayed, pages repaired or found corrupt. */
  public record RecoveryReport(long redoLsn, long endLsn, int recordsReplayed, int fullPageImages,
      List<String> repairedPages, List<String> corruptPages, int committedInRedo) {}

  private final SimDisk disk;
  private final Database db;
  private final Config config;
  private final Wal wal;
  private final BufferPool pool;
  private long redoLsn;
  private final Map<Integer, Long> commitEndLsn = new HashMap<>();
  private RecoveryReport recovery;
  private long checkpoints;
  private java.util.function.BiConsumer<String, String> points;

  /** Write-path points ("pg.wal.insert", "pg.wal.flush", "pg.buffer.write", "pg.checkpoint") go here. */
  public void setPointSink(java.util.function.BiConsumer<String, String> points) {
    this.points = points;
  }

  private void log(WalRecord r) {
    long lsn = wal.append(r);
    if (points != null) points.accept("pg.wal.insert", Wal.formatLsn(lsn) + " " + r);
  }

  private void flushTo(long lsn, String why) {
    if (lsn <= wal.flushedLsn()) return;
    wal.flush(lsn);
    if (points != null) points.accept("pg.wal.flush", "XLogFlush to " + Wal.formatLsn(wal.flushedLsn()) + " (" + why + ")");
  }

  private Storage(SimDisk disk, Database db, Config config, long walEnd) {
    this.disk = disk;
    this.db = db;
    this.config = config;
    this.wal = new Wal(disk, walEnd);
    this.pool = new BufferPool(config.sharedBuffers(), this::writePage);
  }

  /** Starts the instance on this disk: crash recovery if there is anything on it, then a checkpoint. */
  public static Storage open(SimDisk disk, Database db, Config config) {
    Recovery r = new Recovery(disk, db);
    r.run();
    Storage s = new Storage(disk, db, config, r.endLsn);
    if (r.endLsn < (disk.exists(Wal.SEGMENT) ? disk.size(Wal.SEGMENT) : 0)) {
      disk.truncate(Wal.SEGMENT, r.endLsn); // the torn tail is never replayed again
    }
    s.redoLsn = r.redoLsn;
    s.recovery = new RecoveryReport(r.redoLsn, r.endLsn, r.replayed, r.fpis, r.repaired, r.corrupt, r.committed);
    db.setHeapLog(s);
    db.visibility().setCommitHintAllowed(xid -> {
      Long end = s.commitEndLsn.get(xid);
      return end == null || end <= s.wal.flushedLsn();
    });
    db.setCheckpoint(() -> {
      s.checkpoint();
      return new sim.postgres.engine.Result.Ok();
    });
    for (Table t : db.tables().values()) {
      for (HeapPage p : t.pages) s.pool.touch(t, p.blockNumber, true);
    }
    if (!disk.exists(CATALOG)) s.catalogChanged(db.tables());
    s.checkpoint(); // the end-of-recovery checkpoint
    return s;
  }

  public Wal wal() {
    return wal;
  }

  public BufferPool pool() {
    return pool;
  }

  public Config config() {
    return config;
  }

  public RecoveryReport recovery() {
    return recovery;
  }

  public long redoLsn() {
    return redoLsn;
  }

  public long checkpoints() {
    return checkpoints;
  }

  // ---- logging heap changes ------------------------------------------------------------------------

  private WalRecord.FullPage fpiIfNeeded(Table t, HeapPage page) {
    if (!config.fullPageWrites() || page.lsn > redoLsn) return null;
    return new WalRecord.FullPage(page.blockNumber, PageCodec.encodePage(t, page));
  }

  private void stamp(Table t, HeapPage page) {
    page.lsn = wal.insertLsn();
    pool.touch(t, page.blockNumber, true);
  }

  @Override
  public void insert(Table table, Tid tid, HeapTuple tuple) {
    HeapPage page = table.pages.get(tid.block());
    boolean initPage = tid.offset() == 1 && page.items.size() == 1; // redo re-initializes: no image needed
    WalRecord.FullPage fpi = initPage ? null : fpiIfNeeded(table, page);
    if (fpi == null && points == null) {
      wal.appendInsert(tuple.xmin, table, tid, tuple, initPage);
    } else {
      log(new WalRecord.Insert(tuple.xmin, table.oid, tid, PageCodec.encodeTuple(table, tuple), fpi, initPage));
    }
    stamp(table, page);
  }

  @Override
  public void update(Table table, Tid oldTid, HeapTuple oldTuple, Tid newTid, HeapTuple newTuple, boolean hot) {
    HeapPage oldPage = table.pages.get(oldTid.block());
    HeapPage newPage = table.pages.get(newTid.block());
    WalRecord.FullPage oldFpi = fpiIfNeeded(table, oldPage);
    WalRecord.FullPage newFpi = newPage == oldPage ? oldFpi : fpiIfNeeded(table, newPage);
    log(new WalRecord.Update(newTuple.xmin, table.oid, oldTid, header(oldTuple), newTid,
        PageCodec.encodeTuple(table, newTuple), hot, oldFpi, newFpi));
    stamp(table, oldPage);
    if (newPage != oldPage) stamp(table, newPage);
  }

  @Override
  public void delete(Table table, Tid tid, HeapTuple tuple) {
    HeapPage page = table.pages.get(tid.block());
    log(new WalRecord.Delete(db.multis().updateXid(tuple), table.oid, tid, header(tuple), fpiIfNeeded(table, page)));
    stamp(table, page);
  }

  @Override
  public void lock(Table table, Tid tid, HeapTuple tuple) {
    HeapPage page = table.pages.get(tid.block());
    log(new WalRecord.Lock(0, table.oid, tid, header(tuple), fpiIfNeeded(table, page)));
    stamp(table, page);
  }

  @Override
  public void vacuumed(Table table, int block) {
    HeapPage page = table.pages.get(block);
    log(new WalRecord.Vacuum(table.oid, new WalRecord.FullPage(block, PageCodec.encodePage(table, page))));
    stamp(table, page);
  }

  private WalRecord.Header header(HeapTuple t) {
    List<Member> members = t.has(Infomask.HEAP_XMAX_IS_MULTI) ? db.multis().members(t.xmax) : List.of();
    return new WalRecord.Header(t.xmax, t.infomask, t.infomask2, t.rawCid(), t.ctid, members);
  }

  @Override
  public void commit(int xid) {
    log(new WalRecord.Commit(xid));
    commitEndLsn.put(xid, wal.insertLsn());
    if (config.synchronousCommit()) flushTo(wal.insertLsn(), "commit of xid " + xid + ", synchronous_commit=on");
  }

  @Override
  public void abort(int xid) {
    log(new WalRecord.Abort(xid));
  }

  /** The WAL writer's round (every wal_writer_delay): write and flush what async commits left behind. */
  public void walWriterRound() {
    flushTo(wal.insertLsn(), "WAL writer");
    commitEndLsn.values().removeIf(end -> end <= wal.flushedLsn());
  }

  // ---- pages, checkpoints, catalog --------------------------------------------------------------------

  static String relFile(Table t) {
    return "base/" + t.oid;
  }

  /** FlushBuffer: XLogFlush(page LSN), then write the page. */
  private void writePage(Table table, int block) {
    if (db.tables().get(table.name) != table) return; // dropped
    HeapPage page = table.pages.get(block);
    flushTo(page.lsn, "WAL before data: page " + relFile(table) + " block " + block);
    Wal.checkOrder(page.lsn, wal.flushedLsn());
    String file = relFile(table);
    if (!disk.exists(file)) disk.create(file);
    disk.write(file, (long) block * HeapPage.BLCKSZ, PageCodec.encodePage(table, page));
    if (points != null) points.accept("pg.buffer.write", relFile(table) + " block " + block + " (pd_lsn " + Wal.formatLsn(page.lsn) + ")");
  }

  /**
   * CreateCheckPoint: note the redo point, write every dirty buffer, fsync the data files, save pg_xact
   * and pg_multixact, log the checkpoint record and point pg_control at it.
   */
  public void checkpoint() {
    long redo = wal.insertLsn();
    pool.flushAll();
    for (Table t : db.tables().values()) if (disk.exists(relFile(t))) disk.fsync(relFile(t));
    writeFile(XACT, encodeClog());
    writeFile(MULTIXACT, encodeMultis());
    log(new WalRecord.Checkpoint(redo, db.clog().nextXid()));
    flushTo(wal.insertLsn(), "checkpoint record");
    ByteBuffer control = ByteBuffer.allocate(12).putLong(redo).putInt(db.clog().nextXid());
    writeFile(CONTROL, control.array());
    redoLsn = redo;
    checkpoints++;
    if (points != null) points.accept("pg.checkpoint", "redo point " + Wal.formatLsn(redo) + "; pages changed after it log a full-page image first");
  }

  private void writeFile(String file, byte[] bytes) {
    String tmp = file + ".tmp";
    if (disk.exists(tmp)) disk.delete(tmp);
    disk.create(tmp);
    disk.write(tmp, 0, bytes);
    disk.fsync(tmp);
    disk.rename(tmp, file);
  }

  private byte[] encodeClog() {
    StringBuilder b = new StringBuilder();
    db.clog().forEachFinished((xid, st) -> b.append(Xids.format(xid)).append(st == Clog.Status.COMMITTED ? " c\n" : " a\n"));
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private byte[] encodeMultis() {
    StringBuilder b = new StringBuilder();
    db.multis().all().forEach((id, members) -> {
      b.append(id);
      for (Member m : members) b.append(' ').append(m.xid()).append(':').append(m.mode().name()).append(':').append(m.update());
      b.append('\n');
    });
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** DDL is durable at once: the whole catalog is rewritten and fsynced. */
  @Override
  public void catalogChanged(Map<String, Table> tables) {
    StringBuilder b = new StringBuilder();
    for (Table t : tables.values()) {
      b.append(t.oid).append('|').append(t.name).append('|');
      for (int i = 0; i < t.columns.size(); i++) {
        ColumnDef c = t.columns.get(i);
        b.append(i > 0 ? "," : "").append(c.name()).append(':').append(c.type().name()).append(':').append(c.notNull());
      }
      b.append('|');
      for (int i = 0; i < t.indexes.size(); i++) {
        Table.Index ix = t.indexes.get(i);
        b.append(i > 0 ? ";" : "").append(ix.name()).append(':');
        for (int j = 0; j < ix.columns().size(); j++) b.append(j > 0 ? "," : "").append(ix.columns().get(j));
        b.append(':').append(ix.unique()).append(':').append(ix.primary());
      }
      b.append('\n');
    }
    writeFile(CATALOG, b.toString().getBytes(StandardCharsets.UTF_8));
  }

  static Map<String, Table> decodeCatalog(String text) {
    Map<String, Table> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) continue;
      String[] f = line.split("\\|", -1);
      List<ColumnDef> cols = new ArrayList<>();
      for (String c : f[2].split(",")) {
        String[] p = c.split(":");
        cols.add(new ColumnDef(p[0], SqlType.valueOf(p[1]), Boolean.parseBoolean(p[2])));
      }
      Table t = new Table(f[1], Integer.parseInt(f[0]), cols);
      if (!f[3].isEmpty()) {
        for (String ix : f[3].split(";")) {
          String[] p = ix.split(":");
          List<Integer> ixCols = new ArrayList<>();
          for (String n : p[1].split(",")) ixCols.add(Integer.parseInt(n));
          t.indexes.add(new Table.Index(p[0], ixCols, Boolean.parseBoolean(p[2]), Boolean.parseBoolean(p[3])));
        }
      }
      out.put(t.name, t);
    }
    return out;
  }

  public String describe() {
    return "WAL insert " + Wal.formatLsn(wal.insertLsn()) + ", flushed " + Wal.formatLsn(wal.flushedLsn())
        + ", last checkpoint redo " + Wal.formatLsn(redoLsn) + ", checkpoints " + checkpoints
        + ", synchronous_commit=" + (config.synchronousCommit() ? "on" : "off")
        + ", full_page_writes=" + (config.fullPageWrites() ? "on" : "off") + "\n" + pool.describe();
  }
}
