package sim.es.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.es.cluster.OperationRouting;
import sim.es.cluster.allocation.AllocationService;
import sim.es.cluster.coordination.Coordinator;
import sim.es.cluster.node.NodeMessage;
import sim.es.cluster.node.EsNode;
import sim.es.cluster.replication.IndexShard;
import sim.es.cluster.state.ClusterState;
import sim.es.engine.Operation;

/**
 * The cluster's safety checks, each judged from what the nodes hold, not from what the model says it did:
 * at most one master per term; every primary holds every operation acknowledged before its term (no stale
 * copy is ever promoted); the copies agree on every operation below the global checkpoint; and every
 * acknowledged write is there at the end (under {@code durability: request}, whatever crashed).
 */
final class ClusterChecks {
  private final Simulation sim;
  private final List<NodeId> nodes;
  private final ClusterClient[] client;
  private final Map<Long, String> mastersByTerm = new TreeMap<>();
  private String masterViolation;
  private final Map<String, Integer> primaryChecked = new TreeMap<>(); // allocation id + term -> acks verified so far
  private final Map<String, Long> convergedUpTo = new TreeMap<>(); // primary alloc + replica alloc -> seq_no verified
  final Map<String, Integer> points = new TreeMap<>();
  final SafeCommitCheck safeCommits = new SafeCommitCheck();
  final JointQuorumCheck jointQuorum;
  final List<String> allocationChanges = new ArrayList<>();
  final List<TraceEvent> elections = new ArrayList<>();
  final List<TraceEvent> stepDowns = new ArrayList<>();
  final List<TraceEvent> votingEvents = new ArrayList<>();

  ClusterChecks(Simulation sim, List<NodeId> nodes, ClusterClient[] client) {
    this.sim = sim;
    this.nodes = nodes;
    this.client = client;
    this.jointQuorum = new JointQuorumCheck(sim, nodes);
  }

  void install() {
    sim.trace().addListener(this::observe);
    sim.addInvariant("es.one-master-per-term", () -> masterViolation);
    sim.addInvariant("es.stale-primary-never-promoted", this::primariesHoldAcknowledged);
    sim.addInvariant("es.replicas-agree-below-global-checkpoint", this::replicasAgree);
    safeCommits.install(sim);
    jointQuorum.install();
    sim.addFinalCheck("es.acknowledged-writes-survive", this::acknowledgedSurvive);
    sim.addFinalCheck("es.replicas-converge", this::converged);
  }

  private void observe(TraceEvent e) {
    points.merge(e.kind(), 1, Integer::sum);
    switch (e.kind()) {
      case "es.master.elected" -> {
        elections.add(e);
        long term = ((Number) EsScenario.Ledger.attr(e, "term")).longValue();
        String was = mastersByTerm.putIfAbsent(term, e.node());
        if (was != null && !was.equals(e.node()) && masterViolation == null) {
          masterViolation = e.node() + " and " + was + " were both elected master in term " + term + ": two masters in one term (split brain)";
        }
      }
      case "es.master.stepdown" -> stepDowns.add(e);
      case "es.voting-config.reconfigure", "es.master.abdicate", "es.voting-config.exclusions-added", "es.voting-config.exclusions-answered",
          "es.voting-config.exclusions-cleared" -> votingEvents.add(e);
      case "es.allocation" -> allocationChanges.add(e.detail());
      default -> { }
    }
  }

  private List<EsNode> upNodes() {
    List<EsNode> out = new ArrayList<>();
    for (NodeId n : nodes) if (sim.isUp(n)) out.add(sim.node(n, EsNode.class));
    return out;
  }

