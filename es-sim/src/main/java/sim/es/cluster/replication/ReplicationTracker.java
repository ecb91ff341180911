package sim.es.cluster.replication;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.es.cluster.state.ShardRouting;

/**
 * The primary's ReplicationTracker: the copies in its replication group, each one's persisted local
 * checkpoint and the global checkpoint it knows, which of them are in sync, and the retention leases. The
 * global checkpoint is the minimum local checkpoint of the in-sync copies: every operation at or below it is
 * on every in-sync copy, so no later primary can miss it. A copy being recovered is tracked (it receives new
 * operations) before it is in sync; it becomes in sync once its local checkpoint reached the global one.
 */
public final class ReplicationTracker {
  /** One copy's checkpoints as the primary knows them. */
  static final class CheckpointState {
    long localCheckpoint = -1;
    long globalCheckpoint = -1;
    boolean inSync;
    boolean tracked;
  }

  private final String primaryAllocationId;
  private final TreeMap<String, CheckpointState> copies = new TreeMap<>();
  private final TreeMap<String, RetentionLease> leases = new TreeMap<>();
  private long globalCheckpoint;

  public ReplicationTracker(String primaryAllocationId, long localCheckpoint, long globalCheckpoint) {
    this.primaryAllocationId = primaryAllocationId;
    CheckpointState self = new CheckpointState();
    self.inSync = true;
    self.tracked = true;
    self.localCheckpoint = localCheckpoint;
    copies.put(primaryAllocationId, self);
    this.globalCheckpoint = globalCheckpoint;
  }

  /**
   * From the cluster state: the in-sync ids the master knows and the assigned copies. Copies the master no
   * longer lists are dropped; in-sync ids without a routing entry stay (unavailable) until marked stale.
   */
  public void updateFromMaster(Collection<String> inSyncIds, List<ShardRouting> routing) {
    List<String> assigned = new ArrayList<>();
    for (ShardRouting r : routing) if (r.assigned()) assigned.add(r.allocationId());
    copies.keySet().removeIf(id -> !id.equals(primaryAllocationId) && !assigned.contains(id) && !inSyncIds.contains(id));
    for (String id : inSyncIds) {
      CheckpointState c = copies.computeIfAbsent(id, k -> new CheckpointState());
      c.inSync = true;
      c.tracked = assigned.contains(id);
    }
    for (String id : assigned) if (!copies.containsKey(id)) copies.put(id, new CheckpointState());
    for (Map.Entry<String, CheckpointState> e : copies.entrySet()) if (!assigned.contains(e.getKey())) e.getValue().tracked = false;
    copies.get(primaryAllocationId).tracked = true;
    copies.get(primaryAllocationId).inSync = true;
    recompute();
  }

  /** Recovery: the target starts receiving live operations. */
  public void initiateTracking(String allocationId) {
    copies.computeIfAbsent(allocationId, k -> new CheckpointState()).tracked = true;
  }

  /** Recovery finalisation: the target may count now. Only if it caught up with the global checkpoint. */
  public boolean markInSync(String allocationId, long localCheckpoint) {
    CheckpointState c = copies.get(allocationId);
    if (c == null) return false;
    c.localCheckpoint = Math.max(c.localCheckpoint, localCheckpoint);
    if (c.localCheckpoint < globalCheckpoint) return false;
    c.inSync = true;
    recompute();
    return true;
  }

  public void updateLocalCheckpoint(String allocationId, long localCheckpoint, long knownGlobalCheckpoint) {
    CheckpointState c = copies.get(allocationId);
    if (c == null) return;
    c.localCheckpoint = Math.max(c.localCheckpoint, localCheckpoint);
    c.globalCheckpoint = Math.max(c.globalCheckpoint, knownGlobalCheckpoint);
    recompute();
  }

  /** A copy failed: it is gone from the group (the master drops it from the in-sync set). */
  public void remove(String allocationId) {
    if (!allocationId.equals(primaryAllocationId)) copies.remove(allocationId);
    recompute();
  }

  private void recompute() {
    long min = Long.MAX_VALUE;
    for (CheckpointState c : copies.values()) if (c.inSync) min = Math.min(min, c.localCheckpoint);
    if (min != Long.MAX_VALUE) globalCheckpoint = Math.max(globalCheckpoint, min);
  }

  public long globalCheckpoint() {
    return globalCheckpoint;
  }

