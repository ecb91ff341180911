package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.disk.SimDisk;
import sim.postgres.engine.Clock;
import sim.postgres.engine.Result;
import sim.postgres.replication.ReplMessage;
import sim.postgres.replication.Timelines;
import sim.postgres.replication.WalReceiver;
import sim.postgres.wal.StandbyReplay;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;

/**
 * The standby side of a server: pg_basebackup -R into an empty data directory, standby mode (the
 * startup process replaying what the walreceiver streams) and promotion out of it. The primary side
 * (walsenders, WAL writer, checkpoints, autovacuum) stays in {@link PostgresNode}.
 */
final class StandbyRole {
  /** What the standby role reaches of its server. */
  interface Server {
    NodeContext ctx();

    Replication replication();

    Clock clock();

    /** The durability door for these files, then {@code done}. */
    void fsyncThen(List<String> files, Runnable done);

    /** Runs {@code r}, turning an I/O error into PostgreSQL's PANIC. */
    void guarded(Runnable r);

    WalReceiver.Host replicationHost();

    /** Hot standby: read-only sessions on the state the startup process replays. */
    void enterRecovery(StandbyReplay replay);

    /** StartupXLOG's end of recovery (redo, end-of-recovery checkpoint); false if it PANICked. */
    boolean openStorageAfterPromotion();

    /** Writes accepted: walsenders, WAL writer, checkpoints, autovacuum. */
    void runAsPrimary();
  }

  private final Server server;
  private WalReceiver receiver;
  /** pg_promote() called: the timeline history file is on its way to the disk; still in recovery. */
  private boolean promoting;
  private boolean basebackupDone;

  /** --break pg.promote-keeps-timeline and pg.walreceiver-ignores-gaps, read when the server starts. */
  private final boolean keepTimeline;
  private final boolean ignoreGaps;
  /** --break pg.standby-ignores-conflicts. */
  private final boolean ignoreConflicts;

  StandbyRole(Server server, boolean keepTimeline, boolean ignoreGaps, boolean ignoreConflicts) {
    this.server = server;
    this.keepTimeline = keepTimeline;
    this.ignoreGaps = ignoreGaps;
    this.ignoreConflicts = ignoreConflicts;
  }

  private SimDisk disk() {
    return server.ctx().disk();
  }

  /** The walreceiver while in standby mode; null before the base backup is in and after promotion. */
  WalReceiver receiver() {
    return receiver;
  }

  /** pg_basebackup -R: ask the primary for a copy of its data directory (retried until it answers). */
  void requestBaseBackup() {
    if (basebackupDone) return;
    server.ctx().send(server.replication().primaryConninfo(), new ReplMessage.BaseBackupRequest(server.replication().applicationName(),
        server.replication().primarySlotName().isEmpty() ? null : server.replication().primarySlotName()));
    server.clock().schedule(Durations.millis(500), "pg_basebackup retry", this::requestBaseBackup);
  }

