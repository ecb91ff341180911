package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.schema.TableMetadata;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * The repair coordinator on the node {@code nodetool repair} ran on: for each ring range it replicates it
 * asks every replica for a Merkle tree of depth {@link #DEPTH}, and for each pair of trees streams the
 * sub-ranges whose leaves differ (each side sends its data; reconciliation does the rest).
 */
final class RepairSession {
  static final int DEPTH = 4;

  private final CassandraNode node;
  private final TreeMap<Long, Object[]> validations = new TreeMap<>();
  private long streamed;
  private long mismatches;

  RepairSession(CassandraNode node) {
    this.node = node;
  }

  void start(NodeContext ctx, String qualifiedTable) {
    TableMetadata t = node.schema().table(qualifiedTable);
    if (t == null) return;
    KeyspaceMetadata ks = node.schema().keyspace(t.keyspace());
    ctx.point("cassandra.repair.start", "repairing " + qualifiedTable + " on every range " + node.self() + " replicates", "table", qualifiedTable);
    List<long[]> ranges = new ArrayList<>();
    for (long[] r : node.ring().ranges()) {
      // the range that wraps past the end of the ring is validated as its two halves
      if (r[0] < r[1]) ranges.add(r);
      else {
        ranges.add(new long[] {r[0], Long.MAX_VALUE, r[1]});
        ranges.add(new long[] {Long.MIN_VALUE, r[1], r[1]});
      }
    }
    for (long[] range : ranges) {
      List<NodeId> replicas = node.ring().replicas(range.length > 2 ? range[2] : range[1], ks);
      if (!replicas.contains(node.self())) continue;
      long id = node.coordinator().newId();
      validations.put(id, new Object[] {qualifiedTable, range, replicas, new TreeMap<NodeId, List<Long>>()});
      for (NodeId r : replicas) ctx.send(r, new CassandraMessage.ValidationRequest(id, qualifiedTable, range[0], range[1], DEPTH));
    }
  }

  @SuppressWarnings("unchecked")
  void onValidation(NodeContext ctx, NodeId from, CassandraMessage.ValidationResponse v) {
    Object[] s = validations.get(v.id());
    if (s == null) return;
    Map<NodeId, List<Long>> trees = (Map<NodeId, List<Long>>) s[3];
    trees.put(from, v.leafHashes());
    List<NodeId> replicas = (List<NodeId>) s[2];
    if (trees.size() < replicas.size()) return;
    validations.remove(v.id());
    String table = (String) s[0];
    long[] range = (long[]) s[1];
    int n = 1 << DEPTH;
    List<NodeId> ids = new ArrayList<>(trees.keySet());
    for (int a = 0; a < ids.size(); a++) {
      for (int b = a + 1; b < ids.size(); b++) {
        List<Long> ta = trees.get(ids.get(a));
        List<Long> tb = trees.get(ids.get(b));
        for (int leaf = 0; leaf < n; leaf++) {
          if (ta.get(leaf).equals(tb.get(leaf))) continue;
          mismatches++;
          long[] sub = MerkleRepair.leafRange(leaf, range[0], range[1], n);
          ctx.point("cassandra.repair.mismatch", ids.get(a) + " and " + ids.get(b) + " differ in (" + sub[0] + ", " + sub[1] + "]: streaming",
              "table", table, "from", sub[0], "to", sub[1]);
          ctx.send(ids.get(a), new CassandraMessage.StreamRequest(node.coordinator().newId(), table, sub[0], sub[1], ids.get(b), false));
          ctx.send(ids.get(b), new CassandraMessage.StreamRequest(node.coordinator().newId(), table, sub[0], sub[1], ids.get(a), false));
          streamed += 2;
        }
      }
    }
  }

  long mismatches() {
    return mismatches;
  }

  long streamed() {
    return streamed;
  }
}
