package sim.es.cluster.node;

import java.util.List;
import sim.core.Timer;

/** A cluster node's own schedule, beside its coordinator's and its engines'. */
public sealed interface ClusterTimer extends Timer {
  /** Every second per shard copy: retransmissions, recovery progress, retention leases, global checkpoint syncs. */
  record ShardTick(int shard, String allocationId) implements ClusterTimer {}

  /** The master's {@code cluster.info.update.interval} (30s): poll every node's disk usage. */
  record ClusterInfoTick() implements ClusterTimer {}

  /** A node-level tick (1s): resend shard-state reports, give up on client requests past their timeout. */
  record NodeTick() implements ClusterTimer {}

  /** A voting config exclusions request waiting for its exclusions to take effect runs out of its {@code timeout}. */
  record ExclusionsTimeout(long requestId) implements ClusterTimer {}

  /** A write of this shard copy's files (its state file, a recovery's files) is durable. */
  record ShardFilesDurable(int shard, String allocationId, long token, List<String> files) implements ClusterTimer {}
}
