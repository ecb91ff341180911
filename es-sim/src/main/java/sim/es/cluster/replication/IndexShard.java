package sim.es.cluster.replication;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.es.cluster.replication.ReplicationMessage.GlobalCheckpointSync;
import sim.es.cluster.replication.ReplicationMessage.ReplicaRejected;
import sim.es.cluster.replication.ReplicationMessage.ReplicaRequest;
import sim.es.cluster.replication.ReplicationMessage.ReplicaResponse;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ShardRouting;
import sim.es.cluster.state.ShardState;
import sim.es.engine.EsConfig;
import sim.es.engine.Engine;
import sim.es.engine.Operation;

/**
 * One copy of one shard on one node (Elasticsearch's IndexShard): its engine, its allocation id, whether it
 * is the primary and of which primary term. As primary it runs ReplicationOperation: assign the next seq_no,
 * apply locally, send the operation to every copy in the replication group, and acknowledge only when every
 * one of them answered — a copy that failed, and an in-sync copy that is unavailable, must first be removed
 * from the in-sync set by the master. As replica it applies what the primary of the current term sends, and
 * refuses an older primary. A replica that hears of a newer primary term resets its engine to the global
 * checkpoint (what is above may exist nowhere else); a promoted replica fills its seq_no gaps with no-ops and
 * resyncs what it has above the global checkpoint to the others.
 */
public final class IndexShard implements Engine.Listener {
  public static final String BREAK_ACK_BEFORE_REPLICAS = "es.ack-before-replicas";
  /** Broken: a reset or local recovery reopens the last commit and replays the whole translog, past the global checkpoint. */
  public static final String BREAK_REOPEN_PAST_GLOBAL_CHECKPOINT = "es.reopen-past-global-checkpoint";

  /** What the shard needs from its node. */
  public interface Host {
    ClusterState state();

    String nodeId();

    /** Answers the coordinating node of a write. */
    void writeDone(NodeContext ctx, PendingWrite write, String result, String errorType, String reason);

    /** ShardStateAction: ask the master to mark {@code allocationId} stale (and fail it); answers come to {@link #onStaleMarked}. */
    void markStale(NodeContext ctx, IndexShard shard, String allocationId, String reason);

    /** This copy recovered: tell the master it started. */
    void recovered(NodeContext ctx, IndexShard shard);
  }

  /** A write waiting for its copies (and, under durability request, its own fsync). */
  public static final class PendingWrite {
    public final String coordinator;
    public final long requestId;
    public final Operation op;
    final String result;
    final Set<String> waiting = new LinkedHashSet<>();
    final Set<String> needStale = new LinkedHashSet<>();
    final TreeMap<String, Long> sentAtMs = new TreeMap<>();
    int copies = 1;
    int failed;

    PendingWrite(String coordinator, long requestId, Operation op, String result) {
      this.coordinator = coordinator;
      this.requestId = requestId;
      this.op = op;
      this.result = result;
    }

    public int shardsTotal() {
      return copies;
    }

    public int shardsSuccessful() {
      return copies - failed;
    }
  }

  public enum State { RECOVERING, POST_RECOVERY, STARTED, CLOSED }

  final int shard;
  final String allocationId;
  final Host host;
  final EsConfig config;
  final boolean ackBeforeReplicas;
  Engine engine;
  boolean primary;
  long primaryTerm;
  /** The global checkpoint when this copy was promoted in its term ({@code Long.MIN_VALUE}: not promoted). */
  private long termStartGlobalCheckpoint = Long.MIN_VALUE;
  /** The max_seq_no when this primary's term began (after filling gaps): the resync's trimAboveSeqNo. */
  long termStartMaxSeqNo = Long.MAX_VALUE;
  State state = State.RECOVERING;
  ReplicationTracker tracker;
  final TreeMap<Long, PendingWrite> pending = new TreeMap<>();
  private final TreeMap<Long, List<ReplicaAck>> replicaAcks = new TreeMap<>();
  private final Set<String> staleRequested = new LinkedHashSet<>();
  private List<RetentionLease> syncedLeases = List.of(); // as replica: the primary's leases, last synced
  private long leasesSyncedAtMs = Long.MIN_VALUE; // as primary
  static final long LEASE_SYNC_INTERVAL_MS = 30_000; // index.soft_deletes.retention_lease.sync_interval
  final PeerRecovery recovery;