  /** The tracked copies other than the primary: where operations go. */
  public List<String> replicationTargets() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, CheckpointState> e : copies.entrySet()) {
      if (!e.getKey().equals(primaryAllocationId) && e.getValue().tracked) out.add(e.getKey());
    }
    return out;
  }

  public boolean isInSync(String allocationId) {
    CheckpointState c = copies.get(allocationId);
    return c != null && c.inSync;
  }

  /** In-sync ids with no assigned copy: each must be marked stale before an operation may be acknowledged. */
  public List<String> unavailableInSync() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, CheckpointState> e : copies.entrySet()) if (e.getValue().inSync && !e.getValue().tracked) out.add(e.getKey());
    return out;
  }

  /** Copies whose known global checkpoint lags the primary's: they need a global checkpoint sync. */
  public List<String> laggingGlobalCheckpoint() {
    List<String> out = new ArrayList<>();
    for (String id : replicationTargets()) if (copies.get(id).globalCheckpoint < globalCheckpoint) out.add(id);
    return out;
  }

  public long localCheckpoint(String allocationId) {
    CheckpointState c = copies.get(allocationId);
    return c == null ? -1 : c.localCheckpoint;
  }

  // --- retention leases ---

  public void addOrRenewLease(String nodeId, long retainingSeqNo, long nowMs) {
    String id = RetentionLease.peerRecoveryId(nodeId);
    RetentionLease old = leases.get(id);
    long seqNo = old == null ? retainingSeqNo : Math.max(old.retainingSeqNo(), retainingSeqNo);
    leases.put(id, new RetentionLease(id, seqNo, nowMs));
  }

  /** A promoted replica starts with the leases its old primary last synced to it (timestamps and all). */
  public void adoptLeases(Collection<RetentionLease> synced) {
    for (RetentionLease l : synced) leases.putIfAbsent(l.id(), l);
  }

  /** A file-based recovery replaces the node's lease: the copy's history starts over from the copied commit. */
  public void removeLease(String nodeId) {
    leases.remove(RetentionLease.peerRecoveryId(nodeId));
  }

  /** The global checkpoint a copy last told the primary it knows (-1 if none yet). */
  public long knownGlobalCheckpoint(String allocationId) {
    CheckpointState c = copies.get(allocationId);
    return allocationId.equals(primaryAllocationId) ? globalCheckpoint : c == null ? -1 : c.globalCheckpoint;
  }

  public RetentionLease lease(String nodeId) {
    return leases.get(RetentionLease.peerRecoveryId(nodeId));
  }

  /**
   * ReplicationTracker.getRetentionLeases(expireLeases = true), on the primary: a peer-recovery lease of a node
   * that holds an assigned copy ({@code currentPeers}) never expires; once every copy of the shard is started,
   * the lease of any other node expires at once (it can only be an unused one); otherwise a lease expires when
   * it was not renewed within {@code index.soft_deletes.retention_lease.period}. Returns the expired ids.
   */
  public List<String> expireLeases(long nowMs, long periodMs, java.util.Set<String> currentPeers, boolean allShardsStarted) {
    List<String> expired = new ArrayList<>();
    leases.values().removeIf(l -> {
      boolean old = !currentPeers.contains(l.id()) && (allShardsStarted || nowMs - l.timestampMs() > periodMs);
      if (old) expired.add(l.id());
      return old;
    });
    return expired;
  }

  /** The lowest seq_no any lease retains: history below it may go. */
  public long minRetainedSeqNo() {
    long min = globalCheckpoint + 1;
    for (RetentionLease l : leases.values()) min = Math.min(min, l.retainingSeqNo());
    return min;
  }

  public Collection<RetentionLease> leases() {
    return leases.values();
  }

  public String describe() {
    StringBuilder b = new StringBuilder("global checkpoint " + globalCheckpoint + "; copies:");
    copies.forEach((id, c) -> b.append(' ').append(id).append("{lcp=").append(c.localCheckpoint).append(", gcp=").append(c.globalCheckpoint)
        .append(c.inSync ? ", in-sync" : "").append(c.tracked ? ", tracked" : ", unavailable").append('}'));
    if (!leases.isEmpty()) {
      b.append("; leases:");
      for (RetentionLease l : leases.values()) b.append(' ').append(l.id()).append(">=").append(l.retainingSeqNo());
    }
    return b.toString();
  }
}
