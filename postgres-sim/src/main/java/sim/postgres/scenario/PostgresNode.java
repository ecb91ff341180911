package sim.postgres.scenario;

import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.postgres.engine.Clock;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;
import sim.postgres.heap.Table;
import sim.postgres.vacuum.Vacuum;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;

/**
 * One PostgreSQL server on the kernel: the transaction engine over a WAL-backed heap on the node's disk.
 * start() is crash recovery. Sessions are named by clients; each Query runs on its session and is answered
 * when it finishes (at once, or after the transactions it waits for end).
 */
public final class PostgresNode implements Node {
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
    db = new Database(new Clock() {
      @Override
      public long nowNanos() {
        return ctx.localTimeNanos();
      }

      @Override
      public void schedule(long delayNanos, String label, Runnable action) {
        long seq = nextDeferred++;
        deferred.put(seq, action);
        ctx.setTimer(new PgTimer.Deferred(seq, label), delayNanos);
      }
    });
    db.setDeadlockTimeoutNanos(settings.deadlockTimeoutNanos());
    db.setPointSink(ctx::point);
    storage = Storage.open(ctx.disk(), db, settings.storage());
    storage.setPointSink(ctx::point);
    Storage.RecoveryReport r = storage.recovery();
    ctx.point("pg.recovery", "redo from " + Wal.formatLsn(r.redoLsn()) + " to " + Wal.formatLsn(r.endLsn()) + ": "
        + r.recordsReplayed() + " records, " + r.committedInRedo() + " commits, " + r.fullPageImages()
        + " full-page images" + (r.repairedPages().isEmpty() ? "" : ", repaired torn " + r.repairedPages())
        + (r.corruptPages().isEmpty() ? "" : ", CORRUPT " + r.corruptPages()));
    if (!settings.storage().synchronousCommit()) ctx.setTimer(new PgTimer.WalWriterRound(), settings.walWriterDelayNanos());
    ctx.setTimer(new PgTimer.CheckpointRound(), settings.checkpointTimeoutNanos());
    ctx.setTimer(new PgTimer.AutovacuumRound(), settings.autovacuumNaptimeNanos());
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof PgMessage.Query q)) return;
    ctx.point("pg.exec", q.session() + ": " + q.sql());
    db.submit(q.session(), q.sql(), r -> ctx.send(from, new PgMessage.Reply(q.session(), q.id(), render(r))));
  }

  static String render(Result r) {
    if (r instanceof Result.Rows rows) return "rows " + rows.rows();
    if (r instanceof Result.Count c) return "count " + c.count();
    if (r instanceof Result.Error e) return "error " + e.sqlState() + " " + e.message();
    return "ok";
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof PgTimer.Deferred d) {
      Runnable r = deferred.remove(d.seq());
      if (r != null) r.run();
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

  private void autovacuum() {
    for (Table t : db.tables().values()) {
      if (!Vacuum.needsAutovacuum(t)) continue;
      db.execute("autovacuum", "vacuum " + t.name);
      ctx.point("pg.autovacuum", db.vacuumReports().get(db.vacuumReports().size() - 1).toString());
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