  private record ReplicaAck(String primaryNode, long seqNo) {}

  public IndexShard(int shard, String allocationId, boolean primary, long primaryTerm, EsConfig config, Host host, boolean ackBeforeReplicas) {
    this.shard = shard;
    this.allocationId = allocationId;
    this.primary = primary;
    this.primaryTerm = primaryTerm;
    this.config = config;
    this.host = host;
    this.ackBeforeReplicas = ackBeforeReplicas;
    this.recovery = new PeerRecovery(this);
  }

  public static String dir(String index, int shard) {
    return "indices/" + index + "/" + shard + "/";
  }

  public String key() {
    return "[" + shard + "]";
  }

  /** Opens the engine on what this node's disk holds of the shard (nothing, or an older copy's data). */
  public void open(NodeContext ctx, String index) {
    engine = new Engine(config, ctx.disk(), dir(index, shard), allocationId, this); // timers name the copy, not just the shard
    engine.breakKeepOnlyLastCommit(ctx.isBroken(sim.es.engine.CombinedDeletionPolicy.BREAK_KEEP_ONLY_LAST_COMMIT));
    engine.breakReopenPastGlobalCheckpoint(ctx.isBroken(BREAK_REOPEN_PAST_GLOBAL_CHECKPOINT));
    engine.open(ctx, false);
    engine.startTimers(ctx);
  }

  // --- as primary ---

  /** Becomes the primary (a new index, a disk copy, or a promotion): tracker from the master's in-sync set. */
  public void activatePrimary(NodeContext ctx, long term, ClusterState s) {
    boolean promotion = !primary || term > primaryTerm;
    primary = true;
    primaryTerm = term;
    tracker = new ReplicationTracker(allocationId, engine.persistedCheckpoint(), engine.globalCheckpoint());
    tracker.adoptLeases(syncedLeases);
    tracker.addOrRenewLease(host.nodeId(), engine.globalCheckpoint() + 1, ctx.localTimeMs());
    termStartGlobalCheckpoint = Long.MIN_VALUE;
    updateFromMaster(ctx, s);
    if (!promotion) return;
    termStartGlobalCheckpoint = engine.globalCheckpoint();
    termStartMaxSeqNo = Long.MAX_VALUE;
    int filled = 0;
    for (long seqNo = engine.processedCheckpoint() + 1; seqNo <= engine.maxSeqNo(); seqNo++) {
      if (engine.history().get(seqNo) != null) continue;
      engine.apply(ctx, Operation.noop(seqNo, term)); // fillSeqNoGaps
      filled++;
    }
    engine.afterWrite(ctx);
    termStartMaxSeqNo = engine.maxSeqNo();
    List<Operation> resync = engine.history().since(engine.globalCheckpoint() + 1);
    ctx.point("es.shard.primary", key() + " " + allocationId + " is primary in term " + term + " (local checkpoint " + engine.processedCheckpoint()
            + ", global checkpoint " + engine.globalCheckpoint() + ", " + filled + " gaps filled with no-ops, " + (resync == null ? 0 : resync.size())
            + " operations to resync)", "shard", shard, "allocationId", allocationId, "term", term, "globalCheckpoint", engine.globalCheckpoint());
    if (resync == null) return;
    for (Operation op : resync) replicate(ctx, new PendingWrite(null, -1, op, "resync"), true);
  }

  /** A new cluster state: the tracker follows the master's in-sync set and routing. */
  public void updateFromMaster(NodeContext ctx, ClusterState s) {
    if (!primary || tracker == null) return;
    Set<String> before = new LinkedHashSet<>(tracker.replicationTargets());
    tracker.updateFromMaster(s.index().inSync(shard), s.copies(shard));
    for (String t : tracker.replicationTargets()) if (!before.contains(t)) resyncJoined(ctx, t, s);
    for (PendingWrite w : pending.values()) {
      for (String t : List.copyOf(w.waiting)) {
        if (assigned(s, t)) continue;
        w.waiting.remove(t); // the copy is gone from the routing table (its node left, or it failed)
        if (tracker.isInSync(t)) w.needStale.add(t);
      }
      for (String t : tracker.unavailableInSync()) if (!t.equals(allocationId)) w.needStale.add(t);
    }
    requestStale(ctx);
    completeWrites(ctx);
  }

