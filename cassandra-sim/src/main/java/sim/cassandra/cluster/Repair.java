package sim.cassandra.cluster;

import sim.core.NodeContext;
import sim.core.NodeId;

/** Anti-entropy repair messages (Merkle trees and streaming); see {@link MerkleRepair}. */
final class Repair {
  private Repair() {}

  static void onMessage(CassandraNode node, NodeContext ctx, NodeId from, CassandraMessage m) {
    MerkleRepair.onMessage(node, ctx, from, m);
  }
}
