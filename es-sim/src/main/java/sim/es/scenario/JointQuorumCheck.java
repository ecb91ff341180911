package sim.es.scenario;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
import sim.es.cluster.node.EsNode;
import sim.es.cluster.state.ClusterState;

/**
 * {@code es.committed-state-on-joint-quorum}: when a master commits a cluster-state version, a quorum of the
 * committed voting configuration and a quorum of the configuration that version carries both hold it durably —
 * during a reconfiguration two different majorities. Then any later election, which needs a quorum of a
 * configuration one of them knows, meets a node that has it, and the committed state cannot be lost. Judged from
 * what each node holds in {@code _state/coordination} (remembered as each node's events are traced, so a node
 * that crashed since still counts with what its disk kept), not from the master's count. A node that moved on to
 * a newer term's state counts as holding it too: it could only accept a state built on it (weaker, never stricter).
 */
final class JointQuorumCheck {
  private final Simulation sim;
  private final List<NodeId> nodes;
  private final Map<String, ClusterState> durable = new TreeMap<>();
  private String violation;
  int commitsChecked;
  int jointCommits; // commits whose two configurations differed

  JointQuorumCheck(Simulation sim, List<NodeId> nodes) {
    this.sim = sim;
    this.nodes = nodes;
  }

  void install() {
    sim.trace().addListener(this::observe);
    sim.addInvariant("es.committed-state-on-joint-quorum", () -> violation);
  }

  private void observe(TraceEvent e) {
    remember(e.node());
    if (!e.kind().equals("es.state.commit") || violation != null) return;
    for (NodeId n : nodes) remember(n.name());
    long term = ((Number) EsScenario.Ledger.attr(e, "term")).longValue();
    long version = ((Number) EsScenario.Ledger.attr(e, "version")).longValue();
    EsNode master = sim.node(NodeId.of(e.node()), EsNode.class);
    ClusterState s = master.coordinator().lastAccepted();
    if (s.term() != term || s.version() != version) return; // the master moved on within the event: nothing to judge
    Set<String> holders = new TreeSet<>();
    durable.forEach((node, held) -> {
      if (held.term() > term || (held.term() == term && held.version() == version)) holders.add(node);
    });
    commitsChecked++;
    if (!s.lastCommittedConfig().equals(s.lastAcceptedConfig())) jointCommits++;
    if (s.lastCommittedConfig().hasQuorum(holders) && s.lastAcceptedConfig().hasQuorum(holders)) return;
    violation = e.node() + " committed version " + version + " of term " + term + " while only " + holders + " held it durably: "
        + (s.lastCommittedConfig().hasQuorum(holders) ? "" : "no quorum of the committed configuration " + s.lastCommittedConfig()
            + (s.lastAcceptedConfig().hasQuorum(holders) ? "" : ", ")) + (s.lastAcceptedConfig().hasQuorum(holders) ? ""
            : "no quorum of its accepted configuration " + s.lastAcceptedConfig());
  }

  private void remember(String node) {
    NodeId id = NodeId.of(node);
    if (!nodes.contains(id)) return;
    EsNode n = sim.node(id, EsNode.class);
    if (n != null && n.coordinator() != null) durable.put(node, n.coordinator().durablyAccepted());
  }
}
