package sim.redis.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.redis.cluster.ClusterBreaks;
import sim.redis.cluster.ClusterNode;
import sim.redis.cluster.KeySlot;

/** The Redis Cluster resharding lesson: slots move between masters while clients write, through -ASK. */
final class ReshardLessons {
  private ReshardLessons() {}

  static List<Scenario> scenarios() {
    return List.of(resharding(), addNode());
  }

  static List<BreakRule> breakRules() {
    return List.of(new BreakRule(ClusterBreaks.MIGRATE_DELETES_BEFORE_RESTORE, "redis.cluster-resharding",
        "MIGRATE deletes the keys on the source when it sends their RESTORE-ASKING, before the target answered +OK: for that "
            + "moment no node has them, and a RESTORE that is lost or refused loses them for good (redis.cluster-migrate-keeps-a-copy)"));
  }

  static Scenario resharding() {
    Lesson lesson = new Lesson("redis.cluster-resharding",
        "live resharding: slots move from m1 to m2 key by key while a client writes to them, redirected with -ASK",
        "Three masters own 0-5460, 5461-10922 and 10923-16383 (configEpochs 1..3). A client writes new keys of three hash tags, "
            + "all in m1's slots. At 4 s an operator runs redis-cli --cluster reshard's sequence for each of the three slots: "
            + "CLUSTER SETSLOT <slot> IMPORTING m1 on m2, SETSLOT <slot> MIGRATING m2 on m1, then CLUSTER GETKEYSINSLOT <slot> 10 and "
            + "MIGRATE m2 6379 \"\" 0 2000 KEYS ... until the slot is empty: m1 sends each key as RESTORE-ASKING with its DUMP payload "
            + "and deletes it only after m2's +OK. Meanwhile a write to a key m1 no longer has (every new key) is answered -ASK <slot> "
            + "m2:6379; the client sends ASKING and the write to m2, which serves it because the slot is IMPORTING, and keeps its slot "
            + "map. Without ASKING m2 would answer -MOVED back to m1. Then SETSLOT <slot> NODE m2 on m2 (which bumps its configEpoch "
            + "without consensus to 4, so its claim wins in gossip), on m1 and on m3; the client's next write gets -MOVED to m2.",
        "at 4s duplicate 0.2; at 6s duplicate 0", Durations.seconds(14), Durations.seconds(10));
    return new ReshardScenario(lesson, "redis.cluster-slots-resharded", ReshardLessons::judge);
  }

  static Scenario addNode() {
    Lesson lesson = new Lesson("redis.cluster-add-node",
        "a fresh node joins a running cluster: CLUSTER MEET, the handshake, gossip spreading it, then slots resharded to it",
        "Three masters own the 16384 slots; m4 starts with cluster-enabled yes and nothing else: alone in its table, "
            + "cluster_state:fail, configEpoch 0. At 2 s an operator runs what redis-cli --cluster add-node does: CLUSTER MEET m1 "
            + "6379 on m4. m4 adds m1 under a random 40-hex name flagged handshake and, at its next clusterCron, sends it a MEET. "
            + "m1 does not know m4: because the packet is a MEET it adds m4 as a handshake node of its own and answers PONG; the "
            + "PONG's header names m1, so m4 renames its handshake node to m1 (\"Handshake with node m1 completed\"). m1's "
            + "handshake node gets its PING to m4 answered the same way. From then on m1 mentions m4 in its gossip sections, and "
            + "m2 and m3 add m4 with its exact name (Redis 7.0 never starts a handshake from gossip: the address might belong "
            + "to another cluster by now); m4 learns m2 and m3 the same way. m4 itself turns cluster_state:ok only about 5 s later: a master "
            + "that was in a minority (alone, it was) waits the rejoin delay, min(cluster-node-timeout, 5000 ms), for a newer "
            + "configuration to reach it first. At 8 s the operator reshards three of m1's slots "
            + "to m4 (SETSLOT IMPORTING/MIGRATING, MIGRATE, SETSLOT NODE, m4's configEpoch bumped without consensus), and the "
            + "client, redirected by -ASK and then -MOVED, writes to m4.",
        "at 2s duplicate 0.2; at 3s duplicate 0", Durations.seconds(16), Durations.seconds(12));
    return new ReshardScenario(lesson, "redis.cluster-node-joined", ReshardLessons::joined, true);
  }

  private static CheckResult joined(ReshardScenario.Facts f) {
    List<String> all = List.of("m1", "m2", "m3", "m4");
    StringBuilder views = new StringBuilder();
    boolean everyoneKnowsEveryone = true;
    for (String name : all) {
      ClusterNode n = f.reshard().node(name);
      boolean full = n != null && n.knownNodes().equals(all) && n.handshakes() == 0;
      everyoneKnowsEveryone &= full;
      views.append(name).append(" knows ").append(n == null ? "(down)" : n.knownNodes() + (n.handshakes() > 0 ? " + "
          + n.handshakes() + " handshake" : "")).append("; ");
    }
    boolean met = f.meet() != null && f.meet().replies().contains("+OK");
    CheckResult moved = judge(f, "m4");
    return CheckResult.of("redis.cluster-node-joined", met && everyoneKnowsEveryone && moved.ok(), "CLUSTER MEET answered "
        + (f.meet() == null ? "(operator down)" : f.meet().replies()) + "; " + views + moved.detail());
  }

  private static CheckResult judge(ReshardScenario.Facts f) {
    return judge(f, "m2");
  }

  private static CheckResult judge(ReshardScenario.Facts f, String target) {
    List<Integer> slots = ReshardScenario.movedSlots();
    boolean done = f.operator() != null && f.operator().done();
    ClusterNode m1 = f.reshard().node("m1");
    ClusterNode m2 = f.reshard().node(target);
    boolean owned = m2 != null && slots.stream().allMatch(s -> target.equals(f.ledger().owner(s)));
    boolean newer = m1 != null && m2 != null && m2.configEpoch() > m1.configEpoch();
    long left = m1 == null ? -1 : m1.redis().server().keyspace().db(0).keys().stream().filter(k -> slots.contains(KeySlot.of(k))).count();
    long onTarget = m2 == null ? 0 : m2.redis().server().keyspace().db(0).keys().stream().filter(k -> slots.contains(KeySlot.of(k))).count();
    CheckResult loss = f.ledger().ackedWritesSurvive("redis.cluster-acked-writes-survive");
    boolean asked = f.reshard().asks > 0 && f.client() != null && f.client().asks() > 0;
    return CheckResult.of("redis.cluster-slots-resharded", done && owned && newer && left == 0 && asked && loss.ok(),
        "slots " + slots + " moved: " + (f.operator() == null ? "no operator" : f.operator().describeState()) + "; owned by " + target + " at the end: "
            + owned + "; configEpoch " + target + " " + (m2 == null ? "down" : m2.configEpoch()) + " vs m1 " + (m1 == null ? "down" : m1.configEpoch())
            + "; keys of those slots on " + target + ": " + onTarget + ", left on m1: " + left + "; -ASK answered " + f.reshard().asks + " times, -TRYAGAIN "
            + f.reshard().tryagains + "; " + f.reshard().deletedKeys + " keys deleted by MIGRATE; client " + (f.client() == null ? "down"
            : f.client().describeState()) + "; " + loss.detail());
  }
}
