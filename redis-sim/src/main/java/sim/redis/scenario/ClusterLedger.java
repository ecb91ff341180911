package sim.redis.scenario;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.redis.cluster.ClusterClient;
import sim.redis.cluster.ClusterNode;
import sim.redis.cluster.KeySlot;

/**
 * What the Cluster checks judge by, read from the trace as it happens: every vote granted (voter, epoch), every
 * promotion with the keys k<i> the promoted replica had at that instant, the FAIL flags, and at the end each
 * slot's owner and its dataset.
 */
final class ClusterLedger {
  /** A replica won an election: who, whose slots, with which configEpoch, when, and the writes it had. */
  record Promotion(String node, String old, long configEpoch, long oldConfigEpoch, long atNanos, BitSet had, String manual) {
    /** A CLUSTER FAILOVER without FORCE or TAKEOVER: the replica waited for its paused master's offset. */
    boolean waitedForOffset() {
      return "default".equals(manual);
    }
  }

  /** A master paused its clients for {@code replica}'s manual failover: the keys it held then. */
  record Pause(String master, String replica, long atNanos, BitSet held, BitSet replicaHad) {}

  static final String ASYNC = "asynchronous replication: acknowledged by a master before its replica was promoted without it "
      + "(the master answers +OK before any replica has the write; cut off in a minority it goes on until cluster-node-timeout)";
  static final String MF_PAUSE_OVER = "the manual failover's pause was over: acknowledged by the old master after its write pause "
      + "ended (CLUSTER_MF_TIMEOUT, 5 s), before the replica, whose election had started in time, took over";
  static final String OFFSET_ZERO = "offset 0 on both sides: the paused master had no replication backlog (no replica had "
      + "synced from it since it started), so the offset it announced, 0, equalled that of a replica that had never synced "
      + "from it (clusterHandleManualFailover compares offsets only)";
  static final String MINORITY_WINDOW = "the minority window: acknowledged by a master after its replica had replaced it, before "
      + "node-timeout told it that it was in a minority (Redis Cluster documents this loss)";

  private final Simulation sim;
  private final List<NodeId> servers;
  private final NodeId client;
  final TreeMap<String, Integer> votes = new TreeMap<>(); // "voter@epoch" → grants
  final List<Promotion> promotions = new ArrayList<>();
  final List<Pause> pauses = new ArrayList<>();
  final List<long[]> canStarts = new ArrayList<>(); // {node's index in servers, time, the master offset reached}
  final List<String> migrations = new ArrayList<>(); // "replica: from -> to", in order
  final Map<String, Integer> counts = new LinkedHashMap<>();
  final List<String> failed = new ArrayList<>(); // nodes some node marked FAIL, in order
  final List<String> reconfigured = new ArrayList<>(); // nodes that turned into a replica on a newer configuration
  final Map<String, List<Long>> downNanos = new TreeMap<>(); // node → when it answered -CLUSTERDOWN (first 1000)

  ClusterLedger(Simulation sim, List<NodeId> servers, NodeId client) {
    this.sim = sim;
    this.servers = servers;
    this.client = client;
    sim.trace().addListener(this::onEvent);
  }

  private void onEvent(TraceEvent e) {
    if (!e.kind().startsWith("redis.cluster.")) return;
    counts.merge(e.kind(), 1, Integer::sum);
    switch (e.kind()) {
      case "redis.cluster.vote" -> votes.merge(e.node() + "@" + e.attribute("epoch"), 1, Integer::sum);
      case "redis.cluster.fail" -> failed.add(String.valueOf(e.attribute("node")));
      case "redis.cluster.reconfigured" -> reconfigured.add(e.node());
      case "redis.cluster.promoted" -> promoted(e);
      case "redis.cluster.mf-paused" -> paused(e);
      case "redis.cluster.mf-can-start" -> canStarts.add(new long[] {servers.indexOf(NodeId.of(e.node())), e.timeNanos(),
          ((Number) e.attribute("masterOffset")).longValue()});
      case "redis.cluster.replica-migrated" -> migrations.add(e.node() + ": " + e.attribute("from") + " -> " + e.attribute("to"));
      case "redis.cluster.redirect" -> {
        List<Long> at = downNanos.computeIfAbsent(e.node(), n -> new ArrayList<>());
        if (String.valueOf(e.attribute("reply")).startsWith("CLUSTERDOWN") && at.size() < 1000) at.add(e.timeNanos());
      }
      default -> { }
    }
  }

  private void promoted(TraceEvent e) {
    ClusterNode n = node(e.node());
    BitSet had = n == null ? new BitSet() : keys(n);
    Object manual = e.attribute("manual");
    promotions.add(new Promotion(e.node(), String.valueOf(e.attribute("old")), ((Number) e.attribute("configEpoch")).longValue(),
        ((Number) e.attribute("oldConfigEpoch")).longValue(), e.timeNanos(), had, manual == null ? null : manual.toString()));
  }

