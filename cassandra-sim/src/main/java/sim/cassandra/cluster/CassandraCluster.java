package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import sim.cassandra.ring.Endpoint;
import sim.cassandra.ring.TokenRing;
import sim.cassandra.storage.SSTable;
import sim.cassandra.storage.StorageConfig;
import sim.cassandra.storage.TableStore;
import sim.core.NodeId;
import sim.core.Simulation;

/**
 * Builds a Cassandra cluster on a simulation: nodes n1..nN spread over datacenters and racks, one token
 * ring (num_tokens vnodes each, drawn from the seed's "ring" stream) that every node is configured with,
 * and the stepper's inspectors {@code \ring}, {@code \memtable}, {@code \sstables}, {@code \hints}, {@code \speculation}.
 */
public final class CassandraCluster {
  private final Simulation sim;
  private final List<NodeId> nodes = new ArrayList<>();
  private final TokenRing ring;

  private CassandraCluster(Simulation sim, List<NodeId> nodes, TokenRing ring) {
    this.sim = sim;
    this.nodes.addAll(nodes);
    this.ring = ring;
  }

  /** {@code nodes} nodes in {@code datacenters} DCs (dc1, dc2…), racks r1..r3 round-robin within each. */
  public static CassandraCluster build(Simulation sim, int nodes, int datacenters, StorageConfig storage,
      UnaryOperator<NodeConfig> tune, Set<String> breaks) {
    return build(sim, nodes, 0, datacenters, storage, tune, breaks);
  }

  /**
   * The same, plus {@code outside} more nodes (n(N+1)…) started with {@code -Dcassandra.join_ring=false}:
   * known to the snitch and to gossip, owning no tokens until {@code nodetool join}.
   */
  public static CassandraCluster build(Simulation sim, int nodes, int outside, int datacenters, StorageConfig storage,
      UnaryOperator<NodeConfig> tune, Set<String> breaks) {
    List<Endpoint> eps = new ArrayList<>();
    List<NodeId> ids = new ArrayList<>();
    for (int i = 1; i <= nodes + outside; i++) {
      NodeId id = NodeId.of("n" + i);
      ids.add(id);
      int dc = (i - 1) % datacenters + 1;
      int rack = ((i - 1) / datacenters) % 3 + 1;
      eps.add(new Endpoint(id, "dc" + dc, "r" + rack));
    }
    TokenRing ring = TokenRing.random(eps.subList(0, nodes), TokenRing.DEFAULT_NUM_TOKENS, sim.random("ring"));
    for (Endpoint e : eps.subList(nodes, eps.size())) ring = ring.withEndpoint(e);
    for (int i = 0; i < eps.size(); i++) {
      Endpoint e = eps.get(i);
      NodeConfig d = NodeConfig.defaults(e, ring, storage, breaks);
      NodeConfig c = tune.apply(i < nodes ? d : d.outsideRing());
      sim.addNode(e.id(), () -> new CassandraNode(c, ids));
    }
    CassandraCluster cluster = new CassandraCluster(sim, ids, ring);
    cluster.addInspectors();
    return cluster;
  }

  public List<NodeId> nodes() {
    return nodes;
  }

  public TokenRing ring() {
    return ring;
  }

  public CassandraNode node(NodeId id) {
    return sim.isUp(id) ? sim.node(id, CassandraNode.class) : null;
  }

  private void addInspectors() {
    sim.addInspector("ring", "\\ring: tokens, owners, each node's mode, its view of every endpoint's STATUS and the pending ranges, and its gossip view (UP/DOWN, phi)", arg -> {
      StringBuilder b = new StringBuilder(ring.describe());
      for (NodeId n : nodes) {
        CassandraNode c = node(n);
        if (c == null || c.storage() == null) {
          b.append(n).append(" [down]\n");
          continue;
        }
        b.append(n).append(" mode ").append(c.mode()).append(", sees:\n").append(RingView.describe(c));
        b.append(c.gossipView(sim.localTimeNanos(n)));
      }
      return b.toString();
    });
    sim.addInspector("memtable", "\\memtable [node]: each table's memtable: partitions, bytes, commit log span", arg -> perNode(arg, c -> {
      StringBuilder b = new StringBuilder();
      for (TableStore s : c.storage().stores().values()) {
        b.append("  ").append(s.metadata().qualifiedName()).append(": ").append(s.memtable().partitions().size()).append(" partitions, ")
            .append(s.memtable().liveDataSizeBytes()).append("B, commit log ").append(s.memtable().commitLogLowerBound()).append("..")
            .append(s.memtable().commitLogUpperBound()).append('\n');
        s.memtable().partitions().values().stream().limit(10).forEach(p -> b.append("    ").append(p).append('\n'));
      }
      return b.toString();
    }));
    sim.addInspector("sstables", "\\sstables [node]: each table's SSTables (generation, partitions, size, level, timestamps)", arg -> perNode(arg, c -> {
      StringBuilder b = new StringBuilder();
      for (TableStore s : c.storage().stores().values()) {
        b.append("  ").append(s.metadata().qualifiedName()).append(" (").append(s.metadata().compaction()).append("), bloom skips ")
            .append(s.bloomFilterSkips()).append(", SSTable reads ").append(s.sstablesRead()).append('\n');
        for (SSTable t : s.sstables()) {
          b.append("    ").append(t).append(" ts ").append(t.stats().minTimestamp()).append("..").append(t.stats().maxTimestamp()).append('\n');
        }
      }
      return b.toString();
    }));
    sim.addInspector("speculation", "\\speculation [node]: each table's speculative_retry, the threshold its coordinator read latency gives, and the reads sampled",
        arg -> perNode(arg, c -> c.coordinator().reads().describe(sim.localTimeNanos(c.self()))));
    sim.addInspector("hints", "\\hints [node]: the hints each coordinator holds for down replicas", arg -> perNode(arg, c -> {
      StringBuilder b = new StringBuilder();
      for (String h : c.hintsDescription()) b.append("  ").append(h).append('\n');
      return b.length() == 0 ? "  (none)\n" : b.toString();
    }));
  }

  private String perNode(String arg, java.util.function.Function<CassandraNode, String> show) {
    StringBuilder b = new StringBuilder();
    for (NodeId n : nodes) {
      if (arg != null && !arg.isBlank() && !n.name().equals(arg.strip())) continue;
      CassandraNode c = node(n);
      b.append(n).append(c == null ? " [down]\n" : ":\n" + show.apply(c));
    }
    return b.toString();
  }
}