  /**
   * A copy that enters this primary's replication group from the cluster state — not through a recovery from
   * this primary (it recovered from the primary before, which handed over) — missed the resync and the
   * writes since the promotion; on hearing the new term it resets to its global checkpoint. So it gets every
   * operation above the term's starting global checkpoint, retried like any replica request.
   */
  private void resyncJoined(NodeContext ctx, String target, ClusterState s) {
    if (termStartGlobalCheckpoint == Long.MIN_VALUE) return;
    List<Operation> ops = engine.history().since(termStartGlobalCheckpoint + 1);
    if (ops == null) return;
    for (Operation op : ops) {
      PendingWrite w = pending.computeIfAbsent(op.seqNo(), k -> new PendingWrite(null, -1, op, ""));
      if (!w.waiting.add(target)) continue;
      w.copies++;
      send(ctx, w, target, s, true);
    }
  }

  private static boolean assigned(ClusterState s, String allocationId) {
    return s.byAllocationId(allocationId).map(ShardRouting::assigned).orElse(false);
  }

  /** ReplicationOperation for one index or delete: seq_no, local apply, then to every copy. */
  public void index(NodeContext ctx, String coordinator, long requestId, String id, String source, boolean delete) {
    boolean existed = engine.exists(id);
    Operation op = new Operation(engine.maxSeqNo() + 1, primaryTerm, delete, id, source);
    engine.apply(ctx, op);
    String result = delete ? (existed ? "deleted" : "not_found") : existed ? "updated" : "created";
    ctx.point("es.primary.index", key() + " primary " + allocationId + ": " + op.describe() + " (" + result + ")", "shard", shard, "id", id,
        "seqNo", op.seqNo(), "term", primaryTerm, "allocationId", allocationId);
    PendingWrite w = new PendingWrite(coordinator, requestId, op, result);
    replicate(ctx, w, false);
    engine.afterWrite(ctx);
    completeWrites(ctx);
  }

  private void replicate(NodeContext ctx, PendingWrite w, boolean resync) {
    ClusterState s = host.state();
    for (String t : tracker.replicationTargets()) {
      w.waiting.add(t);
      w.copies++;
      send(ctx, w, t, s, resync);
    }
    for (String t : tracker.unavailableInSync()) if (!t.equals(allocationId)) w.needStale.add(t);
    pending.put(w.op.seqNo(), w);
    requestStale(ctx);
  }

  private void send(NodeContext ctx, PendingWrite w, String target, ClusterState s, boolean resync) {
    String node = s.byAllocationId(target).map(ShardRouting::nodeId).orElse(null);
    if (node == null) return;
    w.sentAtMs.put(target, ctx.localTimeMs());
    ctx.send(NodeId.of(node), new ReplicaRequest(shard, target, primaryTerm, w.op, tracker.globalCheckpoint(), resync, termStartMaxSeqNo));
  }

  private void requestStale(NodeContext ctx) {
    Set<String> all = new LinkedHashSet<>();
    for (PendingWrite w : pending.values()) all.addAll(w.needStale);
    for (String id : all) if (staleRequested.add(id)) host.markStale(ctx, this, id, "the primary could not replicate to it");
  }

  /** The master removed {@code id} from the in-sync set (or it was not there): writes waiting on it may go on. */
  public void onStaleMarked(NodeContext ctx, String id) {
    staleRequested.remove(id);
    for (PendingWrite w : pending.values()) {
      if (w.needStale.remove(id) || w.waiting.remove(id)) w.failed++;
    }
    if (tracker != null) tracker.remove(id);
    completeWrites(ctx);
  }

