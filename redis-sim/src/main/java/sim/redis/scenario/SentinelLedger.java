package sim.redis.scenario;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.redis.node.RedisNode;
import sim.redis.sentinel.SentinelClient;
import sim.redis.sentinel.SentinelNode;

/**
 * What the Sentinel checks judge by, read from the trace as it happens: every +elected-leader with its
 * failover epoch; every promotion (the leader's +promoted-slave) with the keys k<i> the promoted server had at
 * that instant; and, at the end, the dataset of the master the sentinels agree on.
 */
final class SentinelLedger {
  /** A server became a master: who, when, and the writes it had. */
  record Promotion(String node, long atNanos, BitSet had) {}

  private final Simulation sim;
  private final List<NodeId> servers;
  private final List<NodeId> sentinels;
  private final NodeId client;
  final TreeMap<Long, TreeSet<String>> leadersByEpoch = new TreeMap<>();
  final List<Promotion> promotions = new ArrayList<>();
  final Map<String, Integer> sentinelEvents = new LinkedHashMap<>();

  SentinelLedger(Simulation sim, List<NodeId> servers, List<NodeId> sentinels, NodeId client) {
    this.sim = sim;
    this.servers = servers;
    this.sentinels = sentinels;
    this.client = client;
    sim.trace().addListener(this::onEvent);
  }

  private void onEvent(TraceEvent e) {
    if (e.kind().equals("redis.sentinel")) {
      String type = String.valueOf(e.attribute("type"));
      sentinelEvents.merge(type, 1, Integer::sum);
      if (type.equals("+elected-leader")) {
        leadersByEpoch.computeIfAbsent(((Number) e.attribute("failoverEpoch")).longValue(), k -> new TreeSet<>()).add(e.node());
      }
      // the leader saw its chosen slave report role:master; the server may have been a master already (a restarted
      // old master that was never converted), so REPLICAOF NO ONE alone does not mark every promotion
      if (type.equals("+promoted-slave")) promoted(e.detail().split(" ")[3], e.timeNanos()); // "+promoted-slave slave host:port host port @ …"
    }
  }

  private void promoted(String node, long atNanos) {
    RedisNode n = sim.isUp(NodeId.of(node)) ? sim.node(NodeId.of(node), RedisNode.class) : null;
    promotions.add(new Promotion(node, atNanos, n == null || n.server() == null ? new BitSet() : keys(n)));
  }

  int events(String type) {
    return sentinelEvents.getOrDefault(type, 0);
  }

  /** redis.sentinel-one-leader-per-epoch: at most one sentinel is elected leader in any epoch. */
  String oneLeaderPerEpoch() {
    for (var e : leadersByEpoch.entrySet()) {
      if (e.getValue().size() > 1) {
        return "epoch " + e.getKey() + " elected " + e.getValue().size() + " leaders: " + e.getValue()
            + " (each sentinel votes once per epoch, and a leader needs a majority of the sentinels: two majorities share a voter)";
      }
    }
    return null;
  }

  private static BitSet keys(RedisNode n) {
    BitSet had = new BitSet();
    n.server().keyspace().db(0).forEach((k, v) -> {
      if (k.startsWith("k")) had.set(Integer.parseInt(k.substring(1)));
    });
    return had;
  }

  /** The master most up sentinels name, when it is up and serving as a master; else null. */
  String settledMaster() {
    Map<String, Integer> votes = new TreeMap<>();
    for (NodeId s : sentinels) {
      SentinelNode n = sim.isUp(s) ? sim.node(s, SentinelNode.class) : null;
      if (n != null) votes.merge(n.masterHost(), 1, Integer::sum);
    }
    String best = null;
    for (var e : votes.entrySet()) if (best == null || e.getValue() > votes.get(best)) best = e.getKey();
    if (best == null || votes.get(best) < sentinels.size() / 2 + 1) return null;
    NodeId id = NodeId.of(best);
    if (!servers.contains(id) || !sim.isUp(id)) return null;
    RedisNode n = sim.node(id, RedisNode.class);
    if (n == null || n.refusal() != null || n.server().replicationState().isReplica()) return null;
    return best;
  }

