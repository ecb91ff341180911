package sim.redis.scenario;

import java.util.BitSet;
import java.util.List;
import sim.core.Durations;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.redis.cluster.ClusterBreaks;
import sim.redis.cluster.ClusterClient;
import sim.redis.cluster.ClusterOperator;

/** Redis Cluster's manual failover (CLUSTER FAILOVER): a planned switch of roles that loses no acknowledged write. */
final class ManualFailoverLessons {
  private ManualFailoverLessons() {}

  static final long FAILOVER_AT_MS = 5600;

  static List<Scenario> scenarios() {
    return List.of(manualFailover());
  }

  static List<BreakRule> breakRules() {
    return List.of(new BreakRule(ClusterBreaks.MF_SKIPS_OFFSET_WAIT, "redis.cluster-manual-failover",
        "the replica starts its manual failover's election as soon as it hears its paused master's offset, without waiting "
            + "to have processed it: r1, behind after its replication link broke, takes m1's slots without writes m1 had "
            + "acknowledged (redis.cluster-manual-failover-loses-nothing)"));
  }

  static Scenario manualFailover() {
    return new ClusterScenario(ClusterScenario.lesson("redis.cluster-manual-failover",
        "CLUSTER FAILOVER: the master pauses its writers until its replica has caught up, so a planned failover loses no "
            + "acknowledged write (an automatic one, under asynchronous replication, may)",
        "Three masters m1, m2, m3, each with a replica, and a client writing SET k<i>. From 4 s to 5 s r1 is cut off: its "
            + "replication link breaks and it falls behind m1. At 5.6 s, before r1 has reconnected, an operator sends CLUSTER FAILOVER to r1. r1 checks "
            + "that its master is up, sets mf_end (now + CLUSTER_MF_TIMEOUT, 5 s) and sends MFSTART to m1. m1 pauses its "
            + "clients' writes (for twice that: the client's next SET waits, unanswered) and pings r1 continuously, each "
            + "PING flagged PAUSED and carrying m1's replication offset, which no longer moves. r1 waits until it has "
            + "processed exactly that offset — its link reconnects and PSYNC fetches the missing bytes from m1's backlog — "
            + "then starts an election at once (no rank delay) with FAILOVER_AUTH_REQUEST flagged FORCEACK: m2 and m3 vote "
            + "although m1 is not FAILed. r1 takes m1's slots with the election's epoch as its configEpoch and broadcasts a "
            + "PONG; m1 sees its slots claimed with a greater configEpoch, turns into r1's replica and lets its clients go: "
            + "the waiting SET gets -MOVED to r1. Had m1 crashed instead, r1 would have been promoted without the writes it "
            + "had not received: asynchronous replication's loss. If the pause runs out (5 s) the manual failover is aborted "
            + "on both sides and m1 accepts writes again.",
        "at 4s partition r1|m1,m2,m3,r2,r3,client,operator; at 5200ms heal", 12), "redis.cluster-manually-failed-over", f -> {
          ClusterLedger.Promotion p = f.ledger().promotions.stream().filter(x -> x.old().equals("m1") && x.waitedForOffset())
              .findFirst().orElse(null);
          ClusterLedger.Pause pause = p == null ? null : f.ledger().pauseBefore(p);
          ClusterClient c = f.client();
          int behind = pause == null || c == null ? 0 : behind(pause, c);
          long resumed = p == null || c == null ? 0
              : c.acks().stream().filter(a -> a.server().equals(p.node()) && a.atNanos() > p.atNanos()).count();
          boolean rejoined = f.ledger().reconfigured.contains("m1");
          CheckResult loss = f.ledger().ackedWritesSurvive("redis.cluster-acked-writes-survive");
          boolean nothingLost = loss.status() == CheckResult.Status.OK;
          ClusterOperator op = f.operator();
          boolean accepted = op != null && op.replies().contains("+OK");
          boolean ok = accepted && p != null && pause != null && behind > 0 && rejoined && resumed > 0 && nothingLost;
          return CheckResult.of("redis.cluster-manually-failed-over", ok, "CLUSTER FAILOVER answered " + (op == null ? "-" : op.replies())
              + "; " + (pause == null ? "m1 never paused for r1" : "m1 paused its writers at " + pause.atNanos() / 1_000_000 + "ms, when r1 lacked "
                  + behind + " writes it had acknowledged (what an automatic failover at that instant would lose)")
              + "; " + (p == null ? "r1 was not promoted by the manual failover" : p.node() + " took m1's slots at " + p.atNanos() / 1_000_000
                  + "ms with configEpoch " + p.configEpoch() + " > " + p.oldConfigEpoch() + (pause == null ? "" : ", "
                  + Durations.format(p.atNanos() - pause.atNanos()) + " after the pause"))
              + "; " + resumed + " writes acknowledged by it since; m1 " + (rejoined ? "rejoined as its replica" : "did not rejoin as a replica")
              + "; " + loss.detail());
        }, ClusterScenario.servers(), ClusterScenario.REPLICA_OF,
        () -> new ClusterOperator("r1", List.of("CLUSTER", "FAILOVER"), Durations.millis(FAILOVER_AT_MS)));
  }

  /** The acknowledged writes the master held at its pause that its replica did not have yet. */
  private static int behind(ClusterLedger.Pause pause, ClusterClient c) {
    BitSet acked = new BitSet();
    for (ClusterClient.Ack a : c.acks()) acked.set(a.index());
    BitSet lacking = (BitSet) pause.held().clone();
    lacking.andNot(pause.replicaHad());
    lacking.and(acked);
    return lacking.cardinality();
  }
}
