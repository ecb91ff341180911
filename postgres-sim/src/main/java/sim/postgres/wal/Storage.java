package sim.postgres.wal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.disk.SimDisk;
import sim.postgres.engine.HeapLog;
import sim.postgres.engine.SharedState;
import sim.postgres.heap.HeapPage;
import sim.postgres.nbtree.BTree;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Infomask;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.lock.Member;
import sim.postgres.mvcc.Clog;

/**
 * The durable side of one PostgreSQL instance on a SimDisk. Built first: {@link #open} is crash recovery
 * (StartupXLOG), and the {@link SharedState} it rebuilds is what the engine then runs on. Every heap change
 * becomes a WAL record (with a full-page image for the first change to a page after a checkpoint); a commit
 * waits for XLogFlush through the durability door ({@code synchronous_commit=on}) or leaves it to the WAL
 * writer ({@code off}); dirty pages reach {@code base/<oid>} only through buffer eviction or a checkpoint,
 * each after XLogFlush up to the page's LSN.
 */
public final class Storage implements HeapLog {
  public static final String CONTROL = "global/pg_control";
  public static final String CATALOG = "global/pg_class";
  public static final String XACT = "pg_xact/0000";
  public static final String MULTIXACT = "pg_multixact/members";

  /**
   * postgresql.conf settings the model honours. {@code commitBeforeWalFlush} is a broken rule
   * ({@code --break pg.commit-before-wal-flush}): the commit is reported before its WAL is durable.
   */
  public record Config(int sharedBuffers, boolean synchronousCommit, boolean fullPageWrites, boolean commitBeforeWalFlush,
      WalRetention.Settings retention, boolean walLogHints, boolean dataChecksums) {
    public Config(int sharedBuffers, boolean synchronousCommit, boolean fullPageWrites) {
      this(sharedBuffers, synchronousCommit, fullPageWrites, false, WalRetention.Settings.defaults(), false, true);
    }

    public Config(int sharedBuffers, boolean synchronousCommit, boolean fullPageWrites, boolean commitBeforeWalFlush,
        WalRetention.Settings retention) {
      this(sharedBuffers, synchronousCommit, fullPageWrites, commitBeforeWalFlush, retention, false, true);
    }

    /**
     * wal_log_hints (off by default) and initdb --data-checksums, as pg_control records them. This model's pages
     * always carry a checksum (torn pages are found by it), so data checksums default to on here; PostgreSQL 15's
     * initdb leaves them off.
     */
    public Config withHints(boolean walLogHintsOn, boolean dataChecksumsOn) {
      return new Config(sharedBuffers, synchronousCommit, fullPageWrites, commitBeforeWalFlush, retention, walLogHintsOn, dataChecksumsOn);
    }

    public static Config defaults() {
      return new Config(128, true, true);
    }

    public Config withCommitBeforeWalFlush(boolean broken) {
      return new Config(sharedBuffers, synchronousCommit, fullPageWrites, broken, retention, walLogHints, dataChecksums);
    }

    /** wal_segment_size (initdb --wal-segsize), wal_keep_size, max_slot_wal_keep_size. */
    public Config withRetention(WalRetention.Settings r) {
      return new Config(sharedBuffers, synchronousCommit, fullPageWrites, commitBeforeWalFlush, r, walLogHints, dataChecksums);
    }
  }

  /** What recovery found: redo range, records replayed, pages repaired or found corrupt. */
  public record RecoveryReport(long redoLsn, long endLsn, int recordsReplayed, int fullPageImages,
      List<String> repairedPages, List<String> corruptPages, int committedInRedo) {}

  private record FlushWaiter(long lsn, Runnable done) {}

  /**
   * SyncRepWaitForLSN, done by the walsenders' side: runs {@code done} once the synchronous standbys have
   * written (remote_write), flushed (on) or applied (remote_apply) the WAL up to {@code lsn}.
   */
  public interface SyncRep {
    SyncRep NONE = (xid, lsn, level, done) -> done.run();

    void waitFor(int xid, long lsn, String level, Runnable done);
  }

