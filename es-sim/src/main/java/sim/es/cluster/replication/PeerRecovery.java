package sim.es.cluster.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.cluster.replication.ReplicationMessage.RecoveryFailed;
import sim.es.cluster.replication.ReplicationMessage.RecoveryFiles;
import sim.es.cluster.replication.ReplicationMessage.RecoveryFilesDone;
import sim.es.cluster.replication.ReplicationMessage.RecoveryFinalized;
import sim.es.cluster.replication.ReplicationMessage.RecoveryOps;
import sim.es.cluster.replication.ReplicationMessage.RecoveryOpsDone;
import sim.es.cluster.replication.ReplicationMessage.StartRecovery;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ShardRouting;
import sim.es.cluster.state.ShardState;
import sim.es.engine.CombinedDeletionPolicy;
import sim.es.engine.Operation;

/**
 * Peer recovery of a replica from its primary (RecoverySourceHandler and RecoveryTarget). The target first
 * recovers locally up to its own global checkpoint (recoverLocallyUpToGlobalCheckpoint: its safe commit plus
 * its own translog) and asks to start from the next seq_no; without a safe commit it asks for everything.
 * If the primary holds a retention lease {@code peer_recovery/<node>} for the target's node that retains from
 * that seq_no on, and its history still has those operations, the recovery is operation-based: phase 1 is
 * skipped and only the missing operations are replayed. Otherwise it is file-based: the primary drops the
 * node's old lease and creates one from its safe commit's local checkpoint + 1, phase 1 copies that safe
 * commit (segments and history, fsynced on the target; acquireSafeIndexCommit), phase 2 replays the
 * operations above its local checkpoint. From phase 2 on the target receives every new
 * operation too (it is "tracked"); once its local checkpoint reaches the global checkpoint the primary marks
 * it in sync, and the target tells the master it started. A recovery that makes no progress for
 * {@code recoveryRetryMs} starts over.
 */
public final class PeerRecovery {
  private final IndexShard shard;
  // target side
  private long recoveryId;
  private String sourceNode;
  private long lastProgressMs;
  private String phase = "idle";
  private long awaitPersisted = Long.MAX_VALUE;
  private long retryMs = 10_000;
  // source side
  private final TreeMap<String, Source> sources = new TreeMap<>();

  private static final class Source {
    long recoveryId;
    String node;
    String mode;
    long fromSeqNo;
    boolean awaitingInSync;
  }

  PeerRecovery(IndexShard shard) {
    this.shard = shard;
  }

  // --- target ---

  /** Starts (or restarts) recovering this replica from the primary of the current routing. */
  public void start(NodeContext ctx, long recoveryRetryMs) {
    retryMs = recoveryRetryMs;
    ClusterState s = shard.host.state();
    ShardRouting primary = s.primary(shard.shard).orElse(null);
    if (primary == null || !primary.active()) {
      phase = "waiting for an active primary";
      return;
    }
    long startingSeqNo = shard.engine.maxSeqNo() >= 0 ? shard.engine.recoverLocallyUpToGlobalCheckpoint(ctx) : -1;
    recoveryId = ctx.random("recovery").nextLong() & Long.MAX_VALUE;
    sourceNode = primary.nodeId();
    lastProgressMs = ctx.localTimeMs();
    phase = "started";
    shard.primaryTerm = Math.max(shard.primaryTerm, s.index().primaryTerm(shard.shard));
    ctx.point("es.recovery.start", shard.key() + " replica " + shard.allocationId + " recovers from the primary on " + sourceNode
        + (startingSeqNo < 0 ? " (no data of its own)" : " starting at seq_no " + startingSeqNo), "shard", shard.shard, "allocationId", shard.allocationId,
        "startingSeqNo", startingSeqNo);
    ctx.send(NodeId.of(sourceNode), new StartRecovery(shard.shard, shard.allocationId, shard.host.nodeId(), recoveryId, startingSeqNo));
  }

  public boolean active() {
    return !phase.equals("idle") && !phase.equals("done");
  }