  /** Every acknowledged operation of an earlier primary term is in every later primary's history (or below its checkpoint). */
  private String primariesHoldAcknowledged() {
    if (client[0] == null) return null;
    List<NodeMessage.IndexResponse> acks = client[0].acks;
    for (EsNode n : upNodes()) {
      ClusterState s = n.coordinator().applied();
      if (s.index() == null) continue;
      for (IndexShard sh : n.shards()) {
        if (!sh.isPrimary() || sh.state() != IndexShard.State.STARTED) continue;
        String key = sh.allocationId() + "@" + sh.primaryTerm();
        int from = primaryChecked.getOrDefault(key, 0);
        for (int i = from; i < acks.size(); i++) {
          var a = acks.get(i);
          if (a.seqNo() < 0 || a.primaryTerm() >= sh.primaryTerm()) continue;
          if (OperationRouting.shardId(a.id(), s.index().numberOfShards()) != sh.shard()) continue;
          Operation had = sh.engine().history().get(a.seqNo());
          boolean holds = had != null ? had.primaryTerm() == a.primaryTerm() : sh.engine().processedCheckpoint() >= a.seqNo();
          if (!holds) {
            return n.id() + "'s primary " + sh.allocationId() + " of shard " + sh.shard() + " (term " + sh.primaryTerm() + ") lacks the acknowledged "
                + a.result() + " of " + a.id() + " (seq_no " + a.seqNo() + ", term " + a.primaryTerm() + "): a copy that was not in sync became primary";
          }
        }
        primaryChecked.put(key, acks.size());
      }
    }
    return null;
  }

  /** Each in-sync replica holds the primary's operations, seq_no for seq_no, up to the global checkpoint it knows. */
  private String replicasAgree() {
    Map<Integer, IndexShard> primaries = new TreeMap<>();
    Map<Integer, String> primaryNode = new TreeMap<>();
    for (EsNode n : upNodes()) {
      for (IndexShard sh : n.shards()) {
        if (!sh.isPrimary() || sh.state() != IndexShard.State.STARTED || sh.tracker() == null) continue;
        IndexShard other = primaries.get(sh.shard());
        if (other == null || sh.primaryTerm() > other.primaryTerm()) {
          primaries.put(sh.shard(), sh);
          primaryNode.put(sh.shard(), n.id());
        }
      }
    }
    for (EsNode n : upNodes()) {
      for (IndexShard r : n.shards()) {
        IndexShard p = primaries.get(r.shard());
        if (p == null || r == p || r.isPrimary() || r.state() != IndexShard.State.STARTED || !p.tracker().isInSync(r.allocationId())) continue;
        if (r.primaryTerm() != p.primaryTerm()) continue; // not yet reset to the new primary's term
        String key = p.allocationId() + "/" + r.allocationId();
        long upTo = Math.min(r.engine().globalCheckpoint(), p.engine().globalCheckpoint());
        long from = Math.max(convergedUpTo.getOrDefault(key, -1L) + 1,
            Math.max(p.engine().history().minRetainedSeqNo(), r.engine().history().minRetainedSeqNo()));
        for (long seq = from; seq <= upTo; seq++) {
          Operation a = p.engine().history().get(seq);
          Operation b = r.engine().history().get(seq);
          if (a == null && b == null) continue;
          if (a == null || !a.equals(b)) {
            return "shard " + r.shard() + ": below the global checkpoint " + upTo + ", seq_no " + seq + " is " + (a == null ? "missing" : a.describe())
                + " on the primary (" + primaryNode.get(r.shard()) + ") but " + (b == null ? "missing" : b.describe()) + " on replica " + r.allocationId()
                + " (" + n.id() + ")";
          }
        }
        if (upTo >= from) convergedUpTo.put(key, upTo);
      }
    }
    return null;
  }

  private CheckResult acknowledgedSurvive() {
    String name = "es.acknowledged-writes-survive";
    if (client[0] == null) return CheckResult.ok(name, "no client");
    ClusterState s = masterState();
    if (s == null || s.index() == null) return CheckResult.failed(name, "no master at the end: nothing can be read");
    List<String> lost = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    for (var e : client[0].acknowledged().entrySet()) {
      int shard = OperationRouting.shardId(e.getKey(), s.index().numberOfShards());
      IndexShard p = primaryCopy(s, shard);
      if (p == null) {
        unavailable.add(e.getKey());
        continue;
      }
      boolean exists = p.engine().exists(e.getKey());
      if (e.getValue().present() && !exists) lost.add(e.getKey() + " (seq_no " + e.getValue().seqNo() + ", term " + e.getValue().primaryTerm() + ")");
      if (!e.getValue().present() && exists) lost.add(e.getKey() + " (delete undone)");
    }
    if (!unavailable.isEmpty()) {
      return CheckResult.failed(name, unavailable.size() + " acknowledged documents are on shards with no active primary at the end: " + first(unavailable));
    }
    return CheckResult.losses(name, client[0].acknowledged().size() + " ids with an acknowledged last write (" + client[0].unknown.size()
        + " unknown outcomes and the writes still in flight not judged)", lost, Map.of());
  }