  /** The master says a newer primary exists: this copy must not acknowledge anything more. */
  public void onNoLongerPrimary(NodeContext ctx, String reason) {
    staleRequested.clear();
    for (PendingWrite w : List.copyOf(pending.values())) {
      if (w.coordinator != null) host.writeDone(ctx, w, null, "shard_not_in_primary_mode_exception", reason);
    }
    pending.clear();
  }

  public void onReplicaResponse(NodeContext ctx, ReplicaResponse r) {
    if (!primary || tracker == null) return;
    if (tracker.isInSync(r.target())) tracker.updateLocalCheckpoint(r.target(), r.localCheckpoint(), r.globalCheckpoint());
    else recovery.onTrackedCopyProgress(ctx, r.target(), r.localCheckpoint());
    String node = host.state().byAllocationId(r.target()).map(ShardRouting::nodeId).orElse(null);
    if (node != null) tracker.addOrRenewLease(node, r.globalCheckpoint() + 1, ctx.localTimeMs());
    PendingWrite w = pending.get(r.seqNo());
    if (w != null) w.waiting.remove(r.target());
    completeWrites(ctx);
  }

  public void onReplicaRejected(NodeContext ctx, ReplicaRejected r) {
    if (!primary) return;
    if (r.currentPrimaryTerm() > primaryTerm) {
      onNoLongerPrimary(ctx, "a replica knows primary term " + r.currentPrimaryTerm() + " > " + primaryTerm);
      return;
    }
    PendingWrite w = pending.get(r.seqNo());
    if (w != null && w.waiting.remove(r.target()) && tracker.isInSync(r.target())) w.needStale.add(r.target());
    else if (w != null) w.failed++;
    requestStale(ctx);
    completeWrites(ctx);
  }

  @Override
  public void onPersisted(NodeContext ctx, long persistedCheckpoint) {
    if (primary && tracker != null) {
      tracker.updateLocalCheckpoint(allocationId, persistedCheckpoint, tracker.globalCheckpoint());
      completeWrites(ctx);
    } else {
      sendReplicaAcks(ctx);
    }
    recovery.onPersisted(ctx);
  }

  /** Acknowledges, in seq_no order, every write whose copies all answered and which is durable here. */
  private void completeWrites(NodeContext ctx) {
    if (tracker == null) return;
    engine.setGlobalCheckpoint(tracker.globalCheckpoint());
    engine.setRetainedSeqNo(tracker.minRetainedSeqNo());
    boolean durableFirst = config.durability() == EsConfig.Durability.REQUEST;
    for (PendingWrite w : List.copyOf(pending.values())) {
      boolean durable = !durableFirst || engine.persistedCheckpoint() >= w.op.seqNo();
      boolean replicated = ackBeforeReplicas || (w.waiting.isEmpty() && w.needStale.isEmpty());
      if (!durable || !replicated) continue;
      if (w.coordinator != null && !w.result.isEmpty()) {
        ctx.point("es.primary.ack", key() + " " + w.op.describe() + " acknowledged: " + w.shardsSuccessful() + " of " + w.shardsTotal()
                + " copies, global checkpoint " + tracker.globalCheckpoint() + (ackBeforeReplicas && !w.waiting.isEmpty() ? " (before the replicas answered)" : ""),
            "shard", shard, "id", w.op.id(), "seqNo", w.op.seqNo(), "term", w.op.primaryTerm(), "globalCheckpoint", tracker.globalCheckpoint());
        host.writeDone(ctx, w, w.result, null, null); // under the broken rule possibly before the copies answered
      }
      if (w.waiting.isEmpty() && w.needStale.isEmpty()) pending.remove(w.op.seqNo());
      else pending.put(w.op.seqNo(), ackedCopy(w));
    }
  }

  /** Under the broken rule a write is acknowledged once; what remains only waits for its copies. */
  private static PendingWrite ackedCopy(PendingWrite w) {
    PendingWrite c = new PendingWrite(null, w.requestId, w.op, "");
    c.waiting.addAll(w.waiting);
    c.needStale.addAll(w.needStale);
    c.sentAtMs.putAll(w.sentAtMs);
    return c;
  }

