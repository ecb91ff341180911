package sim.cassandra.cluster;

import sim.cassandra.db.Mutation;
import sim.core.NodeId;

/** A write kept by a coordinator for a replica that was down (or did not answer), to be replayed later. */
record Hint(long id, NodeId target, Mutation mutation, long createdAtNanos) {
  @Override
  public String toString() {
    return "Hint[" + id + " for " + target + ", " + mutation.qualifiedTable() + " key=" + mutation.key() + "]";
  }
}
