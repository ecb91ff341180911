package sim.es.cluster.replication;

import java.util.List;
import java.util.Map;
import sim.core.Message;
import sim.es.engine.Operation;

/** Between the copies of a shard: replication from the primary, global checkpoint syncs, and peer recovery. */
public sealed interface ReplicationMessage extends Message {
  int shard();

  /**
   * One operation from the primary of {@code primaryTerm} to the copy {@code target}, with the primary's global checkpoint and
   * the resync's {@code trimAboveSeqNo} (ResyncReplicationRequest): the primary's max_seq_no when its term began — an operation
   * of an older term above it exists on no primary and is trimmed from the copy's translog.
   */
  record ReplicaRequest(int shard, String target, long primaryTerm, Operation op, long globalCheckpoint, boolean resync, long trimAboveSeqNo)
      implements ReplicationMessage {}

  /** The copy applied and persisted it: its persisted local checkpoint and the global checkpoint it knows now. */
  record ReplicaResponse(int shard, String target, long seqNo, long localCheckpoint, long globalCheckpoint) implements ReplicationMessage {}

  /** The copy refused: it is not there, or the sender's primary term is stale. */
  record ReplicaRejected(int shard, String target, long seqNo, long currentPrimaryTerm, String reason) implements ReplicationMessage {}

  /** GlobalCheckpointSyncAction / RetentionLeaseSyncAction: the primary's global checkpoint, when there are no operations to carry it. */
  record GlobalCheckpointSync(int shard, String target, long primaryTerm, long globalCheckpoint, long trimAboveSeqNo) implements ReplicationMessage {}

  /**
   * RetentionLeaseSyncAction (when a lease is added or removed) and RetentionLeaseBackgroundSyncAction (every
   * {@code index.soft_deletes.retention_lease.sync_interval}, 30s): the primary's leases, so that every copy keeps the
   * history they retain and a promoted replica starts with them.
   */
  record RetentionLeaseSync(int shard, String target, long primaryTerm, List<RetentionLease> leases) implements ReplicationMessage {}

  /** Peer recovery, target to source: recover me; my own data is complete up to {@code startingSeqNo - 1} (-1: no usable data). */
  record StartRecovery(int shard, String target, String targetNode, long recoveryId, long startingSeqNo) implements ReplicationMessage {}

  /** Phase 1 of a file-based recovery: the primary's last commit, file by file (names relative to the shard directory). */
  record RecoveryFiles(int shard, String target, long recoveryId, Map<String, byte[]> files) implements ReplicationMessage {
    @Override
    public String toString() {
      long bytes = 0;
      for (byte[] b : files.values()) bytes += b.length;
      return "RecoveryFiles[shard=" + shard + ", target=" + target + ", files=" + files.keySet() + " (" + bytes + " B)]";
    }
  }

  record RecoveryFilesDone(int shard, String target, long recoveryId) implements ReplicationMessage {}

  /** Phase 2: the operations from the starting seq_no on (from the history), and the global checkpoint. */
  record RecoveryOps(int shard, String target, long recoveryId, long primaryTerm, List<Operation> ops, long globalCheckpoint, String mode,
      long trimAboveSeqNo) implements ReplicationMessage {
    @Override
    public String toString() {
      return "RecoveryOps[shard=" + shard + ", target=" + target + ", " + ops.size() + " ops" + (ops.isEmpty() ? "" : " seq_no " + ops.get(0).seqNo()
          + ".." + ops.get(ops.size() - 1).seqNo()) + ", globalCheckpoint=" + globalCheckpoint + ", " + mode + "-based]";
    }
  }

  /** The target applied and persisted phase 2: its local checkpoint. */
  record RecoveryOpsDone(int shard, String target, long recoveryId, long localCheckpoint) implements ReplicationMessage {}

  /** Finalize: the target is in sync on the primary now. */
  record RecoveryFinalized(int shard, String target, long recoveryId, long globalCheckpoint) implements ReplicationMessage {}

  record RecoveryFailed(int shard, String target, long recoveryId, String reason) implements ReplicationMessage {}
}
