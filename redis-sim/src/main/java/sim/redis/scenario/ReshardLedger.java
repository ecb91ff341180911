package sim.redis.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
import sim.redis.cluster.ClusterNode;

/**
 * What the resharding checks judge by, from the trace: every MIGRATE deletion on a source, checked at that
 * instant against the target's dataset (redis.cluster-migrate-keeps-a-copy), the ASK redirections answered, and
 * the configEpoch bumps of SETSLOT NODE.
 */
final class ReshardLedger {
  private final Simulation sim;
  private String violation;
  int asks;
  int tryagains;
  int bumps;
  int deletedKeys;

  ReshardLedger(Simulation sim) {
    this.sim = sim;
    sim.trace().addListener(this::onEvent);
  }

  private void onEvent(TraceEvent e) {
    switch (e.kind()) {
      case "redis.cluster.migrate-del" -> deleted(e);
      case "redis.cluster.redirect" -> {
        String reply = String.valueOf(e.attribute("reply"));
        if (reply.startsWith("ASK ")) asks++;
        if (reply.startsWith("TRYAGAIN")) tryagains++;
      }
      case "redis.cluster.epoch-bumped" -> bumps++;
      default -> { }
    }
  }

  /** The source is about to DEL these keys as moved: the target (when it is up and serving) must have each. */
  private void deleted(TraceEvent e) {
    String keys = String.valueOf(e.attribute("keys"));
    List<String> list = keys.isEmpty() ? List.of() : List.of(keys.split(" "));
    deletedKeys += list.size();
    if (violation != null) return;
    ClusterNode target = node(String.valueOf(e.attribute("target")));
    if (target == null) return; // down: nothing to compare with
    List<String> missing = new ArrayList<>();
    for (String k : list) if (target.redis().server().keyspace().db(0).get(k) == null) missing.add(k);
    if (missing.isEmpty()) return;
    violation = e.node() + " deleted " + missing.size() + " key(s) as migrated to " + e.attribute("target") + " that " + e.attribute("target")
        + " does not have (" + String.join(" ", missing.subList(0, Math.min(3, missing.size()))) + "): MIGRATE deletes a key only after the "
        + "target's +OK for its RESTORE-ASKING";
  }

  /** redis.cluster-migrate-keeps-a-copy: no key MIGRATE deleted on the source was missing on the target at that instant. */
  String migrateKeepsACopy() {
    return violation;
  }

  ClusterNode node(String name) {
    NodeId id = NodeId.of(name);
    if (!sim.isUp(id)) return null;
    ClusterNode n = sim.node(id, ClusterNode.class);
    return n == null || n.redis().server() == null || n.redis().refusal() != null ? null : n;
  }
}