  void onFiles(NodeContext ctx, RecoveryFiles f) {
    if (f.recoveryId() != recoveryId || !active()) return;
    lastProgressMs = ctx.localTimeMs();
    phase = "files";
    shard.engine.wipeStore();
    String dir = IndexShard.dir(shard.host.state().index().name(), shard.shard);
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : f.files().entrySet()) {
      String file = dir + e.getKey();
      ctx.disk().create(file);
      ctx.disk().write(file, 0, e.getValue());
      written.add(file);
    }
    ctx.point("es.recovery.files", shard.key() + " phase 1: " + written.size() + " files of the primary's safe commit copied", "shard", shard.shard,
        "files", written.size());
    if (written.isEmpty()) {
      onFilesDurable(ctx, recoveryId);
      return;
    }
    ctx.fsyncThen(written, new sim.es.cluster.node.ClusterTimer.ShardFilesDurable(shard.shard, shard.allocationId, recoveryId, written));
  }

  /** Phase 1's files are durable: open them and tell the source. */
  public void onFilesDurable(NodeContext ctx, long token) {
    if (token != recoveryId || !phase.equals("files")) return;
    shard.engine.openCopiedCommit(ctx);
    ctx.send(NodeId.of(sourceNode), new RecoveryFilesDone(shard.shard, shard.allocationId, recoveryId));
  }

  void onOps(NodeContext ctx, RecoveryOps r) {
    if (r.recoveryId() != recoveryId || !active()) return;
    lastProgressMs = ctx.localTimeMs();
    phase = "ops";
    shard.primaryTerm = Math.max(shard.primaryTerm, r.primaryTerm());
    for (Operation op : r.ops()) shard.engine.apply(ctx, op);
    shard.engine.trimOperationsOfPreviousPrimaryTerms(ctx, r.primaryTerm(), r.trimAboveSeqNo()); // finalizeRecovery's trimAboveSeqNo
    shard.engine.setGlobalCheckpoint(r.globalCheckpoint());
    ctx.point("es.recovery.ops", shard.key() + " phase 2 (" + r.mode() + "-based): " + r.ops().size() + " operations replayed, local checkpoint "
        + shard.engine.processedCheckpoint(), "shard", shard.shard, "ops", r.ops().size(), "mode", r.mode());
    awaitPersisted = shard.engine.processedCheckpoint();
    shard.engine.sync(ctx);
    onPersisted(ctx);
  }

  void onPersisted(NodeContext ctx) {
    if (!phase.equals("ops") || shard.engine.persistedCheckpoint() < awaitPersisted) return;
    awaitPersisted = Long.MAX_VALUE;
    phase = "finalize";
    ctx.send(NodeId.of(sourceNode), new RecoveryOpsDone(shard.shard, shard.allocationId, recoveryId, shard.engine.persistedCheckpoint()));
  }

  void onFinalized(NodeContext ctx, RecoveryFinalized f) {
    if (f.recoveryId() != recoveryId || !active()) return;
    phase = "done";
    shard.engine.setGlobalCheckpoint(f.globalCheckpoint());
    shard.state = IndexShard.State.POST_RECOVERY;
    ctx.point("es.recovery.done", shard.key() + " replica " + shard.allocationId + " is in sync (local checkpoint " + shard.engine.processedCheckpoint()
        + ", global checkpoint " + f.globalCheckpoint() + ")", "shard", shard.shard, "allocationId", shard.allocationId);
    shard.host.recovered(ctx, shard);
  }

  void onFailed(NodeContext ctx, RecoveryFailed f) {
    if (f.recoveryId() != recoveryId || !active()) return;
    ctx.point("es.recovery.failed", shard.key() + " recovery failed: " + f.reason(), "shard", shard.shard);
    phase = "failed";
  }

  void tick(NodeContext ctx) {
    if (shard.state != IndexShard.State.RECOVERING || shard.primary) return;
    boolean stuck = phase.equals("failed") || phase.startsWith("waiting") || (active() && ctx.localTimeMs() - lastProgressMs > retryMs);
    if (stuck) start(ctx, retryMs);
  }

  // --- source ---

  void onStartRecovery(NodeContext ctx, NodeId from, StartRecovery r) {
    ShardRouting target = shard.host.state().byAllocationId(r.target()).orElse(null);
    if (!shard.primary || shard.state != IndexShard.State.STARTED || shard.tracker == null || target == null || target.primary()
        || target.state() != ShardState.INITIALIZING) {
      ctx.send(from, new RecoveryFailed(shard.shard, r.target(), r.recoveryId(), "no active primary " + shard.allocationId + " for target " + r.target()));
      return;
    }
    if (!shard.tracker.isInSync(r.target())) {
      shard.tracker.remove(r.target()); // an earlier attempt's tracking: its answers no longer count
      for (IndexShard.PendingWrite w : shard.pending.values()) w.waiting.remove(r.target());
    }
    Source src = new Source();
    src.recoveryId = r.recoveryId();
    src.node = r.targetNode();
    sources.put(r.target(), src);
    RetentionLease lease = shard.tracker.lease(r.targetNode());
    boolean opsBased = r.startingSeqNo() >= 0 && lease != null && lease.retainingSeqNo() <= r.startingSeqNo()
        && shard.engine.history().since(r.startingSeqNo()) != null;
    if (opsBased) {
      src.mode = "operation";
      src.fromSeqNo = r.startingSeqNo();
      if (lease == null) shard.tracker.addOrRenewLease(r.targetNode(), src.fromSeqNo, ctx.localTimeMs());
      shard.tracker.initiateTracking(r.target());
      shard.syncLeases(ctx);
      sendOps(ctx, r.target(), src);
      return;
    }
    src.mode = "file";
    CombinedDeletionPolicy.CommitInfo safe = shard.engine.safeCommit();
    src.fromSeqNo = safe == null ? 0 : safe.localCheckpoint() + 1;
    // the old lease may retain less than the copy will need now; the new one stands for the retention lock too
    shard.tracker.removeLease(r.targetNode());
    shard.tracker.addOrRenewLease(r.targetNode(), src.fromSeqNo, ctx.localTimeMs());
    shard.syncLeases(ctx);
    Map<String, byte[]> files = new LinkedHashMap<>();
    String dir = IndexShard.dir(shard.host.state().index().name(), shard.shard);
    if (safe != null) for (String f : shard.engine.commitFiles(safe.generation())) files.put(f.substring(dir.length()), ctx.disk().readAll(f));
    ctx.point("es.recovery.source", shard.key() + " file-based recovery of " + r.target() + " on " + r.targetNode() + ": " + whyFileBased(r, lease)
        + "; sending " + files.size() + " files of the safe commit" + (safe == null ? "" : " segments_" + safe.generation() + " (local_checkpoint "
        + safe.localCheckpoint() + ")") + ", then the operations from seq_no " + src.fromSeqNo, "shard", shard.shard, "target", r.target(),
        "files", files.size(), "mode", "file", "fromSeqNo", src.fromSeqNo);
    ctx.send(NodeId.of(r.targetNode()), new RecoveryFiles(shard.shard, r.target(), r.recoveryId(), files));
  }

  private String whyFileBased(StartRecovery r, RetentionLease lease) {
    if (r.startingSeqNo() < 0) return "it has no usable data of its own (no safe commit)";
    if (lease == null) return "no retention lease for its node (peer_recovery/" + r.targetNode() + ")";
    if (lease.retainingSeqNo() > r.startingSeqNo()) return "its lease retains from seq_no " + lease.retainingSeqNo() + ", it needs " + r.startingSeqNo();
    return "the history from seq_no " + r.startingSeqNo() + " is gone";
  }

  void onFilesDone(NodeContext ctx, RecoveryFilesDone d) {
    Source src = sources.get(d.target());
    if (src == null || src.recoveryId != d.recoveryId()) return;
    shard.tracker.initiateTracking(d.target());
    sendOps(ctx, d.target(), src);
  }

  private void sendOps(NodeContext ctx, String target, Source src) {
    List<Operation> ops = shard.engine.history().since(src.fromSeqNo);
    if (ops == null) {
      ctx.send(NodeId.of(src.node), new RecoveryFailed(shard.shard, target, src.recoveryId, "history from seq_no " + src.fromSeqNo + " is gone"));
      sources.remove(target);
      return;
    }
    if (src.mode.equals("operation")) {
      ctx.point("es.recovery.source", shard.key() + " operation-based recovery of " + target + " on " + src.node + ": its retention lease covers seq_no "
          + src.fromSeqNo + ", replaying " + ops.size() + " operations", "shard", shard.shard, "target", target, "ops", ops.size(), "mode", "operation",
          "fromSeqNo", src.fromSeqNo);
    }
    ctx.send(NodeId.of(src.node), new RecoveryOps(shard.shard, target, src.recoveryId, shard.primaryTerm, ops, shard.tracker.globalCheckpoint(), src.mode,
        shard.termStartMaxSeqNo));
  }

  void onOpsDone(NodeContext ctx, RecoveryOpsDone d) {
    Source src = sources.get(d.target());
    if (src == null || src.recoveryId != d.recoveryId()) return;
    src.awaitingInSync = true;
    onTrackedCopyProgress(ctx, d.target(), d.localCheckpoint());
  }

  /** A tracked copy answered with its local checkpoint: it becomes in sync once that reaches the global checkpoint. */
  void onTrackedCopyProgress(NodeContext ctx, String target, long localCheckpoint) {
    Source src = sources.get(target);
    if (src == null || !src.awaitingInSync || !shard.tracker.markInSync(target, localCheckpoint)) return;
    sources.remove(target);
    ctx.send(NodeId.of(src.node), new RecoveryFinalized(shard.shard, target, src.recoveryId, shard.tracker.globalCheckpoint()));
  }

  public String describe() {
    return "recovery " + phase + (sources.isEmpty() ? "" : ", recovering " + sources.keySet());
  }

  public void route(NodeContext ctx, NodeId from, ReplicationMessage m) {
    if (m instanceof StartRecovery r) onStartRecovery(ctx, from, r);
    else if (m instanceof RecoveryFiles f) onFiles(ctx, f);
    else if (m instanceof RecoveryFilesDone d) onFilesDone(ctx, d);
    else if (m instanceof RecoveryOps o) onOps(ctx, o);
    else if (m instanceof RecoveryOpsDone d) onOpsDone(ctx, d);
    else if (m instanceof RecoveryFinalized f) onFinalized(ctx, f);
    else if (m instanceof RecoveryFailed f) onFailed(ctx, f);
  }
}