  /**
   * pg_basebackup -R writing what it received into the (emptied) data directory, with standby.signal, and
   * fsyncing it all (fsync_pgdata) through the durability door before the standby starts. pg_control is
   * written last, only once the rest is durable: a crash before then leaves no pg_control, so the restart
   * knows the backup never finished and takes it again (as an operator re-runs a failed pg_basebackup).
   */
  void receiveBaseBackup(ReplMessage.BaseBackup b) {
    if (basebackupDone || disk().exists(Storage.CONTROL)) return;
    basebackupDone = true;
    for (String leftover : disk().list("")) disk().delete(leftover); // pg_basebackup needs an empty directory
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : b.files().entrySet()) {
      if (f.getKey().equals(Storage.CONTROL)) continue;
      disk().create(f.getKey());
      disk().write(f.getKey(), 0, f.getValue());
      written.add(f.getKey());
    }
    disk().create(PostgresNode.STANDBY_SIGNAL);
    written.add(PostgresNode.STANDBY_SIGNAL);
    server.fsyncThen(written, () -> {
      String tmp = Storage.CONTROL + ".tmp";
      disk().create(tmp);
      disk().write(tmp, 0, b.files().get(Storage.CONTROL));
      server.fsyncThen(List.of(tmp), () -> {
        disk().rename(tmp, Storage.CONTROL);
        server.guarded(this::begin);
      });
    });
  }

  /** Starts the startup process (redo of what the disk holds) and the walreceiver; read-only sessions run on what it replays. */
  void begin() {
    Replication repl = server.replication();
    StandbyReplay replay = StandbyReplay.begin(disk());
    // pg_rewind's label named the checkpoint this redo starts from, which pg_control already holds here
    if (disk().exists("backup_label")) disk().rename("backup_label", "backup_label.old");
    // a torn tail is received again
    WalFiles.truncate(disk(), Timelines.newest(disk()), replay.segmentSize(), replay.replayLsn());
    server.enterRecovery(replay);
    NodeId upstream = repl.primaryConninfo();
    receiver = new WalReceiver(server.replicationHost(), upstream, repl.applicationName().isEmpty() ? server.ctx().self().name() : repl.applicationName(), repl.recoveryMinApplyDelayNanos(),
        replay, Timelines.newest(disk()), ignoreGaps,
        repl.hotStandby().withIgnoreConflicts(ignoreConflicts));
    receiver.setPrimarySlotName(repl.primarySlotName());
    server.ctx().point("pg.standby", "entering standby mode: redo from the base backup to " + Wal.formatLsn(replay.replayLsn())
        + " (" + replay.recordsReplayed() + " records), streaming from " + upstream.name() + " on timeline " + receiver.timeline(),
        "replayLsn", Wal.formatLsn(replay.replayLsn()), "timeline", receiver.timeline());
    receiver.start();
  }

  /**
   * pg_promote(): the walreceiver stops and the startup process replays the rest of the WAL on disk
   * (EndOfLog). It picks a new timeline and makes its history file durable (writeTimeLineHistory fsyncs)
   * before recovery ends: only then does StartupXLOG's end of recovery run (Storage.open: redo and the
   * end-of-recovery checkpoint, now on the new timeline), standby.signal go, writes become possible and
   * pg_promote (wait = true) return. A crash before the history file is durable leaves a standby on the
   * old timeline, and the caller never heard true.
   */
  void promote(Consumer<Result> done) {
    if (receiver == null || promoting) {
      done.accept(new Result.Error("55000", "recovery is not in progress"));
      return;
    }
    promoting = true;
    int oldTli = receiver.timeline();
    receiver.stop();
    long switchLsn = receiver.replay().replayRemaining(disk());
    int newTli = keepTimeline ? oldTli : oldTli + 1;
    Runnable endRecovery = () -> server.guarded(() -> endRecovery(oldTli, newTli, switchLsn, done));
    if (newTli == oldTli) {
      endRecovery.run();
    } else {
      Timelines.writeThen(disk(), (f, then) -> server.fsyncThen(List.of(f), then), newTli,
          Timelines.append(Timelines.read(disk(), oldTli), oldTli, switchLsn), endRecovery);
    }
  }

  private void endRecovery(int oldTli, int newTli, long switchLsn, Consumer<Result> done) {
    receiver = null;
    promoting = false;
    if (!server.openStorageAfterPromotion()) {
      done.accept(new Result.Error("58030", "promotion failed"));
      return;
    }
    disk().delete(PostgresNode.STANDBY_SIGNAL);
    server.runAsPrimary();
    server.ctx().point("pg.promote", "promoted: selected new timeline ID " + newTli + "; timeline " + oldTli + " ends at "
        + Wal.formatLsn(switchLsn) + " (" + Timelines.historyFile(newTli) + ")", "timeline", newTli, "switchLsn",
        Wal.formatLsn(switchLsn), "oldTimeline", oldTli);
    done.accept(new Result.Rows(List.of(List.of((Object) Boolean.TRUE))));
  }
}