  private void paused(TraceEvent e) {
    ClusterNode m = node(e.node());
    ClusterNode r = node(String.valueOf(e.attribute("replica")));
    pauses.add(new Pause(e.node(), String.valueOf(e.attribute("replica")), e.timeNanos(), m == null ? new BitSet() : keys(m),
        r == null ? new BitSet() : keys(r)));
  }

  /** The first pause of {@code p}'s old master for it since its last promotion before {@code p}: what it had to catch up to. */
  Pause pauseBefore(Promotion p) {
    long since = -1;
    for (Promotion q : promotions) if (q != p && q.atNanos() < p.atNanos()) since = Math.max(since, q.atNanos());
    for (Pause x : pauses) {
      if (x.master().equals(p.old()) && x.replica().equals(p.node()) && x.atNanos() > since && x.atNanos() <= p.atNanos()) return x;
    }
    return null;
  }

  /** Whether {@code p}'s replica started on a paused offset of 0 (the master had no backlog). */
  boolean startedOnOffsetZero(Promotion p) {
    long[] last = null;
    for (long[] c : canStarts) if (c[0] == servers.indexOf(NodeId.of(p.node())) && c[1] <= p.atNanos()) last = c;
    return last != null && last[2] == 0;
  }

  /**
   * redis.cluster-manual-failover-loses-nothing: a replica promoted by CLUSTER FAILOVER (no FORCE, no TAKEOVER) had every
   * acknowledged write its master held when it paused its clients for it — the offset it waited for covers them.
   */
  CheckResult manualFailoverLosesNothing(String name) {
    ClusterClient c = sim.node(client, ClusterClient.class);
    int judged = 0;
    for (Promotion p : promotions) {
      Pause pause = p.waitedForOffset() ? pauseBefore(p) : null;
      if (pause == null || c == null) continue;
      judged++;
      List<String> missing = new ArrayList<>();
      for (ClusterClient.Ack a : c.acks()) {
        if (pause.held().get(a.index()) && !p.had().get(a.index())) missing.add(c.keyOf(a.index()));
      }
      if (!missing.isEmpty() && startedOnOffsetZero(p)) {
        return CheckResult.losses(name, p.node() + " took over " + p.old() + " by a manual failover without " + missing.size()
            + " acknowledged writes; the offset it waited for was 0", missing, Map.of(OFFSET_ZERO, missing));
      }
      if (!missing.isEmpty()) {
        return CheckResult.failed(name, p.node() + " took over " + p.old() + " by a manual failover at " + p.atNanos() / 1_000_000
            + "ms without " + missing.size() + " acknowledged writes " + p.old() + " held when it paused its clients at "
            + pause.atNanos() / 1_000_000 + "ms: " + missing.subList(0, Math.min(10, missing.size())));
      }
    }
    return CheckResult.ok(name, judged + " manual failover(s) judged; each promoted replica had every acknowledged write its "
        + "master held when it paused");
  }

  /** The first -CLUSTERDOWN {@code node} answered at or after {@code fromNanos}, or null. */
  Long firstDownAfter(String node, long fromNanos) {
    for (long t : downNanos.getOrDefault(node, List.of())) if (t >= fromNanos) return t;
    return null;
  }

  int count(String kind) {
    return counts.getOrDefault(kind, 0);
  }

  private ClusterNode node(String name) {
    NodeId id = NodeId.of(name);
    if (!sim.isUp(id)) return null;
    ClusterNode n = sim.node(id, ClusterNode.class);
    return n == null || n.redis().server() == null || n.redis().refusal() != null ? null : n;
  }

  private static BitSet keys(ClusterNode n) {
    BitSet had = new BitSet();
    n.redis().server().keyspace().db(0).forEach((k, v) -> {
      int i = ClusterClient.indexOf(k);
      if (i >= 0) had.set(i);
    });
    return had;
  }

  /** redis.cluster-one-vote-per-epoch: no master grants two votes in one epoch. */
  String oneVotePerEpoch() {
    for (var e : votes.entrySet()) {
      if (e.getValue() > 1) {
        return e.getKey().replace("@", " granted " + e.getValue() + " failover votes in epoch ")
            + " (a master votes once per epoch: lastVoteEpoch, fsynced in nodes.conf before the vote leaves)";
      }
    }
    return null;
  }

