package sim.cassandra.cluster;

import java.util.List;
import java.util.Map;
import sim.cassandra.ring.RangeMovement;
import sim.cassandra.ring.TokenMetadata;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.core.NodeId;

/** What {@code \ring} prints of one node's TokenMetadata: every endpoint's status and the pending ranges per keyspace. */
final class RingView {
  private RingView() {}

  static String describe(CassandraNode c) {
    TokenMetadata tm = c.tokenMetadata();
    StringBuilder b = new StringBuilder();
    for (Map.Entry<NodeId, String> e : tm.statuses().entrySet()) {
      b.append(String.format("    %-6s %-8s %2d tokens%n", e.getKey(), nodetoolStatus(e.getValue()), tm.ring().tokensOf(e.getKey()).size()));
    }
    for (KeyspaceMetadata ks : c.schema().keyspaces()) {
      List<RangeMovement.Move> pending = tm.pendingRanges(ks);
      if (pending.isEmpty()) continue;
      b.append("    pending ranges of ").append(ks.name()).append(" (").append(pending.size()).append("):\n");
      for (RangeMovement.Move m : pending) b.append("      (").append(m.fromExclusive()).append(", ").append(m.toInclusive()).append("] -> ").append(m.gained()).append('\n');
    }
    return b.toString();
  }

  /** The gossip STATUS as nodetool status shows it. */
  static String nodetoolStatus(String status) {
    return switch (status) {
      case "BOOT" -> "JOINING";
      case "NORMAL" -> "NORMAL";
      case "LEAVING" -> "LEAVING";
      case "LEFT" -> "LEFT";
      default -> status;
    };
  }
}
