package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.cluster.CassandraNode;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.storage.CommitLogSync;
import sim.cassandra.storage.StorageConfig;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.core.trace.TraceEvent;

/**
 * Ring changes: a node bootstraps into the ring, a node decommissions out of it. Both run with
 * {@code commitlog_sync: batch} (no crash-loss window), RF 3 and QUORUM on both sides, so the shared
 * {@code cassandra.acked-writes-readable} must hold during and after the range movement.
 */
final class RingChangeScenarios {
  private static final ConsistencyLevel QUORUM = ConsistencyLevel.QUORUM;

  private RingChangeScenarios() {}

  private static long s(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static CassandraScenario.Client client(String name, List<String> coords, int keys, double writes, double from, double to) {
    return new CassandraScenario.Client(name, coords, "ks.kv", keys, writes, QUORUM, QUORUM, s(from), s(to), Durations.millis(60), false);
  }

  static List<Scenario> create() {
    StorageConfig batch = StorageConfig.defaults().withSync(CommitLogSync.BATCH);
    List<Scenario> all = new ArrayList<>();
    all.add(new CassandraScenario(new Lesson("cassandra.bootstrap-node",
        "Bootstrap: n4 joins the ring, writes reach it as a pending replica, it streams its ranges from the replicas giving them up, then turns NORMAL",
        "Three nodes, RF 3, QUORUM writes and reads, commitlog_sync: batch. n4 was started with -Dcassandra.join_ring=false; at 6 s nodetool join: it draws its 16 tokens and gossips STATUS BOOT (cassandra.ring.status, 'JOINING: sleeping 30000 ms for pending range setup'). Every node that hears it (cassandra.gossip.status) computes the pending ranges: the ranges n4 will replicate. A write to such a range goes to its three natural replicas and to n4, and blockFor is raised by one (QUORUM needs 3 of the 4: whichever placement wins holds a quorum). The link n1 -> n2 is cut one way from 1 s, so n2 misses the writes n1 coordinates: the writer's, on k0..k39 before the join, while a second client writes k0..k9 through n3 during the pending window. After ring_delay (30 s) n4 streams every range it gains from the replica giving it up (consistent range movement: cassandra.bootstrap.stream-request, cassandra.stream.complete) and gossips NORMAL; the old owners keep their copies (no nodetool cleanup). Readers through n2 and n3 then read the new placement. \\\\ring shows each node's view: n4 JOINING, the pending ranges, then NORMAL. --break cassandra.inconsistent-range-movement makes n4 fetch from a replica that keeps the range (possibly the stale n2), and a read misses an acknowledged write.",
        "at 1s block n1->n2", s(75), s(25)), 3, 1, 3, "", batch, c -> c,
        List.of(client("writer", List.of("n1"), 40, 1.0, 2, 5.5), client("pending", List.of("n3", "n1"), 10, 1.0, 10, 30),
            client("r2", List.of("n2"), 40, 0.0, 40, 74),
            client("r3", List.of("n3"), 40, 0.0, 40, 74), client("late", List.of("n1", "n3"), 40, 0.5, 50, 74)),
        List.of(CassandraNode.BREAK_INCONSISTENT_RANGE_MOVEMENT), RingChangeScenarios::bootstrap));
    all.add(new CassandraScenario(new Lesson("cassandra.decommission-node",
        "Decommission: n4 gossips LEAVING, writes reach the nodes gaining its ranges, it streams its ranges to them, gossips LEFT and stops",
        "Four nodes, RF 3, QUORUM writes and reads, commitlog_sync: batch. At 6 s nodetool decommission on n4: it gossips STATUS LEAVING ('LEAVING: sleeping 30000 ms for pending range setup'); every node computes the pending ranges (each range n4 replicates gains the next node clockwise) and writes to those ranges go to the natural replicas and the pending one, with blockFor raised by one. The link n1 -> n2 is cut one way from 1 s. After ring_delay n4 streams each of its ranges to the replica that gains it (cassandra.decommission.stream-out, cassandra.stream.complete), gossips LEFT, announces it for ring_delay and stops gossip and messaging (DECOMMISSIONED). The three nodes left hold everything acknowledged: reads during and after the move see every acknowledged write.",
        "at 1s block n1->n2", s(80), s(25)), 4, 0, 3, "", batch, c -> c,
        List.of(client("writer", List.of("n1"), 40, 1.0, 2, 30), client("mixed", List.of("n2", "n3"), 40, 0.5, 2, 30),
            client("reader", List.of("n3"), 40, 0.0, 45, 79), client("late", List.of("n1", "n2"), 40, 0.5, 50, 79)),
        List.of(), RingChangeScenarios::decommission));
    return all;
  }

  /** Status points per node: who announced or heard which STATUS, in order. */
  private static final class Statuses {
    final TreeMap<String, List<String>> heard = new TreeMap<>();
    int pendingWrites;

    Statuses(Simulation sim) {
      sim.trace().addListener(this::onEvent);
    }

    private void onEvent(TraceEvent e) {
      if (e.kind().equals("cassandra.coordinator.write") && e.attribute("pending") != null) pendingWrites++;
      if (!e.kind().equals("cassandra.gossip.status") && !e.kind().equals("cassandra.ring.status")) return;
      heard.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(e.attribute("endpoint") + "=" + e.attribute("status"));
    }

    /** The nodes that saw {@code endpoint} go through every status of {@code sequence}, in that order. */
    TreeSet<String> sawSequence(String endpoint, List<String> sequence) {
      TreeSet<String> out = new TreeSet<>();
      for (var e : heard.entrySet()) {
        int i = 0;
        for (String h : e.getValue()) if (i < sequence.size() && h.equals(endpoint + "=" + sequence.get(i))) i++;
        if (i == sequence.size()) out.add(e.getKey());
      }
      return out;
    }
  }

  private static void bootstrap(Simulation sim, CassandraScenario.Run run) {
    NodeId n4 = NodeId.of("n4");
    // the operator runs nodetool join again if n4 was down the first time (a second join while JOINING does nothing)
    for (double at : new double[] {6, 20, 40}) sim.schedule(s(at), "nodetool join n4", () -> sim.inject(n4, n4, new CassandraMessage.NodetoolJoin()));
    Statuses st = new Statuses(sim);
    transitions(sim, st, "cassandra.bootstrap-status-transitions", "n4", List.of("BOOT", "NORMAL"), List.of("n1", "n2", "n3", "n4"));
    streamed(sim, run, st, "cassandra.bootstrap-ranges-streamed", "cassandra.bootstrap.stream-request");
  }

  private static void decommission(Simulation sim, CassandraScenario.Run run) {
    NodeId n4 = NodeId.of("n4");
    for (double at : new double[] {6, 20, 40}) {
      sim.schedule(s(at), "nodetool decommission n4", () -> sim.inject(n4, n4, new CassandraMessage.NodetoolDecommission()));
    }
    Statuses st = new Statuses(sim);
    transitions(sim, st, "cassandra.decommission-status-transitions", "n4", List.of("LEAVING", "LEFT"), List.of("n1", "n2", "n3", "n4"));
    streamed(sim, run, st, "cassandra.decommission-ranges-streamed", "cassandra.decommission.stream-out");
    sim.addLessonCheck("cassandra.n4-decommissioned", () -> {
      var n = run.cluster.node(n4);
      String mode = n == null ? "down" : n.mode();
      return CheckResult.of("cassandra.n4-decommissioned", "DECOMMISSIONED".equals(mode) && run.watch.seen("cassandra.decommission.done") > 0, "n4's mode at the end: " + mode);
    });
  }

  private static void transitions(Simulation sim, Statuses st, String name, String endpoint, List<String> sequence, List<String> nodes) {
    sim.addLessonCheck(name, () -> {
      TreeSet<String> saw = st.sawSequence(endpoint, sequence);
      List<String> missing = new ArrayList<>(nodes);
      missing.removeAll(saw);
      return CheckResult.of(name, missing.isEmpty(), "nodes that saw " + endpoint + " go " + String.join(" -> ", sequence) + ": " + saw
          + (missing.isEmpty() ? "" : "; not: " + missing));
    });
  }

  private static void streamed(Simulation sim, CassandraScenario.Run run, Statuses st, String name, String streamPoint) {
    sim.addLessonCheck(name, () -> {
      int streams = run.watch.seen(streamPoint);
      int done = run.watch.seen("cassandra.stream.complete");
      boolean ok = streams > 0 && done > 0 && st.pendingWrites > 0;
      return CheckResult.of(name, ok, streams + " table ranges streamed (" + streamPoint + "), " + done + " completed, "
          + st.pendingWrites + " writes sent to pending replicas with blockFor raised");
    });
  }
}