  /** Every second: resend what was not answered, sync lagging global checkpoints, expire leases, drive recovery. */
  public void tick(NodeContext ctx, long retryMs, long leasePeriodMs) {
    ClusterState s = host.state();
    if (primary && tracker != null && state == State.STARTED) {
      for (PendingWrite w : pending.values()) {
        for (String t : w.waiting) if (ctx.localTimeMs() - w.sentAtMs.getOrDefault(t, 0L) >= retryMs) send(ctx, w, t, s, w.coordinator == null);
      }
      for (String t : tracker.laggingGlobalCheckpoint()) {
        String node = s.byAllocationId(t).map(ShardRouting::nodeId).orElse(null);
        if (node != null) ctx.send(NodeId.of(node), new GlobalCheckpointSync(shard, t, primaryTerm, tracker.globalCheckpoint(), termStartMaxSeqNo));
      }
      // renewPeerRecoveryRetentionLeases: every assigned copy's lease follows the global checkpoint that copy knows;
      // a lease of a node without a copy is not renewed, and expires
      for (ShardRouting r : s.copies(shard)) if (r.assigned() && (tracker.lease(r.nodeId()) != null || tracker.isInSync(r.allocationId()))) {
        tracker.addOrRenewLease(r.nodeId(), tracker.knownGlobalCheckpoint(r.allocationId()) + 1, ctx.localTimeMs());
      }
      if (ctx.localTimeMs() - leasesSyncedAtMs >= LEASE_SYNC_INTERVAL_MS) syncLeases(ctx);
      Set<String> peers = new java.util.TreeSet<>(); // routingTable.assignedShards(): their nodes' leases never expire
      boolean allStarted = true;
      for (ShardRouting r : s.copies(shard)) {
        if (r.assigned()) peers.add(RetentionLease.peerRecoveryId(r.nodeId()));
        allStarted &= r.state() == ShardState.STARTED;
      }
      for (String expired : tracker.expireLeases(ctx.localTimeMs(), leasePeriodMs, peers, allStarted)) {
        leasesSyncedAtMs = Long.MIN_VALUE; // RetentionLeaseSyncAction: the copies learn of it at once
        ctx.point("es.lease.expired", key() + " retention lease " + expired + " expired: its history may be trimmed", "shard", shard, "lease", expired);
      }
      requestStale(ctx);
    }
    recovery.tick(ctx);
  }

  /** Sends the leases to every copy the primary replicates to; a recovery that adds or removes one calls it at once. */
  void syncLeases(NodeContext ctx) {
    leasesSyncedAtMs = ctx.localTimeMs();
    ClusterState s = host.state();
    List<RetentionLease> leases = List.copyOf(tracker.leases());
    for (String t : tracker.replicationTargets()) {
      String node = s.byAllocationId(t).map(ShardRouting::nodeId).orElse(null);
      if (node != null) ctx.send(NodeId.of(node), new ReplicationMessage.RetentionLeaseSync(shard, t, primaryTerm, leases));
    }
  }

  // --- as replica ---

  /** updateRetentionLeasesOnReplica: the copy keeps the history the primary's leases retain, and remembers them for a promotion. */
  public void onRetentionLeaseSync(ReplicationMessage.RetentionLeaseSync l) {
    if (l.primaryTerm() < primaryTerm || primary) return;
    syncedLeases = l.leases();
    engine.setRetainedSeqNo(retainedOnReplica());
  }

  private long retainedOnReplica() {
    long min = engine.globalCheckpoint() + 1;
    for (RetentionLease l : syncedLeases) min = Math.min(min, l.retainingSeqNo());
    return min;
  }

