package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.postgres.engine.Clock;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.engine.Session;
import sim.postgres.heap.Table;
import sim.postgres.replication.ReplMessage;
import sim.postgres.replication.SyncStandbyNames;
import sim.postgres.replication.Timelines;
import sim.postgres.replication.WalReceiver;
import sim.postgres.replication.WalSenders;
import sim.postgres.wal.StandbyReplay;
import sim.postgres.mvcc.Xids;
import sim.postgres.vacuum.Vacuum;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;
import sim.postgres.wal.WalRetention;
import sim.postgres.replication.ReplicationSlots;

/**
 * One PostgreSQL server on the kernel: the transaction engine over a WAL-backed heap on the node's disk.
 * start() is crash recovery: the storage is opened (redo) first and the engine runs on what it rebuilt.
 * Sessions are named by clients; each Query runs on its session and is answered when it finishes (at once,
 * after the transactions it waits for end, or once its commit's WAL is durable).
 */
public final class PostgresNode implements Node {
  public static final String BREAK_COMMIT_BEFORE_WAL_FLUSH = "pg.commit-before-wal-flush";
  public static final String BREAK_VACUUM_IGNORES_SNAPSHOTS = "pg.vacuum-ignores-snapshots";
  public static final String BREAK_NO_SSI = "pg.no-ssi";
  public static final String BREAK_BRIN_INSERT_SKIPS_SUMMARY = "pg.brin-insert-skips-summary";
  public static final String BREAK_SYNC_REP_IGNORED = "pg.sync-rep-ignored";
  public static final String BREAK_PROMOTE_KEEPS_TIMELINE = "pg.promote-keeps-timeline";
  public static final String BREAK_WALRECEIVER_IGNORES_GAPS = "pg.walreceiver-ignores-gaps";
  public static final String BREAK_STANDBY_IGNORES_CONFLICTS = "pg.standby-ignores-conflicts";
  public static final String BREAK_CHECKPOINT_IGNORES_SLOTS = "pg.checkpoint-ignores-slots";
  public static final String BREAK_REWIND_SKIPS_TARGET_WAL = "pg.rewind-skips-target-wal";
  public static final String BREAK_CASCADE_SENDS_UNFLUSHED = "pg.cascade-sends-unflushed";
  static final String STANDBY_SIGNAL = "standby.signal";

  /** Server settings the scenarios vary, with PostgreSQL's names; intervals shortened where noted. */
  public record Settings(Storage.Config storage, long walWriterDelayNanos, long checkpointTimeoutNanos,
      long autovacuumNaptimeNanos, long deadlockTimeoutNanos, Replication replication) {
    public Settings(Storage.Config storage, long walWriterDelayNanos, long checkpointTimeoutNanos, long autovacuumNaptimeNanos,
        long deadlockTimeoutNanos) {
      this(storage, walWriterDelayNanos, checkpointTimeoutNanos, autovacuumNaptimeNanos, deadlockTimeoutNanos, Replication.NONE);
    }

    public Settings withReplication(Replication r) {
      return new Settings(storage, walWriterDelayNanos, checkpointTimeoutNanos, autovacuumNaptimeNanos, deadlockTimeoutNanos, r);
    }

    public static Settings defaults() {
      return new Settings(Storage.Config.defaults(), Durations.millis(200), Durations.seconds(5),
          Durations.seconds(1), Durations.seconds(1));
    }

    public Settings withStorage(Storage.Config c) {
      return new Settings(c, walWriterDelayNanos, checkpointTimeoutNanos, autovacuumNaptimeNanos, deadlockTimeoutNanos, replication);
    }
  }

  private final Settings settings;
  private NodeContext ctx;
  private Database db;
  private Storage storage;
  private final TreeMap<Long, Runnable> deferred = new TreeMap<>();
  private long nextDeferred;
  private final Map<String, Integer> reportedCommit = new HashMap<>();
  private WalSenders walSenders;
  private ReplicationSlots slots;
  private StandbyRole standby;
  /** pg_rewind running on this stopped server before it starts as a standby; null otherwise. */
  private RewindRole rewind;
  private int timeline = 1;
  private boolean brokenSyncRep;
  private boolean brokenCascade;

  public PostgresNode(Settings settings) {
    this.settings = settings;
  }

  NodeContext ctx() {
    return ctx;
  }

  public Database database() {
    return db;
  }

  public Storage storage() {
    return storage;
  }

  /** "primary", "standby" (in recovery, streaming), or "starting" (a standby waiting for its base backup). */
  public String role() {
    if (receiver() != null) return "standby";
    return db == null ? "starting" : "primary";
  }

