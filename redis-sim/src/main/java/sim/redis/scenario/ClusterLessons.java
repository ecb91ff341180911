package sim.redis.scenario;

import java.util.List;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.redis.cluster.ClusterBreaks;
import sim.redis.cluster.ClusterClient;

/** The Redis Cluster lessons: a master's failover, and what a minority partition costs. */
final class ClusterLessons {
  private ClusterLessons() {}

  static final long NODE_TIMEOUT_MS = 15_000;

  static List<Scenario> scenarios() {
    return List.of(masterFailover(), minorityPartition());
  }

  static List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(ClusterBreaks.VOTE_TWICE_PER_EPOCH, "redis.cluster-master-failover",
            "a master grants every failover request, forgetting lastVoteEpoch and the node-timeout * 2 per-master delay: a request "
                + "the network delivers twice is granted twice in one epoch (redis.cluster-one-vote-per-epoch)"),
        new BreakRule(ClusterBreaks.PROMOTE_KEEPS_CONFIG_EPOCH, "redis.cluster-master-failover",
            "the replica that wins the election keeps its old master's configEpoch instead of the election's epoch: when the old "
                + "master restarts with its nodes.conf both own the slots with one configEpoch, and neither configuration can win "
                + "(redis.cluster-one-owner-per-slot-epoch)"));
  }

  static Scenario masterFailover() {
    return new ClusterScenario(ClusterScenario.lesson("redis.cluster-master-failover",
        "How Redis Cluster handles failures: a master crashes, the masters agree it FAILed, its replica wins an election and takes its slots",
        "Three masters own the 16384 slots (m1 0-5460, m2 5461-10922, m3 10923-16383), each with a replica. Every node PINGs "
            + "every other on the cluster bus at least every half cluster-node-timeout (15 s); each PING and PONG carries the "
            + "sender's currentEpoch, configEpoch and slot bitmap, and gossip about other nodes. A client writes SET k<i>, "
            + "following -MOVED to the slot's owner. At 3 s m1 crashes. 15 s after an unanswered PING each node marks it PFAIL "
            + "(possibly failing); the masters' PFAIL flags travel in the gossip as failure reports, and when a majority of the "
            + "masters agree a node marks m1 FAIL and broadcasts FAIL. Slots 0-5460 are uncovered: cluster_state:fail "
            + "(cluster-require-full-coverage yes) and every node answers -CLUSTERDOWN. r1, m1's replica, waits 500 ms + "
            + "random(0..500) + rank * 1000 ms, increments currentEpoch and sends FAILOVER_AUTH_REQUEST; m2 and m3 each vote once "
            + "in that epoch (fsyncing lastVoteEpoch in nodes.conf first); with 2 of 3 masters r1 takes m1's slots with the "
            + "election's epoch as its configEpoch — greater than any before — and broadcasts a PONG. The state turns ok, and the "
            + "client's writes to those slots, -MOVED to r1, resume. At 30 s m1 restarts believing it owns 0-5460 with configEpoch "
            + "1; the others' PONGs and an UPDATE tell it r1 owns them with a greater configEpoch, and it turns into r1's replica.",
        "at 3s crash m1; at 15s duplicate 0.5; at 26s duplicate 0; at 30s restart m1", 40), "redis.cluster-failed-over", f -> {
          ClusterLedger.Promotion p = f.ledger().promotions.stream().filter(x -> x.old().equals("m1")).findFirst().orElse(null);
          boolean failed = f.ledger().failed.contains("m1");
          boolean higher = p != null && p.configEpoch() > p.oldConfigEpoch();
          long resumed = p == null || f.client() == null ? 0
              : f.client().acks().stream().filter(a -> a.server().equals(p.node()) && a.atNanos() > p.atNanos()).count();
          boolean rejoined = f.ledger().reconfigured.contains("m1");
          CheckResult loss = f.ledger().ackedWritesSurvive("redis.cluster-acked-writes-survive");
          return CheckResult.of("redis.cluster-failed-over", failed && higher && resumed > 0 && rejoined,
              "m1 marked FAIL: " + failed + "; " + (p == null ? "no replica took m1's slots" : p.node() + " took them with configEpoch "
                  + p.configEpoch() + " > " + p.oldConfigEpoch()) + "; " + resumed + " writes acknowledged by it after the promotion; m1 "
                  + (rejoined ? "rejoined as a replica" : "did not rejoin as a replica") + "; client " + describe(f.client()) + "; "
                  + loss.detail());
        });
  }

  private static final long PARTITION_AT_MS = 3000;

  static Scenario minorityPartition() {
    return new ClusterScenario(ClusterScenario.lesson("redis.cluster-minority-partition",
        "a master cut off in a minority with a client: it accepts writes until cluster-node-timeout, then answers -CLUSTERDOWN; "
            + "what it acknowledged is lost when its replica is promoted",
        "At 3 s the network splits m1 and the client from the rest. m1 goes on acknowledging the writes for its slots — "
            + "replicating them to nobody. After cluster-node-timeout (15 s) m1 marks m2 and m3 PFAIL: it reaches only 1 of the 3 "
            + "masters, a minority, so its cluster_state turns fail and it answers -CLUSTERDOWN The cluster is down. On the "
            + "majority side m1 is PFAIL, then FAIL, and r1 wins the election and takes m1's slots with a greater configEpoch. "
            + "At 28 s the partition heals: m1 hears of r1's configEpoch (PONG, UPDATE) and turns into r1's replica, and the full "
            + "resync discards every write m1 acknowledged after the split. This is Redis Cluster's documented window: it is not "
            + "CP; writes to a minority master are lost, but only for about node-timeout.",
        "at 3s partition m1,client|m2,m3,r1,r2,r3; at 28s heal", 40), "redis.cluster-minority-loses-the-window", f -> {
          List<ClusterClient.Ack> lost = f.client() == null ? List.of() : f.ledger().lost(f.client());
          long fromM1 = lost.stream().filter(a -> "m1".equals(a.server())).count();
          long lastLostMs = lost.stream().filter(a -> a.server() != null).mapToLong(a -> a.atNanos() / 1_000_000).max().orElse(0);
          Long downAt = f.ledger().firstDownAfter("m1", PARTITION_AT_MS * 1_000_000);
          // m1's first unanswered PING leaves at most node-timeout/2 after the split; node-timeout later it is in a minority
          long bound = PARTITION_AT_MS + NODE_TIMEOUT_MS * 3 / 2 + 1_000;
          boolean promoted = f.ledger().promotions.stream().anyMatch(p -> p.old().equals("m1"));
          CheckResult loss = f.ledger().ackedWritesSurvive("redis.cluster-acked-writes-survive");
          return CheckResult.of("redis.cluster-minority-loses-the-window", promoted && downAt != null && fromM1 > 0 && lastLostMs <= bound,
              fromM1 + " writes acknowledged by m1 lost, the last at " + lastLostMs + "ms; m1 answered -CLUSTERDOWN from "
                  + (downAt == null ? "never" : downAt / 1_000_000 + "ms") + "; bound: nothing acknowledged after " + bound
                  + "ms (the split + node-timeout * 1.5 + 1 s) may be lost; client " + describe(f.client()) + "; " + loss.detail());
        });
  }

  private static String describe(ClusterClient c) {
    return c == null ? "?" : c.describeState();
  }
}
