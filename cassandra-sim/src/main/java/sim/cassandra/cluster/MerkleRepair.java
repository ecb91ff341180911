package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.schema.TableMetadata;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * Anti-entropy repair ({@code nodetool repair}): the initiator asks each replica of a range for a Merkle
 * tree (validation compaction: every partition hashed into the leaf of its token sub-range), compares the
 * leaves and streams only the mismatched sub-ranges, in both directions, so every replica ends with the
 * reconciled data. Deleted data comes back if one replica still holds it and the others have purged the
 * tombstone after gc_grace_seconds: the zombie.
 */
final class MerkleRepair {
  private MerkleRepair() {}

  /** The leaf hashes of a replica's data in {@code (from, to]}, split into 2^depth equal token sub-ranges. */
  static List<Long> leaves(CassandraNode node, TableMetadata t, long from, long to, int depth) {
    int n = 1 << depth;
    List<Long> leaves = new ArrayList<>();
    for (int i = 0; i < n; i++) leaves.add(0L);
    for (Partition p : node.storage().readRange(t, from, to)) {
      int leaf = leafOf(p.key().token(), from, to, n);
      leaves.set(leaf, leaves.get(leaf) * 31 + ReadRound.digest(List.of(p)));
    }
    return leaves;
  }

  static int leafOf(long token, long from, long to, int n) {
    double span = (double) to - (double) from;
    double at = ((double) token - (double) from) / span;
    return Math.min(n - 1, Math.max(0, (int) (at * n)));
  }

  static long[] leafRange(int leaf, long from, long to, int n) {
    double span = (double) to - (double) from;
    long lo = leaf == 0 ? from : (long) (from + span * leaf / n);
    long hi = leaf == n - 1 ? to : (long) (from + span * (leaf + 1) / n);
    return new long[] {lo, hi};
  }

  static void onMessage(CassandraNode node, NodeContext ctx, NodeId from, CassandraMessage m) {
    if (m instanceof CassandraMessage.ValidationRequest v) {
      TableMetadata t = node.schema().table(v.table());
      if (t == null) return;
      ctx.point("cassandra.repair.validate", "Merkle tree of " + v.table() + " (" + v.fromExclusive() + ", " + v.toInclusive() + "]", "table", v.table());
      ctx.send(from, new CassandraMessage.ValidationResponse(v.id(), leaves(node, t, v.fromExclusive(), v.toInclusive(), v.depth())));
    } else if (m instanceof CassandraMessage.StreamRequest s) {
      TableMetadata t = node.schema().table(s.table());
      if (t == null) return;
      List<Partition> data = node.storage().readRange(t, s.fromExclusive(), s.toInclusive());
      ctx.point("cassandra.repair.stream-out", data.size() + " partitions of " + s.table() + " to " + s.peer(), "table", s.table(), "partitions", data.size());
      ctx.send(s.peer(), new CassandraMessage.StreamData(s.id(), s.table(), data, s.movement()));
    } else if (m instanceof CassandraMessage.StreamData d) {
      TableMetadata t = node.schema().table(d.table());
      if (t == null) return;
      ctx.point("cassandra.repair.stream-in", d.partitions().size() + " partitions of " + d.table() + " from " + from, "table", d.table(), "partitions", d.partitions().size());
      // the stream completes once every partition is applied as the commit log mode makes it durable
      int[] left = {d.partitions().size()};
      Runnable complete = () -> {
        if (d.replyComplete()) ctx.send(from, new CassandraMessage.StreamComplete(d.id()));
        node.movement().onStreamApplied(ctx, from, d.id());
      };
      if (left[0] == 0) complete.run();
      for (Partition p : d.partitions()) node.applyLocally(ctx, new Mutation(t.keyspace(), t.name(), p), () -> {
        if (--left[0] == 0) complete.run();
      });
    } else if (m instanceof CassandraMessage.StreamComplete c) {
      node.movement().onStreamComplete(ctx, from, c.id());
    } else if (m instanceof CassandraMessage.ValidationResponse) {
      node.repairSession().onValidation(ctx, from, (CassandraMessage.ValidationResponse) m);
    }
  }
}