  /** redis.cluster-one-owner-per-slot-epoch: no two masters believe they own one slot with the same configEpoch. */
  String oneOwnerPerSlotEpoch() {
    List<ClusterNode> masters = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (NodeId id : servers) {
      ClusterNode n = node(id.name());
      if (n != null && n.isMaster()) {
        masters.add(n);
        names.add(id.name());
      }
    }
    for (int i = 0; i < masters.size(); i++) {
      for (int j = i + 1; j < masters.size(); j++) {
        if (masters.get(i).configEpoch() != masters.get(j).configEpoch()) continue;
        BitSet both = masters.get(i).ownSlots();
        both.and(masters.get(j).ownSlots());
        if (both.isEmpty()) continue;
        return names.get(i) + " and " + names.get(j) + " both own slot " + both.nextSetBit(0) + " with configEpoch "
            + masters.get(i).configEpoch() + " (a failover's winner takes a new configEpoch, unique because a majority voted for it)";
      }
    }
    return null;
  }

  /** The up master that owns {@code slot} with the greatest configEpoch, or null. */
  String owner(int slot) {
    String best = null;
    long bestEpoch = -1;
    for (NodeId id : servers) {
      ClusterNode n = node(id.name());
      if (n == null || !n.isMaster() || !n.ownSlots().get(slot) || n.configEpoch() <= bestEpoch) continue;
      best = id.name();
      bestEpoch = n.configEpoch();
    }
    return best;
  }

  /**
   * redis.cluster-acked-writes-survive: every acknowledged write is on its slot's owner at the end (or, in a slot the
   * owner is still migrating, on the target it sends -ASK to), unless a
   * promotion explains its loss: the promoted replica did not have it, and it was acknowledged by another
   * master before the promotion (asynchronous replication) or after it (the minority window).
   */
  CheckResult ackedWritesSurvive(String name) {
    ClusterClient c = sim.node(client, ClusterClient.class);
    if (c == null) return CheckResult.ok(name, "no client");
    List<String> lost = new ArrayList<>();
    Map<String, List<String>> rules = new LinkedHashMap<>();
    int unjudged = 0;
    for (ClusterClient.Ack a : lost(c)) {
      if (a.server() == null) {
        unjudged++;
        continue;
      }
      String w = c.keyOf(a.index());
      lost.add(w);
      String rule = excuse(a, owner(KeySlot.of(w)));
      if (rule != null) rules.computeIfAbsent(rule, r -> new ArrayList<>()).add(w);
    }
    String detail = c.acks().size() + " writes acknowledged, " + lost.size() + " missing on their slot's owner, " + unjudged
        + " with no owner up; " + promotions.size() + " promotion(s) " + describePromotions();
    return CheckResult.losses(name, detail, lost, rules);
  }

  /** The acknowledged writes missing on their slot's owner; an Ack with a null server when no owner is up. */
  List<ClusterClient.Ack> lost(ClusterClient c) {
    Map<String, BitSet> have = new TreeMap<>();
    List<ClusterClient.Ack> out = new ArrayList<>();
    for (ClusterClient.Ack a : c.acks()) {
      String owner = owner(KeySlot.of(c.keyOf(a.index())));
      if (owner == null) {
        out.add(new ClusterClient.Ack(a.index(), null, a.atNanos()));
        continue;
      }
      if (have.computeIfAbsent(owner, o -> keys(node(o))).get(a.index())) continue;
      String target = node(owner).migratingTo(KeySlot.of(c.keyOf(a.index())));
      // a resharding left unfinished: the key MIGRATE moved is on the target, where the owner's -ASK sends its readers
      if (target != null && node(target) != null && have.computeIfAbsent(target, o -> keys(node(o))).get(a.index())) continue;
      out.add(a);
    }
    return out;
  }

  String excuse(ClusterClient.Ack a, String owner) {
    for (Promotion p : promotions) {
      if (!p.node().equals(owner) || p.had().get(a.index()) || a.server().equals(p.node())) continue;
      Pause pause = p.waitedForOffset() ? pauseBefore(p) : null;
      if (pause == null) return a.atNanos() <= p.atNanos() ? ASYNC : MINORITY_WINDOW;
      if (pause.held().get(a.index())) return startedOnOffsetZero(p) ? OFFSET_ZERO : null; // it waited for this write's offset
      return a.atNanos() <= p.atNanos() ? MF_PAUSE_OVER : MINORITY_WINDOW;
    }
    return null;
  }

  private String describePromotions() {
    StringBuilder sb = new StringBuilder();
    for (Promotion p : promotions) {
      sb.append(p.node()).append(" took ").append(p.old()).append("'s slots at ").append(p.atNanos() / 1_000_000).append("ms with configEpoch ")
          .append(p.configEpoch()).append(" (was ").append(p.oldConfigEpoch()).append("), ").append(p.had().cardinality()).append(" keys; ");
    }
    return sb.toString().trim();
  }
}