  private final SimDisk disk;
  private final SharedState state;
  private final Config config;
  private final FsyncDoor door;
  private final Points points;
  private final boolean tracing;
  private final Wal wal;
  private final BufferPool pool;
  private final PageWriter pageWriter;
  private final WalRetention retention;
  private long redoLsn;
  /** Commits whose record is not yet known durable (synchronous_commit=off): xid → commit end LSN. */
  private final Map<Integer, Long> unflushedCommits = new HashMap<>();
  private final ArrayDeque<FlushWaiter> flushWaiters = new ArrayDeque<>();
  private boolean fsyncInFlight;
  private RecoveryReport recovery;
  private long checkpoints;
  private long walFsyncs;
  private SyncRep syncRep = SyncRep.NONE;
  /**
   * Commits flushed locally and waiting for synchronous standbys: PostgreSQL has already marked them
   * committed in pg_xact (TransactionIdCommitTree precedes SyncRepWaitForLSN) though snapshots still see
   * them running, so a checkpoint saves them as committed. xid → its subtransaction xids.
   */
  private final Map<Integer, List<Integer>> awaitingStandby = new java.util.TreeMap<>();
  private final Map<Integer, List<Integer>> committingSubxids = new HashMap<>();
  /** The server's synchronous_commit: on, off, or (replication) local, remote_write, remote_apply. */
  private String synchronousCommit;
  private java.util.function.LongConsumer flushListener = lsn -> { };

  private Storage(SimDisk disk, SharedState state, Config config, long walEnd, int segSize, FsyncDoor door, Points points) {
    this.disk = disk;
    this.state = state;
    this.config = config;
    this.door = door;
    this.points = points;
    this.tracing = points != Points.NONE;
    this.wal = new Wal(disk, walEnd, tracing, segSize);
    this.pageWriter = new PageWriter(disk, state, points, this::flushNow, wal);
    this.pool = new BufferPool(config.sharedBuffers(), pageWriter::writeBlock);
    this.retention = new WalRetention(disk, config.retention().withSegmentSize(segSize));
    this.synchronousCommit = config.synchronousCommit() ? "on" : "off";
  }

  /** Where commits wait for synchronous standbys (the walsenders), and the server's synchronous_commit. */
  public void setSyncRep(SyncRep syncRep, String synchronousCommit) {
    this.syncRep = syncRep;
    this.synchronousCommit = synchronousCommit;
  }

  public String synchronousCommit() {
    return synchronousCommit;
  }

  /** Told the new flush LSN whenever WAL becomes durable (a walsender sends only flushed WAL). */
  public void setFlushListener(java.util.function.LongConsumer listener) {
    this.flushListener = listener;
  }

  /** Standalone: fsyncs happen on the spot and nothing is traced (schedules, benchmarks, unit tests). */
  public static Storage open(SimDisk disk, Config config) {
    return open(disk, config, FsyncDoor.immediate(disk), Points.NONE);
  }

  /** Starts the instance on this disk: crash recovery if there is anything on it, then a checkpoint. */
  public static Storage open(SimDisk disk, Config config, FsyncDoor door, Points points) {
    return open(disk, config, door, points, false);
  }

  /** As {@link #open(SimDisk, Config, FsyncDoor, Points)}; {@code promoted} when a standby ends recovery. */
  public static Storage open(SimDisk disk, Config config, FsyncDoor door, Points points, boolean promoted) {
    return open(disk, config, door, points, promoted, WalRetention.Slots.NONE);
  }