  /**
   * redis.sentinel-acked-writes-survive: every acknowledged write is on the master the sentinels settled on,
   * unless a promotion explains its loss exactly — the promoted server did not have it when it became master,
   * and the write was acknowledged by another server: before the promotion (asynchronous replication) or after
   * it, by a master the promotion had replaced (split brain).
   */
  CheckResult ackedWritesSurvive(String name) {
    SentinelClient c = sim.node(client, SentinelClient.class);
    String master = settledMaster();
    if (c == null || master == null) return CheckResult.ok(name, "no master the sentinels agree on is serving at the end: nothing to judge");
    BitSet have = keys(sim.node(NodeId.of(master), RedisNode.class));
    List<String> lost = new ArrayList<>();
    Map<String, List<String>> rules = new LinkedHashMap<>();
    for (SentinelClient.Ack a : c.acks()) {
      if (have.get(a.index())) continue;
      String w = "k" + a.index();
      lost.add(w);
      String rule = excuse(a);
      if (rule != null) rules.computeIfAbsent(rule, r -> new ArrayList<>()).add(w);
    }
    String detail = c.acks().size() + " writes acknowledged, " + lost.size() + " missing on " + master + " (the master the sentinels agree on); "
        + promotions.size() + " promotion(s)" + (promotions.isEmpty() ? "" : " " + describePromotions());
    return CheckResult.losses(name, detail, lost, rules);
  }

  /** The acknowledged writes missing on the settled master (empty when there is none). */
  List<SentinelClient.Ack> lost() {
    SentinelClient c = sim.node(client, SentinelClient.class);
    String master = settledMaster();
    List<SentinelClient.Ack> out = new ArrayList<>();
    if (c == null || master == null) return out;
    BitSet have = keys(sim.node(NodeId.of(master), RedisNode.class));
    for (SentinelClient.Ack a : c.acks()) if (!have.get(a.index())) out.add(a);
    return out;
  }

  /** Whether a lost write was acknowledged by a replaced master after its replacement was promoted. */
  boolean splitBrain(SentinelClient.Ack a) {
    String rule = excuse(a);
    return rule != null && rule.startsWith("split brain");
  }

  private String excuse(SentinelClient.Ack a) {
    long ownPromotion = -1; // the acknowledging server's own latest promotion before the ack: it was a master since then
    for (Promotion p : promotions) if (p.node().equals(a.server()) && p.atNanos() <= a.atNanos()) ownPromotion = p.atNanos();
    for (Promotion p : promotions) {
      if (p.node().equals(a.server()) || p.had().get(a.index())) continue;
      if (a.atNanos() <= p.atNanos()) {
        return "asynchronous replication: acknowledged by " + a.server() + " before " + p.node() + " was promoted at " + ms(p.atNanos())
            + ", which never received it (the master answers +OK before any replica has the write)";
      }
      if (p.atNanos() < ownPromotion) continue; // the acknowledging server was promoted after p: p did not replace it
      return "split brain: acknowledged by " + a.server() + " after " + p.node() + " was promoted at " + ms(p.atNanos())
          + " — " + a.server() + ", the master it replaced, cut off from the sentinels' majority, still accepted writes; they are "
          + "discarded when it is made a replica of the new master (a full resync)";
    }
    return null;
  }

  private String describePromotions() {
    StringBuilder sb = new StringBuilder();
    for (Promotion p : promotions) sb.append(p.node()).append(" at ").append(ms(p.atNanos())).append(" with ").append(p.had().cardinality()).append(" keys; ");
    return sb.toString().trim();
  }

  private static String ms(long nanos) {
    return (nanos / 1_000_000) + "ms";
  }
}
