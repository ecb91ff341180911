package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.cassandra.storage.CommitLog;
import sim.cassandra.storage.CommitLogSync;
import sim.cassandra.storage.StorageConfig;
import sim.core.NodeContext;

/**
 * When a replica's commit log is fsynced, and when a write waiting for it is acknowledged: Cassandra's
 * AbstractCommitLogService with its three {@code commitlog_sync} modes.
 * <ul>
 *   <li>{@code periodic} (the default): the write is acknowledged at once; a timer fsyncs every
 *       {@code commitlog_sync_period}, so a crash of every replica loses up to that window.</li>
 *   <li>{@code batch}: each write waits for an fsync, started at once when none is in flight (the writes
 *       that arrive during one share the next).</li>
 *   <li>{@code group}: writes wait for an fsync started at the end of a {@code commitlog_sync_group_window}.</li>
 * </ul>
 * The fsync goes through the kernel's durability door, so its latency and failures apply.
 */
final class CommitLogService {
  private final StorageConfig config;
  private final CommitLog commitLog;
  /** Writes waiting for a commit log fsync (batch, group), by sync epoch. */
  private final TreeMap<Long, List<Runnable>> awaitingSync = new TreeMap<>();
  private final List<Runnable> nextSync = new ArrayList<>();
  private long syncEpoch;
  private boolean syncInFlight;
  private boolean groupWindowOpen;

  CommitLogService(StorageConfig config, CommitLog commitLog) {
    this.config = config;
    this.commitLog = commitLog;
  }

  /** Starts the periodic sync timer under {@code periodic}; the other modes sync on demand. */
  void start(NodeContext ctx) {
    if (config.commitlogSync() != CommitLogSync.PERIODIC) return;
    ctx.setTimer(new CassandraTimer.PeriodicSync(), config.commitlogSyncPeriodMs() * 1_000_000L);
  }

  /** A mutation was appended: {@code ack} runs now under periodic (or {@code ackAtOnce}), else after its fsync. */
  void afterAppend(NodeContext ctx, Runnable ack, boolean ackAtOnce) {
    CommitLogSync mode = config.commitlogSync();
    if (mode == CommitLogSync.PERIODIC || ackAtOnce) {
      ack.run();
      return;
    }
    nextSync.add(ack);
    if (mode == CommitLogSync.BATCH) {
      if (!syncInFlight) sync(ctx, "batch");
    } else if (!syncInFlight) {
      openGroupWindow(ctx);
    }
  }

  void onPeriodicTimer(NodeContext ctx, CassandraTimer.PeriodicSync t) {
    sync(ctx, "periodic");
    ctx.setTimer(t, config.commitlogSyncPeriodMs() * 1_000_000L);
  }

  void onGroupWindowClosed(NodeContext ctx) {
    groupWindowOpen = false;
    sync(ctx, "group");
  }

  void onSynced(NodeContext ctx, long epoch) {
    syncInFlight = false;
    List<Runnable> acks = awaitingSync.remove(epoch);
    if (acks != null) for (Runnable r : acks) r.run();
    if (nextSync.isEmpty()) return;
    if (config.commitlogSync() == CommitLogSync.BATCH) sync(ctx, "batch");
    else openGroupWindow(ctx);
  }

  private void openGroupWindow(NodeContext ctx) {
    if (groupWindowOpen) return;
    groupWindowOpen = true;
    ctx.setTimer(new CassandraTimer.GroupWindow(), config.commitlogSyncGroupWindowMs() * 1_000_000L);
  }

  private void sync(NodeContext ctx, String why) {
    List<String> dirty = commitLog.dirtyFiles();
    if (dirty.isEmpty() && nextSync.isEmpty()) return;
    if (syncInFlight) return;
    syncInFlight = true;
    long epoch = ++syncEpoch;
    awaitingSync.put(epoch, new ArrayList<>(nextSync));
    nextSync.clear();
    ctx.point("cassandra.commitlog.sync", why + " sync of " + dirty, "mode", why, "segments", dirty.size());
    commitLog.writeSyncMarkers(); // the marker makes the section readable, so it rides the same fsync
    ctx.fsyncThen(dirty, new CassandraTimer.CommitLogSynced(epoch));
    commitLog.markSynced(dirty);
  }
}