  /** With the server's replication slots, loaded before the end-of-recovery checkpoint removes any WAL. */
  public static Storage open(SimDisk disk, Config config, FsyncDoor door, Points points, boolean promoted, WalRetention.Slots slots) {
    Recovery r = new Recovery(disk, false, config.retention().walSegmentSizeBytes());
    r.run();
    // the torn tail is never replayed again
    WalFiles.truncate(disk, sim.postgres.replication.Timelines.newest(disk), r.segSize, r.endLsn);
    Storage s = new Storage(disk, r.state(), config, r.endLsn, r.segSize, door, points);
    s.retention.setSlots(slots);
    s.redoLsn = r.redoLsn;
    s.recovery = new RecoveryReport(r.redoLsn, r.endLsn, r.replayed, r.fpis, r.repaired, r.corrupt, r.committed);
    for (Table t : s.state.tables.values()) {
      for (HeapPage p : t.pages) s.pool.touch(t.oid, p.blockNumber, true);
      for (Table.Index ix : t.indexes) {
        BTree tree = s.state.btree(ix.name());
        BtreeXLog.attach(s, tree);
        for (int b = 0; b < tree.blocks(); b++) s.pool.touch(tree.oid, b, true);
      }
      for (Table.Brin def : t.brinIndexes) {
        sim.postgres.brin.BrinIndex brin = s.state.brins.get(def.name());
        BrinXLog.attach(s, brin);
        for (int b = 0; b < brin.blocks(); b++) s.pool.touch(brin.oid, b, true);
      }
    }
    if (!disk.exists(CATALOG) || r.catalogReplayed) s.catalogChanged(s.state.tables); // a promoted standby's catalog
    // The end-of-recovery checkpoint. After crash recovery (or on a fresh cluster, initdb's last checkpoint)
    // it is a shutdown checkpoint: nothing runs, and a standby replaying it expires every xid the crash left
    // open. A promoted standby writes XLOG_END_OF_RECOVERY and then an online checkpoint instead.
    s.checkpoint(!promoted);
    return s;
  }

  /** The catalog, commit log and MultiXacts as recovery left them: the engine runs on these. */
  public SharedState state() {
    return state;
  }

  public Wal wal() {
    return wal;
  }

  /** Which WAL segments checkpoints keep (wal_keep_size, the replication slots). */
  public WalRetention retention() {
    return retention;
  }

  public BufferPool pool() {
    return pool;
  }

  boolean tracing() {
    return tracing;
  }