  public void onReplicaRequest(NodeContext ctx, NodeId from, ReplicaRequest r) {
    if (r.primaryTerm() < primaryTerm) {
      ctx.send(from, new ReplicaRejected(shard, allocationId, r.op().seqNo(), primaryTerm, "operation primary term [" + r.primaryTerm()
          + "] is too old (current [" + primaryTerm + "])"));
      return;
    }
    if (primary && r.primaryTerm() == primaryTerm) return; // our own term: cannot come from anyone else
    if (primary) demote(ctx, "a primary of term " + r.primaryTerm() + " replicates to it");
    bumpTerm(ctx, r.primaryTerm(), r.globalCheckpoint());
    engine.trimOperationsOfPreviousPrimaryTerms(ctx, r.primaryTerm(), r.trimAboveSeqNo());
    engine.setGlobalCheckpoint(r.globalCheckpoint());
    engine.setRetainedSeqNo(retainedOnReplica());
    boolean applied = engine.apply(ctx, r.op());
    if (applied) {
      ctx.point("es.replica.index", key() + " replica " + allocationId + ": " + r.op().describe() + (r.resync() ? " (primary-replica resync)" : ""),
          "shard", shard, "seqNo", r.op().seqNo(), "term", r.op().primaryTerm(), "allocationId", allocationId);
    }
    engine.afterWrite(ctx);
    replicaAcks.computeIfAbsent(r.op().seqNo(), k -> new ArrayList<>()).add(new ReplicaAck(from.name(), r.op().seqNo()));
    sendReplicaAcks(ctx);
  }

  public void onGlobalCheckpointSync(NodeContext ctx, NodeId from, GlobalCheckpointSync g) {
    if (g.primaryTerm() < primaryTerm || (primary && g.primaryTerm() == primaryTerm)) return;
    if (primary) demote(ctx, "a primary of term " + g.primaryTerm() + " syncs its global checkpoint");
    bumpTerm(ctx, g.primaryTerm(), g.globalCheckpoint());
    engine.trimOperationsOfPreviousPrimaryTerms(ctx, g.primaryTerm(), g.trimAboveSeqNo());
    engine.setGlobalCheckpoint(g.globalCheckpoint());
    ctx.send(from, new ReplicaResponse(shard, allocationId, -1, engine.persistedCheckpoint(), engine.globalCheckpoint()));
  }

  /** A newer primary exists: stop acting as primary (the master will fail or reassign this copy). */
  void demote(NodeContext ctx, String reason) {
    onNoLongerPrimary(ctx, reason);
    primary = false;
    tracker = null;
  }

  /** acquireReplicaOperationPermit with a newer term: reset the engine to the global checkpoint first. */
  void bumpTerm(NodeContext ctx, long term, long globalCheckpoint) {
    if (term <= primaryTerm) return;
    engine.setGlobalCheckpoint(globalCheckpoint);
    long old = primaryTerm;
    primaryTerm = term;
    replicaAcks.clear();
    ctx.point("es.replica.new-term", key() + " replica " + allocationId + " learns primary term " + term + " (was " + old + ")", "shard", shard,
        "term", term);
    engine.resetToGlobalCheckpoint(ctx);
  }

  private void sendReplicaAcks(NodeContext ctx) {
    long durable = config.durability() == EsConfig.Durability.REQUEST ? engine.persistedCheckpoint() : Long.MAX_VALUE;
    while (!replicaAcks.isEmpty()) {
      Map.Entry<Long, List<ReplicaAck>> e = replicaAcks.firstEntry();
      // answered once the persisted checkpoint covers it: an operation above a gap waits for the gap (retransmitted) to fill
      if (e.getKey() > durable) break;
      replicaAcks.pollFirstEntry();
      for (ReplicaAck a : e.getValue()) {
        ctx.send(NodeId.of(a.primaryNode()), new ReplicaResponse(shard, allocationId, a.seqNo(), engine.persistedCheckpoint(), engine.globalCheckpoint()));
      }
    }
  }

  // --- views ---

  public int shard() {
    return shard;
  }

  public String allocationId() {
    return allocationId;
  }

  public boolean isPrimary() {
    return primary;
  }

  public long primaryTerm() {
    return primaryTerm;
  }

  public State state() {
    return state;
  }

  public void setState(State s) {
    state = s;
  }

  public Engine engine() {
    return engine;
  }

  public ReplicationTracker tracker() {
    return tracker;
  }

  public PeerRecovery recovery() {
    return recovery;
  }

  public String describe() {
    return key() + " " + allocationId + " " + (primary ? "primary" : "replica") + " " + state + ", term " + primaryTerm + ": " + engine.describe()
        + (tracker != null ? "\n    " + tracker.describe() : "") + (pending.isEmpty() ? "" : "\n    " + pending.size() + " writes waiting for copies");
  }
}
