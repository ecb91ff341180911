package sim.zk.ensemble;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.zk.check.ZnodeHistory;
import sim.zk.client.ZkClient;
import sim.zk.server.EnsembleObserver;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkServer;
import sim.zk.tree.Txn;

/**
 * Builds a ZooKeeper ensemble on a simulation and registers what must hold: at most one leader per epoch,
 * committed txns never lost or replaced, every server applying the committed sequence in zxid order,
 * servers at the same zxid holding the same tree, and clients never going back in zxid.
 */
public final class Ensemble {
  /** A txn log fsync on an SSD: the time between a follower's log append and its ACK. */
  public static final long FSYNC_LATENCY_NANOS = Durations.micros(500);

  private final Simulation sim;
  private final ZkConfig cfg;
  private final EnsembleObserver observer;
  private final List<NodeId> clients = new ArrayList<>();
  /** Per client: which of its sync+read pairs (by the read's index) a rule allows to be stale. */
  private final java.util.Map<NodeId, java.util.function.IntPredicate> staleSyncAllowed = new java.util.TreeMap<>();

  /**
   * ZOOKEEPER-1675 ("Make sync a quorum operation", open): the leader answers sync with its last proposed
   * zxid without a quorum round, so a leader deposed but not yet aware of it serves a stale sync.
   */
  public static final String STALE_SYNC_RULE = "sync is answered by the leader alone (ZOOKEEPER-1675, open): a deposed leader that has not noticed yet serves a stale sync";

  public Ensemble(Simulation sim, ZkConfig cfg) {
    this.sim = sim;
    this.cfg = cfg;
    this.observer = new EnsembleObserver(sim::nowNanos);
    for (NodeId id : cfg.servers()) {
      sim.addNode(id, () -> new ZkServer(cfg, observer));
      sim.disk(id).setFsyncLatencyNanos(FSYNC_LATENCY_NANOS);
    }
    sim.addInvariant("zk.zab-promises", observer::violation);
    sim.addInvariant("zk.same-zxid-same-tree", observer::treeViolation);
    sim.addInvariant("zk.client-zxid-monotonic", this::clientsMonotonic);
    sim.addInspector("zk", "zk: role, epochs and zxids of every server", arg -> summary());
    sim.addInspector("tree", "tree <server> [path]: the znodes under path (default /) on one server, with data and Stat", this::showTree);
  }

  public ZkConfig config() {
    return cfg;
  }

  public Simulation sim() {
    return sim;
  }

  public EnsembleObserver observer() {
    return observer;
  }

  /** Adds a client whose first server is the {@code index}-th (round robin over the connect string). */
  public NodeId addClient(String name, int index, int timeoutMs) {
    NodeId id = NodeId.of(name);
    List<NodeId> order = new ArrayList<>(cfg.servers());
    sim.addClient(id, () -> new ZkClient(order, index, timeoutMs));
    clients.add(id);
    return id;
  }

  /** The sync+read pairs of {@code client} whose read index {@code allowed} accepts may be stale by {@link #STALE_SYNC_RULE}. */
  public void allowStaleSyncs(NodeId client, java.util.function.IntPredicate allowed) {
    staleSyncAllowed.put(client, allowed);
  }

  /**
   * Safety: every client's znode writes, and its sync+read pairs, are linearizable (ZooKeeper's promise);
   * sync+reads a rule allows to be stale are excused by name.
   */
  public CheckResult linearizability(String name) {
    ZnodeHistory h = new ZnodeHistory();
    for (int i = 0; i < clients.size(); i++) {
      ZkClient c = client(clients.get(i));
      h.writesOf(i, c).syncedReadsOf(i, c, staleSyncAllowed.getOrDefault(clients.get(i), index -> false));
    }
    return h.check(name, STALE_SYNC_RULE);
  }

  public ZkClient client(NodeId id) {
    return sim.node(id, ZkClient.class);
  }

  public List<NodeId> clients() {
    return clients;
  }

  public ZkServer server(NodeId id) {
    return sim.node(id, ZkServer.class);
  }