  public int timeline() {
    return receiver() != null ? receiver().timeline() : timeline;
  }

  /** The timeline this server last wrote or started on (pg_control's), even while it streams another. */
  int ownTimeline() {
    return timeline;
  }

  public WalReceiver receiver() {
    return standby == null ? null : standby.receiver();
  }

  /** This server's replication slots (null while it is a standby). */
  public ReplicationSlots slots() {
    return receiver() == null ? slots : null;
  }

  public WalSenders walSenders() {
    return walSenders;
  }

  /** This server's WAL bytes [from, to) as its disk has them, fewer where its WAL ends before {@code to}. */
  /** Where the oldest WAL segment this server still holds begins. */
  public long oldestWalLsn() {
    return WalFiles.oldestLsn(ctx.disk(), WalFiles.controlSegmentSize(ctx.disk(), WalFiles.DEFAULT_SEGMENT_BYTES));
  }

  public byte[] walBytes(long from, long to) {
    int segSize = WalFiles.controlSegmentSize(ctx.disk(), WalFiles.DEFAULT_SEGMENT_BYTES);
    return to <= from ? new byte[0] : WalFiles.read(ctx.disk(), Timelines.newest(ctx.disk()), segSize, from, to);
  }

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
    Replication repl = settings.replication();
    brokenSyncRep = ctx.isBroken(BREAK_SYNC_REP_IGNORED);
    brokenCascade = ctx.isBroken(BREAK_CASCADE_SENDS_UNFLUSHED);
    boolean brokenRewind = ctx.isBroken(BREAK_REWIND_SKIPS_TARGET_WAL); // read at every start, like every rule
    standby = new StandbyRole(new RoleServer(), ctx.isBroken(BREAK_PROMOTE_KEEPS_TIMELINE), ctx.isBroken(BREAK_WALRECEIVER_IGNORES_GAPS),
        ctx.isBroken(BREAK_STANDBY_IGNORES_CONFLICTS));
    if (repl.primaryConninfo() != null && !ctx.disk().exists(Storage.CONTROL)) {
      standby.requestBaseBackup(); // never taken, or cut short by a crash (pg_control is the backup's last durable file)
      return;
    }
    if (repl.rewindSource() != null && !ctx.disk().exists(STANDBY_SIGNAL)) {
      rewind = new RewindRole(new RewindServer(), repl.rewindSource(), brokenRewind);
      guarded(rewind::start);
      return;
    }
    // the operator's touch: an empty file, whose name the disk keeps at once (nothing to fsync)
    if (repl.standbySignal() && !ctx.disk().exists(STANDBY_SIGNAL)) ctx.disk().create(STANDBY_SIGNAL);
    if (ctx.disk().exists(STANDBY_SIGNAL)) {
      guarded(standby::begin);
      return;
    }
    startPrimary();
  }

  private void startPrimary() {
    if (openStorage(false)) runAsPrimary();
  }

  /** StartupXLOG up to the end of recovery: redo, then the engine on what it rebuilt; false if it PANICked. */
  private boolean openStorage(boolean promoted) {
    Storage.Config config = settings.storage().withCommitBeforeWalFlush(ctx.isBroken(BREAK_COMMIT_BEFORE_WAL_FLUSH));
    storage = null;
    slots = new ReplicationSlots(ctx.disk(), new ReplicationHost(this)); // StartupReplicationSlots, before any WAL is removed
    WalRetention.Slots kept = SlotFunctions.forCheckpointer(slots, ctx.isBroken(BREAK_CHECKPOINT_IGNORES_SLOTS));
    guarded(() -> storage = Storage.open(ctx.disk(), config, this::fsyncThen, ctx::point, promoted, kept));
    if (storage == null) return false;
    db = new Database(clock(), storage.state(), storage);
    db.setDeadlockTimeoutNanos(settings.deadlockTimeoutNanos());
    db.setVacuumIgnoresSnapshots(ctx.isBroken(BREAK_VACUUM_IGNORES_SNAPSHOTS));
    db.setSsiDisabled(ctx.isBroken(BREAK_NO_SSI));
    db.setBrinInsertSkipsSummary(ctx.isBroken(BREAK_BRIN_INSERT_SKIPS_SUMMARY));
    db.setPointSink(ctx::point);
    Storage.RecoveryReport r = storage.recovery();
    ctx.point("pg.recovery", "redo from " + Wal.formatLsn(r.redoLsn()) + " to " + Wal.formatLsn(r.endLsn()) + ": "
        + r.recordsReplayed() + " records, " + r.committedInRedo() + " commits, " + r.fullPageImages()
        + " full-page images" + (r.repairedPages().isEmpty() ? "" : ", repaired torn " + r.repairedPages())
        + (r.corruptPages().isEmpty() ? "" : ", CORRUPT " + r.corruptPages()),
        "redoLsn", Wal.formatLsn(r.redoLsn()), "endLsn", Wal.formatLsn(r.endLsn()), "records", r.recordsReplayed(),
        "commits", r.committedInRedo(), "fullPageImages", r.fullPageImages(), "repaired", r.repairedPages().size(),
        "corrupt", r.corruptPages().size());
    return true;
  }

  /** The server accepts writes: its timeline, the walsenders, the WAL writer, checkpoints and autovacuum. */
  private void runAsPrimary() {
    timeline = Timelines.newest(ctx.disk());
    if (settings.replication().enabled()) startWalSenders();
    if (!settings.storage().synchronousCommit() || settings.replication().enabled()) {
      ctx.setTimer(new PgTimer.WalWriterRound(), settings.walWriterDelayNanos());
    }
    ctx.setTimer(new PgTimer.CheckpointRound(), settings.checkpointTimeoutNanos());
    ctx.setTimer(new PgTimer.AutovacuumRound(), settings.autovacuumNaptimeNanos());
  }

  private void startWalSenders() {
    Replication repl = settings.replication();
    SyncStandbyNames names = SyncStandbyNames.parse(repl.synchronousStandbyNames());
    walSenders = new WalSenders(new ReplicationHost(this), names, brokenSyncRep);
    walSenders.setSlots(slots);
    db.setReplicationXmin(walSenders::xmin); // hot standby feedback holds back this server's VACUUM
    String level = repl.synchronousCommit() != null ? repl.synchronousCommit() : storage.synchronousCommit();
    storage.setSyncRep(walSenders, level);
    storage.setFlushListener(walSenders::flushed);
  }

  /** What the standby role reaches of this server. */
  private final class RoleServer implements StandbyRole.Server {
    @Override
    public NodeContext ctx() {
      return ctx;
    }

    @Override
    public Replication replication() {
      return settings.replication();
    }

    @Override
    public Clock clock() {
      return PostgresNode.this.clock();
    }

    @Override
    public void fsyncThen(List<String> files, Runnable done) {
      PostgresNode.this.fsyncThen(files, done);
    }

    @Override
    public void guarded(Runnable r) {
      PostgresNode.this.guarded(r);
    }

    @Override
    public WalReceiver.Host replicationHost() {
      return new ReplicationHost(PostgresNode.this);
    }

    @Override
    public void enterRecovery(StandbyReplay replay) {
      db = new Database(clock(), replay.state(), sim.postgres.engine.HeapLog.NONE);
      db.setRecoveryInProgress(true);
      db.setPointSink(ctx::point);
      // a standby serves standbys of its own (cascading replication) with what it has replayed or flushed
      walSenders = new WalSenders(new CascadeHost(ctx, PostgresNode.this::receiver, brokenCascade), SyncStandbyNames.parse(""), false);
    }

    @Override
    public boolean openStorageAfterPromotion() {
      return PostgresNode.this.openStorage(true);
    }

    @Override
    public void runAsPrimary() {
      PostgresNode.this.runAsPrimary();
    }
  }

  /** What pg_rewind reaches of this (stopped) server. */
  private final class RewindServer implements RewindRole.Server {
    @Override
    public NodeContext ctx() {
      return ctx;
    }

    @Override
    public Clock clock() {
      return PostgresNode.this.clock();
    }

    @Override
    public Storage.Config storageConfig() {
      return settings.storage();
    }

    @Override
    public void fsyncThen(List<String> files, Runnable done) {
      PostgresNode.this.fsyncThen(files, done);
    }

    @Override
    public void startStandby() {
      rewind = null;
      guarded(standby::begin);
    }

    @Override
    public void retakeBaseBackup() {
      rewind = null;
      for (String f : ctx.disk().list("")) ctx.disk().delete(f);
      standby.requestBaseBackup();
    }
  }

  /** pg_rewind's libpq source on this primary: every file of the data directory, the WAL insert position. */
  private void sendRewindSource(NodeId to) {
    Map<String, byte[]> files = new TreeMap<>();
    for (String f : ctx.disk().list("")) files.put(f, ctx.disk().readAll(f));
    ctx.send(to, new ReplMessage.RewindSourceFiles(files, storage.wal().insertLsn(), settings.storage().fullPageWrites()));
  }

  /** BASE_BACKUP on the primary: a checkpoint, then every file of the data directory as it now is. */
  private void sendBaseBackup(NodeId to, String slotName) {
    storage.checkpoint();
    if (slotName != null) slots.createReserved(slotName, storage.redoLsn()); // pg_basebackup -C -S: WAL kept from the backup's redo point
    Map<String, byte[]> files = new TreeMap<>();
    for (String f : ctx.disk().list("")) {
      // pg_basebackup leaves pg_replslot's contents out: a standby starts with no slots of its own
      if (f.endsWith(".tmp") || f.equals(STANDBY_SIGNAL) || f.startsWith("pg_replslot/")) continue;
      files.put(f, ctx.disk().readAll(f));
    }
    long start = storage.wal().flushedLsn();
    ctx.point("pg.basebackup", "base backup for " + to.name() + ": " + files.size() + " files after checkpoint, WAL to "
        + Wal.formatLsn(start), "standby", to.name(), "startLsn", Wal.formatLsn(start));
    ctx.send(to, new ReplMessage.BaseBackup(files, start, timeline));
  }

  /** The functions answered by the server itself rather than the SQL engine; false if {@code sql} is none of them. */
  private boolean builtin(String sql, java.util.function.Consumer<Result> done) {
    String q = sql.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("\\s+", " ").replaceAll(";$", "");
    if (q.equals("select pg_promote()")) {
      standby.promote(done);
    } else if (q.equals("select pg_is_in_recovery()")) {
      done.accept(new Result.Rows(List.of(List.of((Object) (receiver() != null)))));
    } else if (q.startsWith("select") && q.endsWith("from pg_stat_replication")) {
      done.accept(new Result.Rows(walSenders == null ? List.of() : walSenders.statReplication()));
    } else if (!SlotFunctions.answer(q, receiver() == null ? slots : null, storage, done)) {
      return false;
    }
    return true;
  }

  Clock clock() {
    return new Clock() {
      @Override
      public long nowNanos() {
        return ctx.localTimeNanos();
      }

      @Override
      public void schedule(long delayNanos, String label, Runnable action) {
        ctx.setTimer(new PgTimer.Deferred(defer(action), label), delayNanos);
      }
    };
  }

  private long defer(Runnable action) {
    long seq = nextDeferred++;
    deferred.put(seq, action);
    return seq;
  }

  /** The durability door: the kernel fsyncs the WAL segment after the disk's latency, then we go on. */
  void fsyncThen(String file, Runnable done) {
    fsyncThen(List.of(file), done);
  }

  private void fsyncThen(List<String> files, Runnable done) {
    ctx.fsyncThen(files, new PgTimer.Fsynced(defer(done), String.join(", ", files)));
  }

  /**
   * PostgreSQL PANICs when it cannot write or fsync its WAL or data files (data_sync_retry=off): the
   * page cache can no longer be trusted, so the server stops and crash recovery starts from the disk.
   */
  private void guarded(Runnable r) {
    try {
      r.run();
    } catch (SimIOException e) {
      ctx.panic("PANIC: " + e.getMessage());
    }
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof ReplMessage m) {
      guarded(() -> replication(from, m));
      return;
    }
    if (!(message instanceof PgMessage.Query q) || db == null) return;
    ctx.point("pg.exec", q.session() + ": " + Narration.abbreviateSql(q.sql()), "session", q.session(), "query", q.id());
    if (builtin(q.sql(), r -> reply(from, q, r))) return;
    guarded(() -> db.submit(q.session(), q.sql(), r -> reply(from, q, r)));
  }

  private void replication(NodeId from, ReplMessage m) {
    if (m instanceof ReplMessage.BaseBackup b) {
      if (receiver() == null && db == null) standby.receiveBaseBackup(b);
    } else if (m instanceof ReplMessage.BaseBackupRequest r) {
      if (walSenders != null && receiver() != null) {
        ctx.send(from, CascadeHost.baseBackup(ctx.disk(), receiver(), walSenders.standbyFlushLsn()));
      } else if (walSenders != null) {
        sendBaseBackup(from, r.slotName());
      }
    } else if (m instanceof ReplMessage.StartReplication r) {
      if (walSenders != null) walSenders.startReplication(from, r);
    } else if (m instanceof ReplMessage.StandbyStatus st) {
      if (walSenders != null) walSenders.status(from, st);
    } else if (m instanceof ReplMessage.HotStandbyFeedback f) {
      if (walSenders != null) walSenders.feedback(from, f, db.clog().nextXid());
    } else if (m instanceof ReplMessage.RewindFetch) {
      if (walSenders != null) sendRewindSource(from);
    } else if (m instanceof ReplMessage.RewindSourceFiles f) {
      if (rewind != null && from.equals(settings.replication().rewindSource())) rewind.receive(f);
    } else if (receiver() != null && from.equals(settings.replication().primaryConninfo())) {
      receiver().onMessage(m);
    }
  }

  private void reply(NodeId client, PgMessage.Query q, Result r) {
    Session s = db.session(q.session());
    if (receiver() != null || s == null) {
      ctx.point("pg.reply", q.session() + ": " + Narration.outcome(q.sql(), r), Narration.attributes(q.session(), q.id(), r, 0, null, 0));
      ctx.send(client, new PgMessage.Reply(q.session(), q.id(), render(r)));
      return;
    }
    Integer before = reportedCommit.put(q.session(), s.lastCommitXid());
    boolean committed = s.lastCommitXid() != 0 && (before == null || before != s.lastCommitXid());
    String detail = q.session() + ": " + Narration.outcome(q.sql(), r)
        + (committed ? "  (xid " + Xids.format(s.lastCommitXid()) + " committed, WAL to " + Wal.formatLsn(s.lastCommitLsn()) + ")" : "");
    Object[] attrs = Narration.attributes(q.session(), q.id(), r, committed ? s.lastCommitXid() : 0,
        committed ? Wal.formatLsn(s.lastCommitLsn()) : null, db.clog().subtransLookups());
    if (committed && walSenders != null) { // which promise this commit had: the session's synchronous_commit
      attrs = java.util.Arrays.copyOf(attrs, attrs.length + 2);
      attrs[attrs.length - 2] = "synchronousCommit";
      attrs[attrs.length - 1] = s.synchronousCommit() != null ? s.synchronousCommit() : storage.synchronousCommit();
    }
    ctx.point("pg.reply", detail, attrs);
    ctx.send(client, new PgMessage.Reply(q.session(), q.id(), render(r)));
  }

  static String render(Result r) {
    if (r instanceof Result.Rows rows) return "rows " + rows.rows();
    if (r instanceof Result.Count c) return "count " + c.count();
    if (r instanceof Result.Error e) return "error " + e.sqlState() + " " + e.message() + (e.detail() == null ? "" : "  DETAIL:  " + e.detail());
    return "ok";
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (db == null && !(timer instanceof PgTimer.Deferred || timer instanceof PgTimer.Fsynced)) return;
    guarded(() -> fire(timer));
  }

  private void fire(Timer timer) {
    if (timer instanceof PgTimer.Deferred d) {
      run(d.seq());
    } else if (timer instanceof PgTimer.Fsynced f) {
      run(f.seq());
    } else if (timer instanceof PgTimer.WalWriterRound) {
      storage.walWriterRound();
      ctx.setTimer(timer, settings.walWriterDelayNanos());
    } else if (receiver() != null) {
      return; // a standby does no checkpoints (restartpoints are not modelled) and no autovacuum
    } else if (timer instanceof PgTimer.CheckpointRound) {
      storage.checkpoint();
      ctx.setTimer(timer, settings.checkpointTimeoutNanos());
    } else if (timer instanceof PgTimer.AutovacuumRound) {
      autovacuum();
      ctx.setTimer(timer, settings.autovacuumNaptimeNanos());
    }
  }

  private void run(long seq) {
    Runnable r = deferred.remove(seq);
    if (r != null) r.run();
  }

  private void autovacuum() {
    for (Table t : db.tables().values()) {
      if (!Vacuum.needsAutovacuum(t)) continue;
      Vacuum.Report r = db.vacuum(t, false);
      ctx.point("pg.autovacuum", r.toString(), "relation", r.table(), "horizonXid", Xids.format(r.horizon()),
          "removed", r.removed(), "recentlyDead", r.recentlyDead(), "live", r.live(), "pages", r.pages());
    }
  }

  @Override
  public String describeState() {
    if (db == null) return rewind != null ? "stopped: pg_rewind from " + settings.replication().rewindSource().name() + " running"
        : "starting (waiting for the base backup)";
    if (receiver() != null) {
      return receiver().describe() + ", next xid " + db.clog().nextXid() + ", tables " + db.tables().keySet()
          + (walSenders == null ? "" : "\n" + walSenders.describe());
    }
    StringBuilder b = new StringBuilder();
    b.append("primary on timeline ").append(timeline).append('\n');
    if (walSenders != null) b.append(walSenders.describe());
    if (slots != null && !slots.restartLsns().isEmpty()) b.append(slots.describe(storage.retention(), storage.wal().writtenLsn()));
    b.append("next xid ").append(db.clog().nextXid()).append(", tables ").append(db.tables().keySet()).append('\n');
    b.append(storage.describe());
    return b.toString();
  }
}
