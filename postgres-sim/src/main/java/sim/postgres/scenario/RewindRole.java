package sim.postgres.scenario;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Clock;
import sim.postgres.engine.Database;
import sim.postgres.engine.HeapLog;
import sim.postgres.engine.Result;
import sim.postgres.replication.PgRewind;
import sim.postgres.replication.ReplMessage;
import sim.postgres.replication.RewindFileMap;
import sim.postgres.wal.ControlFile;
import sim.postgres.wal.Points;
import sim.postgres.wal.StandbyReplay;
import sim.postgres.wal.Storage;

/**
 * The operator's {@code pg_rewind --target-pgdata=$PGDATA --source-server='host=<source>' -R} on a stopped
 * former primary, before it starts again: connect to the source, finish crash recovery in single-user mode if
 * the target was not shut down cleanly (ensureCleanShutdown), decide ({@link PgRewind}), copy
 * ({@link RewindFileMap}), make it durable, and start as the source's standby. A pg_rewind that fails, or is cut
 * short by a crash, leaves the operator to take a new base backup, as PostgreSQL's documentation advises.
 */
final class RewindRole {
  /** What pg_rewind reaches of the server it rewinds. */
  interface Server {
    NodeContext ctx();

    Clock clock();

    Storage.Config storageConfig();

    void fsyncThen(List<String> files, Runnable done);

    /** The target was rewound (or needed no rewind) and has standby.signal: start in standby mode. */
    void startStandby();

    /** rm -rf $PGDATA; pg_basebackup -R from the source. */
    void retakeBaseBackup();
  }

  private static final DateTimeFormatter LABEL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  private final Server server;
  private final NodeId source;
  /** --break pg.rewind-skips-target-wal. */
  private final boolean skipTargetWal;
  private boolean connected;

  RewindRole(Server server, NodeId source, boolean skipTargetWal) {
    this.server = server;
    this.source = source;
    this.skipTargetWal = skipTargetWal;
  }

  private SimDisk disk() {
    return server.ctx().disk();
  }

  /** Whether pg_rewind is still waiting for its source. */
  boolean running() {
    return !connected;
  }

  void start() {
    if (disk().exists(RewindFileMap.STARTED)) {
      server.ctx().point("pg.rewind.error", "an earlier pg_rewind did not print Done!: the data directory may be inconsistent; "
          + "taking a new base backup instead", "error", "interrupted");
      server.retakeBaseBackup();
      return;
    }
    connect();
  }

  /** PQconnectdb(--source-server), retried by the operator until the source answers as a primary. */
  private void connect() {
    if (connected) return;
    server.ctx().send(source, new ReplMessage.RewindFetch(server.ctx().self().name()));
    server.clock().schedule(Durations.millis(500), "pg_rewind retry", this::connect);
  }

  void receive(ReplMessage.RewindSourceFiles files) {
    if (connected) return;
    connected = true;
    PgRewind.Source src = new PgRewind.Source(files.files(), files.insertLsn(), files.fullPageWrites());
    try {
      rewind(src);
    } catch (PgRewind.Fatal f) {
      log("pg.rewind.error", "error: " + f.getMessage(), "error", f.getMessage());
      server.retakeBaseBackup();
    }
  }

  private void rewind(PgRewind.Source src) {
    if (!src.fullPageWrites()) throw new PgRewind.Fatal("full_page_writes must be enabled in the source server");
    ControlFile target = ControlFile.read(disk());
    if (target.state() != ControlFile.DB_SHUTDOWNED && target.state() != ControlFile.DB_SHUTDOWNED_IN_RECOVERY) {
      log("pg.rewind.recovery", "executing \"postgres\" for target server to complete crash recovery");
      ensureCleanShutdown();
    }
    String rowsBefore = rows();
    PgRewind.Plan plan = PgRewind.plan(disk(), src, skipTargetWal);
    for (String line : plan.log()) log("pg.rewind.log", line);
    if (!plan.rewindNeeded()) {
      disk().create(PostgresNode.STANDBY_SIGNAL); // -R
      log("pg.rewind.done", "Done!", "rewound", false);
      server.startStandby();
      return;
    }
    disk().create(RewindFileMap.STARTED); // the point of no return
    Map<String, RewindFileMap.Action> actions = RewindFileMap.decide(disk(), src);
    String time = LABEL_TIME.format(Instant.ofEpochSecond(0).plusNanos(server.ctx().localTimeNanos()));
    RewindFileMap.Applied applied = RewindFileMap.apply(disk(), src, plan, actions, time);
    disk().create(PostgresNode.STANDBY_SIGNAL); // -R: standby.signal (primary_conninfo is in the server's settings)
    server.ctx().point("pg.rewind", "copied from " + source.name() + " the " + applied.blocksCopied() + " blocks of "
        + plan.pageMap().size() + " relation files that WAL of this server changed after " + PgRewind.lsn(plan.chkptLsn()) + ", and files "
        + applied.files() + "; its " + plan.discardedCommits().size() + " commits after the fork are gone",
        "divergeLsn", PgRewind.lsn(plan.divergeLsn()), "timeline", plan.divergeTli(), "checkpointLsn", PgRewind.lsn(plan.chkptLsn()),
        "blocks", applied.blocksCopied(), "discardedCommits", plan.discardedCommits().size(), "rowsBefore", rowsBefore);
    List<String> durable = new ArrayList<>(new TreeSet<>(applied.written()));
    durable.removeIf(f -> !disk().exists(f));
    ControlFile control = RewindFileMap.newControl(src, plan);
    server.fsyncThen(durable, () -> writeControl(control));
  }

  /** update_controlfile, last (here only once everything else is durable), then Done!. */
  private void writeControl(ControlFile control) {
    String tmp = Storage.CONTROL + ".tmp";
    if (disk().exists(tmp)) disk().delete(tmp);
    disk().create(tmp);
    disk().write(tmp, 0, control.encode());
    server.fsyncThen(List.of(tmp), () -> {
      disk().rename(tmp, Storage.CONTROL);
      disk().delete(RewindFileMap.STARTED);
      log("pg.rewind.done", "Done!", "rewound", true, "minRecoveryPoint", PgRewind.lsn(control.minRecoveryPoint()));
      server.startStandby();
    });
  }

  /** ensureCleanShutdown: postgres --single runs crash recovery and shuts down cleanly. */
  private void ensureCleanShutdown() {
    Storage s = Storage.open(disk(), server.storageConfig(), (file, done) -> server.fsyncThen(List.of(file), done), Points.NONE);
    s.shutdownCheckpoint();
  }

  /** Table t's rows (id:note) as the target's data directory has them now (for the lesson: what the rewind removes). */
  private String rows() {
    StandbyReplay r = StandbyReplay.begin(disk());
    Database db = new Database(server.clock(), r.state(), HeapLog.NONE);
    if (db.table("t") == null) return "";
    Result res = db.execute("rewind", "select id, note from t");
    if (!(res instanceof Result.Rows rows)) return "";
    return rows.rows().stream().map(row -> row.get(0) + ":" + row.get(1)).sorted().collect(Collectors.joining(","));
  }

  private void log(String kind, String line, Object... attributes) {
    server.ctx().point(kind, "pg_rewind: " + line, attributes);
  }
}