  /** The server leading in broadcast now, or null. */
  public NodeId leader() {
    NodeId best = null;
    long bestEpoch = -1;
    for (NodeId id : cfg.servers()) {
      ZkServer s = server(id);
      if (s != null && s.leadingEpoch() > bestEpoch) {
        best = id;
        bestEpoch = s.leadingEpoch();
      }
    }
    return best;
  }

  /** Every live server serves clients (leader in broadcast, followers up to date). */
  public boolean allServing() {
    for (NodeId id : cfg.servers()) {
      ZkServer s = server(id);
      if (s != null && !s.isServing()) return false;
    }
    return leader() != null;
  }

  private String clientsMonotonic() {
    for (NodeId id : clients) {
      ZkClient c = client(id);
      if (c != null && c.monotonicViolation() != null) return c.monotonicViolation();
    }
    return null;
  }

  /**
   * Final check: after healing, every server has applied every txn committed more than a second ago (the
   * workload keeps writing, so the newest commits may still be on their way), and servers agree.
   */
  public CheckResult convergence() {
    long maxCommitted = observer.committedBy(sim.nowNanos() - Durations.seconds(1));
    StringBuilder lag = new StringBuilder();
    for (NodeId id : cfg.servers()) {
      ZkServer s = server(id);
      if (s == null) {
        lag.append(id).append(" down; ");
        continue;
      }
      if (s.lastProcessedZxid() < maxCommitted) lag.append(id).append(" at ").append(Txn.hex(s.lastProcessedZxid())).append("; ");
    }
    if (lag.length() > 0) return CheckResult.failed("zk.converged", "behind the last commit " + Txn.hex(maxCommitted) + ": " + lag);
    return CheckResult.ok("zk.converged", "all servers applied " + observer.commitCount() + " committed txns up to " + Txn.hex(maxCommitted) + " (leaders by epoch " + observer.leaders() + ")");
  }

  private String showTree(String arg) {
    String[] parts = arg == null ? new String[0] : arg.trim().split("\\s+");
    if (parts.length == 0 || parts[0].isEmpty()) return "usage: \\tree <server> [path]   servers: " + cfg.servers();
    NodeId id = NodeId.of(parts[0]);
    if (!cfg.servers().contains(id)) return "no server " + parts[0] + " (servers: " + cfg.servers() + ")";
    ZkServer s = server(id);
    if (s == null) return id + " is down";
    String root = parts.length > 1 ? parts[1] : "/";
    StringBuilder b = new StringBuilder();
    for (sim.zk.tree.DataTree.SnapshotNode n : s.tree().snapshotNodes()) {
      boolean under = n.path().equals(root) || n.path().startsWith(root.equals("/") ? "/" : root + "/");
      if (!under) continue;
      sim.zk.tree.Stat st = n.stat().asSeenByClient();
      b.append(n.path()).append(" \"").append(n.data()).append("\" czxid=").append(Txn.hex(st.czxid())).append(" mzxid=").append(Txn.hex(st.mzxid()))
          .append(" pzxid=").append(Txn.hex(st.pzxid())).append(" version=").append(st.version()).append(" cversion=").append(st.cversion())
          .append(st.ephemeralOwner() != 0 ? " ephemeralOwner=0x" + Long.toHexString(st.ephemeralOwner()) : "").append('\n');
    }
    return b.length() == 0 ? "no node " + root + " on " + id : b.toString();
  }

  public String summary() {
    StringBuilder b = new StringBuilder();
    for (NodeId id : cfg.servers()) {
      ZkServer s = server(id);
      b.append(id).append(": ");
      if (s == null) b.append("down\n");
      else b.append(s.state()).append(s.isServing() ? " serving" : "").append(", epochs ").append(s.acceptedEpoch()).append('/').append(s.currentEpoch())
          .append(", logged ").append(Txn.hex(s.lastLoggedZxid())).append(", committed ").append(Txn.hex(s.lastProcessedZxid())).append('\n');
    }
    return b.toString();
  }
}