  /** Every started copy holds exactly the primary's documents once the cluster settled. */
  private CheckResult converged() {
    String name = "es.replicas-converge";
    ClusterState s = masterState();
    if (s == null || s.index() == null) return CheckResult.failed(name, "no master at the end");
    for (int shard = 0; shard < s.index().numberOfShards(); shard++) {
      IndexShard p = primaryCopy(s, shard);
      if (p == null) return CheckResult.failed(name, "shard " + shard + " has no active primary at the end (health " + health() + ")");
      List<String> expected = p.engine().writer().liveIds();
      for (var r : s.copies(shard)) {
        if (r.primary() || !r.active()) continue;
        IndexShard copy = sim.isUp(NodeId.of(r.nodeId())) ? sim.node(NodeId.of(r.nodeId()), EsNode.class).shard(shard) : null;
        if (copy == null) continue;
        List<String> got = copy.engine().writer().liveIds();
        if (!got.equals(expected)) {
          return CheckResult.failed(name, "shard " + shard + ": replica " + r.allocationId() + " on " + r.nodeId() + " holds " + got.size()
              + " documents, the primary " + expected.size() + difference(got, expected));
        }
      }
    }
    return CheckResult.ok(name, "every started replica holds its primary's documents");
  }

  private static String difference(List<String> replica, List<String> primary) {
    java.util.TreeSet<String> extra = new java.util.TreeSet<>(replica);
    primary.forEach(extra::remove);
    java.util.TreeSet<String> missing = new java.util.TreeSet<>(primary);
    replica.forEach(missing::remove);
    return "; only on the replica: " + extra.stream().limit(5).toList() + (extra.size() > 5 ? "…" : "") + ", only on the primary: "
        + missing.stream().limit(5).toList() + (missing.size() > 5 ? "…" : "");
  }

  ClusterState masterState() {
    for (EsNode n : upNodes()) {
      if (n.coordinator().mode() == Coordinator.Mode.LEADER) return n.coordinator().applied();
    }
    return null;
  }

  IndexShard primaryCopy(ClusterState s, int shard) {
    var r = s.primary(shard).orElse(null);
    if (r == null || !r.active() || !sim.isUp(NodeId.of(r.nodeId()))) return null;
    IndexShard sh = sim.node(NodeId.of(r.nodeId()), EsNode.class).shard(shard);
    return sh != null && sh.allocationId().equals(r.allocationId()) ? sh : null;
  }

  String health() {
    ClusterState s = masterState();
    return s == null ? "red (no master)" : AllocationService.health(s);
  }

  private static String first(List<String> items) {
    return items.size() <= 10 ? items.toString() : items.subList(0, 10) + "…";
  }

  /** The {@code \cluster} inspector. */
  String describeCluster() {
    StringBuilder b = new StringBuilder();
    for (NodeId n : nodes) {
      b.append(n.name()).append(": ");
      if (!sim.isUp(n)) {
        b.append("DOWN\n");
        continue;
      }
      var c = sim.node(n, EsNode.class).coordinator();
      b.append(c.mode()).append(", term ").append(c.term()).append(", applied version ").append(c.applied().version()).append(" (master ")
          .append(c.applied().masterNodeId()).append(")\n");
    }
    ClusterState s = masterState();
    b.append("health: ").append(health());
    if (s != null) b.append('\n').append(s.describe());
    return b.toString();
  }

  /** The {@code \shards} inspector. */
  String describeShards() {
    ClusterState s = masterState();
    StringBuilder b = new StringBuilder(s == null ? "no master" : s.describeRouting());
    for (NodeId n : nodes) {
      if (!sim.isUp(n)) continue;
      for (IndexShard sh : sim.node(n, EsNode.class).shards()) b.append('\n').append(n.name()).append(' ').append(sh.describe());
    }
    return b.toString();
  }
}
