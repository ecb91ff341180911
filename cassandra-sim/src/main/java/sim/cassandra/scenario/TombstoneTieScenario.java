package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.cluster.CassandraNode;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.cassandra.storage.StorageConfig;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * A write and a delete with the same timestamp reach the replicas in different orders. Cassandra's rule
 * (a tombstone wins a timestamp tie) makes every replica settle on the same answer whatever the order;
 * break it and the replicas disagree for good.
 */
final class TombstoneTieScenario extends LessonScenario {
  static final int KEYS = 12;

  private TombstoneTieScenario(Lesson l) {
    super(l);
  }

  static TombstoneTieScenario create() {
    return new TombstoneTieScenario(new Lesson("cassandra.lww-tombstone-tie",
        "Last write wins on a tie: a write and a delete with the same timestamp, in any order, leave every replica deleted",
        "Three nodes, RF 3. For each of 12 keys two clients, through different coordinators, send at the same moment UPDATE … SET v = 'x' USING TIMESTAMP 1000 and DELETE v … USING TIMESTAMP 1000. Network latency decides which arrives first at each replica, so replicas see them in different orders. Cells.reconcile breaks the timestamp tie the same way everywhere (the tombstone wins), so after a repair at 6 s every replica holds the same data for every key. --break cassandra.ignore-tombstone-tie lets a replica keep the live cell it already had: replicas disagree and repair cannot settle it.",
        "", 10_000_000_000L, 2_000_000_000L));
  }

  @Override
  public void setup(Simulation sim) {
    Set<String> breaks = sim.isBroken(CassandraNode.BREAK_TOMBSTONE_TIE) ? Set.of(CassandraNode.BREAK_TOMBSTONE_TIE) : Set.of();
    CassandraCluster cluster = CassandraCluster.build(sim, 3, 1, StorageConfig.defaults(), c -> c, breaks);
    NodeId n1 = NodeId.of("n1");
    NodeId n2 = NodeId.of("n2");
    List<ScheduledClient.Step> writer = new ArrayList<>();
    for (String ddl : CassandraScenario.schema(3, "", List.of("ks.kv"))) writer.add(new ScheduledClient.Step(500_000_000L + writer.size() * 300_000_000L, n1, ddl, ConsistencyLevel.ONE));
    List<ScheduledClient.Step> deleter = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      long at = 3_000_000_000L + i * 20_000_000L;
      writer.add(new ScheduledClient.Step(at, n1, "UPDATE ks.kv USING TIMESTAMP 1000 SET v = 'x' WHERE k = 'k" + i + "'", ConsistencyLevel.ONE));
      deleter.add(new ScheduledClient.Step(at, n2, "DELETE v FROM ks.kv USING TIMESTAMP 1000 WHERE k = 'k" + i + "'", ConsistencyLevel.ONE));
    }
    TreeMap<Integer, StatementResult> r1 = new TreeMap<>();
    TreeMap<Integer, StatementResult> r2 = new TreeMap<>();
    sim.addClient(NodeId.of("writer"), () -> new ScheduledClient(writer, r1, new TreeMap<>()));
    sim.addClient(NodeId.of("deleter"), () -> new ScheduledClient(deleter, r2, new TreeMap<>()));
    sim.schedule(6_000_000_000L, "nodetool repair n1", () -> { if (sim.isUp(n1)) sim.inject(n1, n1, new CassandraMessage.NodetoolRepair("ks.kv")); });
    // and once more after the faults are healed, so every replica has been compared with every other
    sim.schedule(durationNanos() + 1_000_000_000L, "nodetool repair n1", () -> { if (sim.isUp(n1)) sim.inject(n1, n1, new CassandraMessage.NodetoolRepair("ks.kv")); });
    sim.addFinalCheck("cassandra.replicas-agree-on-ties", () -> {
      List<String> disagree = new ArrayList<>();
      for (int i = 0; i < KEYS; i++) {
        TreeSet<String> views = new TreeSet<>();
        for (NodeId n : cluster.nodes()) {
          CassandraNode c = cluster.node(n);
          if (c == null || c.storage().schema().table("ks.kv") == null) continue;
          Partition p = c.storage().read(c.storage().schema().table("ks.kv"), DecoratedKey.of(Bytes.utf8("k" + i)));
          views.add(visible(p));
        }
        if (views.size() > 1) disagree.add("k" + i + " " + views);
      }
      return CheckResult.of("cassandra.replicas-agree-on-ties", disagree.isEmpty(),
          disagree.isEmpty() ? "every replica agrees on all " + KEYS + " keys" : "replicas disagree after repair: " + disagree);
    });
  }

  private static String visible(Partition p) {
    if (p == null) return "absent";
    StringBuilder b = new StringBuilder();
    for (var r : p.rows().values()) {
      var c = r.cells().get("v");
      b.append(c == null ? "none" : c.isTombstone() ? "deleted" : "live");
    }
    return b.length() == 0 ? "absent" : b.toString();
  }
}