  Points points() {
    return points;
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

  /** fsyncs of the WAL segment issued through the durability door (group commit: fewer than commits). */
  public long walFsyncs() {
    return walFsyncs;
  }

  // ---- logging heap changes ------------------------------------------------------------------------

  long log(WalRecord r) {
    long lsn = wal.append(r);
    if (tracing) points.point("pg.wal.insert", Wal.formatLsn(lsn) + " " + r, WalTrace.attributes(r, lsn, wal.insertLsn()));
    return lsn;
  }

  private WalRecord.FullPage fpiIfNeeded(Table t, HeapPage page) {
    if (!config.fullPageWrites() || page.lsn > redoLsn) return null;
    return new WalRecord.FullPage(page.blockNumber, PageCodec.encodePage(t, page));
  }

  private void stamp(Table t, HeapPage page) {
    page.lsn = wal.insertLsn();
    pool.touch(t.oid, page.blockNumber, true);
  }

  @Override
  public void insert(Table table, Tid tid, HeapTuple tuple) {
    HeapPage page = table.pages.get(tid.block());
    boolean initPage = tid.offset() == 1 && page.items.size() == 1; // redo re-initializes: no image needed
    WalRecord.FullPage fpi = initPage ? null : fpiIfNeeded(table, page);
    log(new WalRecord.Insert(tuple.xmin, table.oid, tid, WalRecord.TupleImage.of(table, tuple), fpi, initPage));
    stamp(table, page);
  }

  @Override
  public void update(Table table, Tid oldTid, HeapTuple oldTuple, Tid newTid, HeapTuple newTuple, boolean hot) {
    HeapPage oldPage = table.pages.get(oldTid.block());
    HeapPage newPage = table.pages.get(newTid.block());
    WalRecord.FullPage oldFpi = fpiIfNeeded(table, oldPage);
    WalRecord.FullPage newFpi = newPage == oldPage ? oldFpi : fpiIfNeeded(table, newPage);
    log(new WalRecord.Update(newTuple.xmin, table.oid, oldTid, header(oldTuple), newTid,
        WalRecord.TupleImage.of(table, newTuple), hot, oldFpi, newFpi));
    stamp(table, oldPage);
    if (newPage != oldPage) stamp(table, newPage);
  }

  @Override
  public void delete(Table table, Tid tid, HeapTuple tuple) {
    HeapPage page = table.pages.get(tid.block());
    log(new WalRecord.Delete(state.multis.updateXid(tuple), table.oid, tid, header(tuple), fpiIfNeeded(table, page)));
    stamp(table, page);
  }

  @Override
  public void lock(Table table, Tid tid, HeapTuple tuple) {
    HeapPage page = table.pages.get(tid.block());
    log(new WalRecord.Lock(0, table.oid, tid, header(tuple), fpiIfNeeded(table, page)));
    stamp(table, page);
  }

  @Override
  public void vacuumed(Table table, int block, int conflictXid) {
    HeapPage page = table.pages.get(block);
    log(new WalRecord.Vacuum(table.oid, conflictXid, new WalRecord.FullPage(block, PageCodec.encodePage(table, page))));
    stamp(table, page);
  }

  private WalRecord.Header header(HeapTuple t) {
    List<Member> members = t.has(Infomask.HEAP_XMAX_IS_MULTI) ? state.multis.members(t.xmax) : List.of();
    return new WalRecord.Header(t.xmax, t.infomask, t.infomask2, t.rawCid(), t.ctid, members);
  }

  // ---- commits and the WAL flush -------------------------------------------------------------------

  @Override
  public long logCommit(int xid, List<Integer> subxids) {
    if (!subxids.isEmpty()) committingSubxids.put(xid, List.copyOf(subxids));
    log(new WalRecord.Commit(xid, List.copyOf(subxids)));
    return wal.insertLsn();
  }

  @Override
  public void flushCommit(int xid, long endLsn, Runnable durable) {
    flushCommit(xid, endLsn, null, durable);
  }

  /**
   * RecordTransactionCommit: with synchronous_commit above off, XLogFlush(commit) through the door, then
   * SyncRepWaitForLSN (which returns at once for local, or when no synchronous standby is named); with off,
   * reported now and flushed by the WAL writer, with no wait for any standby.
   */
  @Override
  public void flushCommit(int xid, long endLsn, String sessionLevel, Runnable durable) {
    String level = sessionLevel != null ? sessionLevel : synchronousCommit;
    if (!level.equals("off") && !config.commitBeforeWalFlush()) {
      List<Integer> subs = committingSubxids.getOrDefault(xid, List.of());
      committingSubxids.remove(xid);
      requestFlush(endLsn, "commit of xid " + xid + ", synchronous_commit=" + level, () -> {
        awaitingStandby.put(xid, subs);
        syncRep.waitFor(xid, endLsn, level, () -> {
          awaitingStandby.remove(xid);
          durable.run();
        });
      });
      return;
    }
    committingSubxids.remove(xid);
    reportBeforeFlush(xid, endLsn, durable);
  }

  /** synchronous_commit=off (or the broken rule): the commit is reported before its WAL is durable. */
  private void reportBeforeFlush(int xid, long endLsn, Runnable durable) {
    unflushedCommits.put(xid, endLsn);
    if (config.commitBeforeWalFlush()) requestFlush(endLsn, "commit of xid " + xid + ", already reported", () -> { });
    durable.run(); // synchronous_commit=off: reported now, the WAL writer flushes later
  }

  @Override
  public void abort(int xid) {
    log(new WalRecord.Abort(xid));
  }

  @Override
  public boolean commitHintAllowed(int xid) {
    Long end = unflushedCommits.get(xid);
    return end == null || end <= wal.flushedLsn();
  }

  /** The WAL writer's round (every wal_writer_delay): write and flush what async commits left behind. */
  public void walWriterRound() {
    if (wal.insertLsn() > wal.flushedLsn()) requestFlush(wal.insertLsn(), "WAL writer", () -> { });
  }

  /**
   * XLogFlush through the durability door: write the WAL buffers, fsync the segment, then run {@code done}.
   * Requests arriving while an fsync is in flight wait for it (if it covers them) or for the next one, which
   * covers them all: group commit.
   */
  private void requestFlush(long lsn, String why, Runnable done) {
    if (lsn <= wal.flushedLsn()) {
      done.run();
      return;
    }
    flushWaiters.add(new FlushWaiter(lsn, done));
    if (!fsyncInFlight) startFsync(why);
  }

  private void startFsync(String why) {
    long target = wal.write();
    fsyncInFlight = true;
    walFsyncs++;
    int waiting = flushWaiters.size();
    if (tracing) {
      points.point("pg.wal.write", "XLogWrite to " + Wal.formatLsn(target) + ", fsync issued (" + why + "; "
          + waiting + " waiting)", "writtenLsn", Wal.formatLsn(target), "waiters", waiting);
    }
    door.fsyncThen(wal.currentFile(), () -> fsyncReturned(target, why));
  }

  private void fsyncReturned(long target, String why) {
    fsyncInFlight = false;
    wal.flushed(target);
    flushedTo(why);
    List<Runnable> ready = durableWaiters();
    if (!flushWaiters.isEmpty()) startFsync("requests that arrived during the last fsync");
    ready.forEach(Runnable::run);
  }

  /** Takes the waiters whose WAL is now durable off the queue, in LSN order. */
  private List<Runnable> durableWaiters() {
    List<Runnable> ready = new ArrayList<>();
    while (!flushWaiters.isEmpty() && flushWaiters.peekFirst().lsn() <= wal.flushedLsn()) ready.add(flushWaiters.pollFirst().done());
    return ready;
  }

  private void flushedTo(String why) {
    unflushedCommits.values().removeIf(end -> end <= wal.flushedLsn());
    flushListener.accept(wal.flushedLsn());
    if (tracing) {
      points.point("pg.wal.flush", "XLogFlush to " + Wal.formatLsn(wal.flushedLsn()) + " durable (" + why + ")",
          "flushedLsn", Wal.formatLsn(wal.flushedLsn()));
    }
  }

  /** XLogFlush done by this process itself, at once (evicting a dirty page, the checkpointer). */
  private void flushNow(long lsn, String why) {
    if (lsn <= wal.flushedLsn()) return;
    wal.flushNow(lsn);
    flushedTo(why);
  }

  // ---- pages, checkpoints, catalog --------------------------------------------------------------------

  static String relFile(Table t) {
    return relFile(t.oid);
  }

  static String relFile(int oid) {
    return "base/" + oid;
  }

  /**
   * CreateCheckPoint: note the redo point, write every dirty buffer, fsync the data files, save pg_xact
   * and pg_multixact, log the checkpoint record and point pg_control at it.
   */
  @Override
  public void checkpoint() {
    checkpoint(false);
  }

  /**
   * A clean shutdown (what pg_rewind's ensureCleanShutdown gets from a single-user postgres after crash
   * recovery): a shutdown checkpoint, and pg_control says "shut down".
   */
  public void shutdownCheckpoint() {
    checkpoint(true, ControlFile.DB_SHUTDOWNED);
  }

  private void checkpoint(boolean shutdown) {
    checkpoint(shutdown, ControlFile.DB_IN_PRODUCTION);
  }

  private void checkpoint(boolean shutdown, int dbState) {
    long redo = wal.insertLsn();
    // DELAY_CHKPT_START: a commit whose record precedes the redo point must reach pg_xact before the
    // checkpoint saves it, or redo (which starts after that record) would never learn it committed.
    flushNow(redo, "checkpoint: commits logged before the redo point");
    durableWaiters().forEach(Runnable::run);
    pool.flushAll();
    for (Table t : state.tables.values()) {
      if (disk.exists(relFile(t))) disk.fsync(relFile(t));
      for (Table.Index ix : t.indexes) if (disk.exists(relFile(ix.oid()))) disk.fsync(relFile(ix.oid()));
      for (Table.Brin b : t.brinIndexes) if (disk.exists(relFile(b.oid()))) disk.fsync(relFile(b.oid()));
    }
    writeFile(XACT, SlruFiles.encodeXact(state.clog, awaitingStandby));
    writeFile(MULTIXACT, SlruFiles.encodeMultis(state.multis));
    if (!shutdown) logStandbySnapshot();
    long checkpointLsn = log(new WalRecord.Checkpoint(redo, state.clog.nextXid(), shutdown));
    flushNow(wal.insertLsn(), "checkpoint record");
    writeFile(CONTROL, new ControlFile(redo, state.clog.nextXid(), wal.segmentSize(), dbState, checkpointLsn, wal.timeline(), 0, 0,
        config.walLogHints(), config.dataChecksums() ? ControlFile.PG_DATA_CHECKSUM_VERSION : 0).encode());
    redoLsn = redo;
    checkpoints++;
    removeOldSegments(redo);
    if (tracing) {
      points.point("pg.checkpoint", "redo point " + Wal.formatLsn(redo) + "; pages changed after it log a full-page image first",
          "redoLsn", Wal.formatLsn(redo));
    }
  }

  /** The end of CreateCheckPoint: KeepLogSeg, InvalidateObsoleteReplicationSlots, RemoveOldXlogFiles. */
  private void removeOldSegments(long redo) {
    WalRetention.Removal r = retention.afterCheckpoint(redo, wal.insertLsn());
    if (!tracing || r.removed().isEmpty()) return;
    List<String> kept = WalFiles.segments(disk).stream().map(WalFiles::baseName).toList();
    points.point("pg.wal.remove", "removed " + r.removed().size() + " WAL segment(s) " + r.removed() + "; " + kept.size()
        + " kept from " + (kept.isEmpty() ? "-" : kept.get(0)), "removed", r.removed().size(), "kept", kept.size(),
        "oldestKept", kept.isEmpty() ? "" : kept.get(0));
  }

  /** LogStandbySnapshot (wal_level replica, PostgreSQL's default): the running xids, for hot standbys. */
  private void logStandbySnapshot() {
    Clog c = state.clog;
    log(new WalRecord.RunningXacts(c.nextXid(), c.latestCompletedXid(), c.oldestRunning(), c.runningTopLevel(), c.runningSubxids()));
  }

  private void writeFile(String file, byte[] bytes) {
    String tmp = file + ".tmp";
    if (disk.exists(tmp)) disk.delete(tmp);
    disk.create(tmp);
    disk.write(tmp, 0, bytes);
    disk.fsync(tmp);
    disk.rename(tmp, file);
  }

  // ---- index changes ---------------------------------------------------------------------------------

  @Override
  public void indexCreated(Table table, Table.Index ix, BTree tree) {
    BtreeXLog.attach(this, tree);
  }

  @Override
  public void brinCreated(Table table, sim.postgres.brin.BrinIndex index) {
    BrinXLog.attach(this, index);
  }

  /** DDL is durable at once: the whole catalog is rewritten and fsynced. */
  @Override
  public void catalogChanged(Map<String, Table> tables) {
    byte[] catalog = CatalogFile.encode(tables);
    // the change is WAL-logged (as PostgreSQL logs its pg_class rows) so that standbys learn it
    log(new WalRecord.Catalog(catalog));
    // an index the catalog now names must not outlive its build in a crash: its pages' WAL goes first
    flushNow(wal.insertLsn(), "catalog change");
    writeFile(CATALOG, catalog);
  }

  public String describe() {
    return "WAL insert " + Wal.formatLsn(wal.insertLsn()) + ", written " + Wal.formatLsn(wal.writtenLsn())
        + ", flushed " + Wal.formatLsn(wal.flushedLsn()) + (fsyncInFlight ? " (fsync in flight, " + flushWaiters.size()
        + " commits waiting)" : "") + ", last checkpoint redo " + Wal.formatLsn(redoLsn) + ", checkpoints " + checkpoints
        + ", synchronous_commit=" + synchronousCommit
        + ", full_page_writes=" + (config.fullPageWrites() ? "on" : "off") + "\n" + pool.describe();
  }
}
