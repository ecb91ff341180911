package sim.postgres.scenario;

import java.util.HashMap;
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
import sim.postgres.mvcc.Xids;
import sim.postgres.vacuum.Vacuum;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;

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

  /** Server settings the scenarios vary, with PostgreSQL's names; intervals shortened where noted. */
  public record Settings(Storage.Config storage, long walWriterDelayNanos, long checkpointTimeoutNanos,
      long autovacuumNaptimeNanos, long deadlockTimeoutNanos) {
    public static Settings defaults() {
      return new Settings(Storage.Config.defaults(), Durations.millis(200), Durations.seconds(5),
          Durations.seconds(1), Durations.seconds(1));
    }

    public Settings withStorage(Storage.Config c) {
      return new Settings(c, walWriterDelayNanos, checkpointTimeoutNanos, autovacuumNaptimeNanos, deadlockTimeoutNanos);
    }
  }

  private final Settings settings;
  private NodeContext ctx;
  private Database db;
  private Storage storage;
  private final TreeMap<Long, Runnable> deferred = new TreeMap<>();
  private long nextDeferred;
  private final Map<String, Integer> reportedCommit = new HashMap<>();

  public PostgresNode(Settings settings) {
    this.settings = settings;
  }

  public Database database() {
    return db;
  }

  public Storage storage() {
    return storage;
  }

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
    Storage.Config config = settings.storage().withCommitBeforeWalFlush(ctx.isBroken(BREAK_COMMIT_BEFORE_WAL_FLUSH));
    guarded(() -> storage = Storage.open(ctx.disk(), config, this::fsyncThen, ctx::point));
    if (storage == null) return;
    db = new Database(clock(), storage.state(), storage);
    db.setDeadlockTimeoutNanos(settings.deadlockTimeoutNanos());
    db.setVacuumIgnoresSnapshots(ctx.isBroken(BREAK_VACUUM_IGNORES_SNAPSHOTS));
    db.setSsiDisabled(ctx.isBroken(BREAK_NO_SSI));
    db.setPointSink(ctx::point);
    Storage.RecoveryReport r = storage.recovery();
    ctx.point("pg.recovery", "redo from " + Wal.formatLsn(r.redoLsn()) + " to " + Wal.formatLsn(r.endLsn()) + ": "
        + r.recordsReplayed() + " records, " + r.committedInRedo() + " commits, " + r.fullPageImages()
        + " full-page images" + (r.repairedPages().isEmpty() ? "" : ", repaired torn " + r.repairedPages())
        + (r.corruptPages().isEmpty() ? "" : ", CORRUPT " + r.corruptPages()),
        "redoLsn", Wal.formatLsn(r.redoLsn()), "endLsn", Wal.formatLsn(r.endLsn()), "records", r.recordsReplayed(),
        "commits", r.committedInRedo(), "fullPageImages", r.fullPageImages(), "repaired", r.repairedPages().size(),
        "corrupt", r.corruptPages().size());
    if (!settings.storage().synchronousCommit()) ctx.setTimer(new PgTimer.WalWriterRound(), settings.walWriterDelayNanos());
    ctx.setTimer(new PgTimer.CheckpointRound(), settings.checkpointTimeoutNanos());
    ctx.setTimer(new PgTimer.AutovacuumRound(), settings.autovacuumNaptimeNanos());
  }

  private Clock clock() {
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
  private void fsyncThen(String file, Runnable done) {
    ctx.fsyncThen(file, new PgTimer.Fsynced(defer(done), file));
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
    if (!(message instanceof PgMessage.Query q) || db == null) return;
    ctx.point("pg.exec", q.session() + ": " + Narration.abbreviateSql(q.sql()), "session", q.session(), "query", q.id());
    guarded(() -> db.submit(q.session(), q.sql(), r -> reply(from, q, r)));
  }

  private void reply(NodeId client, PgMessage.Query q, Result r) {
    Session s = db.session(q.session());
    Integer before = reportedCommit.put(q.session(), s.lastCommitXid());
    boolean committed = s.lastCommitXid() != 0 && (before == null || before != s.lastCommitXid());
    String detail = q.session() + ": " + Narration.outcome(q.sql(), r)
        + (committed ? "  (xid " + Xids.format(s.lastCommitXid()) + " committed, WAL to " + Wal.formatLsn(s.lastCommitLsn()) + ")" : "");
    Object[] attrs = Narration.attributes(q.session(), q.id(), r, committed ? s.lastCommitXid() : 0,
        committed ? Wal.formatLsn(s.lastCommitLsn()) : null, db.clog().subtransLookups());
    ctx.point("pg.reply", detail, attrs);
    ctx.send(client, new PgMessage.Reply(q.session(), q.id(), render(r)));
  }

  static String render(Result r) {
    if (r instanceof Result.Rows rows) return "rows " + rows.rows();
    if (r instanceof Result.Count c) return "count " + c.count();
    if (r instanceof Result.Error e) return "error " + e.sqlState() + " " + e.message();
    return "ok";
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (db == null) return;
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
    if (db == null) return "starting";
    StringBuilder b = new StringBuilder();
    b.append("next xid ").append(db.clog().nextXid()).append(", tables ").append(db.tables().keySet()).append('\n');
    b.append(storage.describe());
    return b.toString();
  }
}
