package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.cassandra.storage.StorageConfig;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.check.Excuse;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * Zombie resurrection: a replica misses a delete, the others purge the tombstone once gc_grace_seconds has
 * passed, and repair copies the deleted rows back from the replica that never saw the delete.
 */
final class ZombieScenario extends LessonScenario {
  static final int KEYS = 4;
  private static final long DELETE_AT = 8_000_000_000L;

  private ZombieScenario(Lesson l) {
    super(l);
  }

  static ZombieScenario create() {
    return new ZombieScenario(new Lesson("cassandra.zombie-resurrection",
        "Zombies: a replica misses a delete, the tombstone is purged after gc_grace_seconds, and repair brings the row back",
        "Three nodes, RF 3, table ks.kv WITH gc_grace_seconds = 30 (the default is 864000, ten days) and hinted handoff off. Rows k0..k3 are written at ALL and flushed to SSTables everywhere at 5 s. n3 crashes at 6 s; at 8 s the rows are deleted at QUORUM: n1 and n2 keep tombstones, n3 knows nothing. At 44 s n1 and n2 flush and run a major compaction: the tombstones are older than gc_grace_seconds, and nothing older is left for them to shadow, so compaction purges them together with the data (the rows are simply gone on n1 and n2). n3 returns at 50 s with the old rows in its SSTables. At 60 s nodetool repair on n1 builds Merkle trees on every replica, finds n3's ranges differ, and streams the rows back to n1 and n2: the deleted rows are alive again. Cassandra's rule: run repair on every node more often than gc_grace_seconds.",
        "at 6s crash n3; at 50s restart n3", 80_000_000_000L, 5_000_000_000L));
  }

  @Override
  public void setup(Simulation sim) {
    CassandraCluster cluster = CassandraCluster.build(sim, 3, 1, StorageConfig.defaults(), c -> CassandraScenarios.withHints(c, false), Set.of());
    Checks.Watch watch = new Checks.Watch(sim);
    NodeId n1 = NodeId.of("n1");
    List<ScheduledClient.Step> steps = new ArrayList<>();
    for (String ddl : CassandraScenario.schema(3, " WITH gc_grace_seconds = 30", List.of("ks.kv"))) steps.add(new ScheduledClient.Step(500_000_000L + steps.size() * 300_000_000L, n1, ddl, ConsistencyLevel.ONE));
    for (int i = 0; i < KEYS; i++) steps.add(new ScheduledClient.Step(3_000_000_000L + i * 10_000_000L, n1, "INSERT INTO ks.kv (k, v) VALUES ('k" + i + "', 'alive')", ConsistencyLevel.ALL));
    int firstDelete = steps.size();
    for (int i = 0; i < KEYS; i++) steps.add(new ScheduledClient.Step(DELETE_AT + i * 10_000_000L, n1, "DELETE FROM ks.kv WHERE k = 'k" + i + "'", ConsistencyLevel.QUORUM));
    int firstRead = steps.size();
    for (int i = 0; i < KEYS; i++) steps.add(new ScheduledClient.Step(70_000_000_000L + i * 10_000_000L, n1, "SELECT v FROM ks.kv WHERE k = 'k" + i + "'", ConsistencyLevel.QUORUM));
    TreeMap<Integer, StatementResult> results = new TreeMap<>();
    TreeMap<Integer, Long> answered = new TreeMap<>();
    sim.addClient(NodeId.of("app"), () -> new ScheduledClient(steps, results, answered));
    for (NodeId n : cluster.nodes()) {
      sim.schedule(5_000_000_000L, "nodetool flush " + n, () -> { if (sim.isUp(n)) sim.inject(n1, n, new CassandraMessage.NodetoolFlush()); });
      if (n.equals(NodeId.of("n3"))) continue;
      sim.schedule(44_000_000_000L, "nodetool flush " + n, () -> { if (sim.isUp(n)) sim.inject(n1, n, new CassandraMessage.NodetoolFlush()); });
      sim.schedule(45_000_000_000L, "nodetool compact " + n, () -> { if (sim.isUp(n)) sim.inject(n1, n, new CassandraMessage.NodetoolCompact(true)); });
    }
    sim.schedule(60_000_000_000L, "nodetool repair n1", () -> { if (sim.isUp(n1)) sim.inject(n1, n1, new CassandraMessage.NodetoolRepair("ks.kv")); });
    // each replica's own copy of each deleted row: which held it without the tombstone after another purged it
    TombstoneWatch tombstones = new TombstoneWatch(cluster, "ks.kv");
    sim.addInvariant("cassandra.watch-deletes", () -> {
      for (int i = 0; i < KEYS; i++) {
        if (answered.containsKey(firstDelete + i) && results.get(firstDelete + i) instanceof StatementResult.Ok) tombstones.observe("k" + i);
      }
      return null;
    });
    sim.addInvariant("cassandra.sstables-immutable", () -> Checks.sstablesImmutable(watch));
    sim.addFinalCheck("cassandra.deleted-stays-deleted", () -> {
      List<String> back = resurrected(results, firstDelete, firstRead);
      Map<String, List<String>> rules = new LinkedHashMap<>(); // in this order, so the verdict reads the same every run
      rules.put("gc_grace_seconds: a tombstone may be purged after gc_grace_seconds; a replica that missed the delete and was not repaired"
          + " within gc_grace_seconds resurrects the row at the next repair or read", tombstones.missedKeys());
      rules.put("commitlog_sync: periodic: a replica that crashes before its next sync (every commitlog_sync_period, 10000 ms) loses the"
          + " delete it acknowledged since the last one; with fewer than a quorum still holding the tombstone a QUORUM read returns the row",
          tombstones.lostBelowQuorum());
      String why = tombstones.reasons().isEmpty() ? "" : " (" + String.join("; ", tombstones.reasons()) + ")";
      return CheckResult.losses("cassandra.deleted-stays-deleted",
          back.size() + " of the rows deleted with an acknowledged DELETE were read back alive" + why, back, rules);
    });
    sim.addLessonCheck("cassandra.zombie-came-back", () -> {
      List<String> back = resurrected(results, firstDelete, firstRead);
      return CheckResult.of("cassandra.zombie-came-back", back.size() == KEYS, "rows alive again after repair: " + back);
    });
    sim.addInspector("zombie", "\\zombie: the scripted statements and their answers", arg -> results.toString());
  }

  private static List<String> resurrected(TreeMap<Integer, StatementResult> results, int firstDelete, int firstRead) {
    List<String> back = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      if (!(results.get(firstDelete + i) instanceof StatementResult.Ok)) continue;
      if (results.get(firstRead + i) instanceof StatementResult.Rows r && !r.rows().isEmpty()) back.add("k" + i);
    }
    return back;
  }

  static Excuse none() {
    return null;
  }
}
