package sim.redis.scenario;

import java.util.List;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.redis.sentinel.SentinelBreaks;

/** The Sentinel lessons: how Redis handles a master failure, and what a split brain costs. */
final class SentinelLessons {
  private SentinelLessons() {}

  static List<Scenario> scenarios() {
    return List.of(failover(), splitBrain(false), splitBrain(true));
  }

  static List<BreakRule> breakRules() {
    return List.of(new BreakRule(SentinelBreaks.VOTE_TWICE_PER_EPOCH, "redis.sentinel-failover",
        "a sentinel grants its vote to every candidate of the current epoch instead of once; s1 and s2, which cannot talk to "
            + "each other, both try a failover in epoch 1 and s3 votes for both: two leaders in one epoch "
            + "(redis.sentinel-one-leader-per-epoch)"));
  }

  static Scenario failover() {
    return new SentinelScenario(SentinelScenario.lesson("redis.sentinel-failover",
        "How Redis handles failures: the master crashes, the sentinels agree it is down, elect a leader, promote the best replica",
        "Three sentinels monitor mymaster (redis:6379, quorum 2, down-after-milliseconds 5000). Each PINGs the master every "
            + "second; at 3 s the master crashes and 5 s after its first unanswered PING each sentinel marks it +sdown. A sentinel "
            + "in SDOWN asks the others SENTINEL is-master-down-by-addr; with 2 of 3 agreeing it is +odown. It then bumps its "
            + "current epoch (+new-epoch, +try-failover) and asks for votes with its run id: each sentinel votes once per epoch, "
            + "for the first to ask, and fsyncs sentinel.conf before answering; a majority of the sentinels (and at least quorum) "
            + "makes it the leader (+elected-leader). The leader picks a replica — not down, recently seen, lowest "
            + "slave-priority, then the greatest replication offset, then the smallest run id (+selected-slave) — sends it "
            + "REPLICAOF NO ONE, sees it report role:master (+promoted-slave), points the other replica at it (+slave-reconf-*) "
            + "and publishes the new configuration (+switch-master), which the other sentinels adopt by its greater config "
            + "epoch. The client asks SENTINEL get-master-addr-by-name after its writes time out and follows the new master. "
            + "s1 and s2 cannot talk to each other (a partition between the two): each reaches ODOWN with s3's answer, and "
            + "when both try a failover in the same epoch s3's single vote decides. At 12 s the old master restarts with its "
            + "AOF, reports role:master, and the sentinels turn it into a replica of the new one (+convert-to-slave): writes "
            + "it acknowledged that never reached the promoted replica are gone (asynchronous replication).",
        "at 1s partition s1|s2; at 3s crash redis; at 12s restart redis", 26), 0, "redis.sentinel-failed-over", f -> {
          boolean switched = f.ledger().events("+switch-master") >= 2;
          boolean followed = f.client() != null && f.client().mastersSeen().size() >= 2;
          CheckResult loss = f.ledger().ackedWritesSurvive("redis.sentinel-acked-writes-survive");
          return CheckResult.of("redis.sentinel-failed-over", switched && followed && !f.ledger().promotions.isEmpty(),
              f.ledger().events("+sdown") + " +sdown, " + f.ledger().events("+odown") + " +odown, " + f.ledger().events("+elected-leader")
                  + " +elected-leader, " + f.ledger().events("+switch-master") + " +switch-master; client followed "
                  + (f.client() == null ? "?" : f.client().mastersSeen()) + "; " + loss.detail());
        });
  }

  private static final String PARTITION = "at 3s partition redis,client,s1|replica1,replica2,s2,s3; at 16s heal";
  private static final long PARTITION_AT_MS = 3000;

  static Scenario splitBrain(boolean minReplicas) {
    String name = minReplicas ? "redis.sentinel-split-brain-min-replicas" : "redis.sentinel-split-brain";
    String summary = minReplicas
        ? "the same split brain with min-replicas-to-write 1 / min-replicas-max-lag 10: the old master stops taking writes, the loss is bounded"
        : "split brain: the master is cut off with a client; the majority promotes a replica; what the old master acknowledged meanwhile is lost";
    String story = "At 3 s the network splits: the master, one sentinel (s1) and the client on one side, both replicas and s2, s3 on "
        + "the other. The majority's sentinels see the master +sdown, agree (+odown, 2 of 3), elect a leader and promote a replica: "
        + "a new master. The client never notices: the old master still answers it, and s1 still names it. ";
    story += minReplicas
        ? "But every server runs with min-replicas-to-write 1 and min-replicas-max-lag 10: once no replica has acknowledged for "
            + "more than 10 s (replicationCron counts the good replicas every second, in whole seconds) the old master answers "
            + "-NOREPLICAS Not enough good replicas to write. The writes it acknowledged between the promotion and then are still "
            + "lost when the partition heals at 16 s and the sentinels make it a replica of the new master — but the window is "
            + "bounded: nothing acknowledged later than the partition + 10 s + the ACK and cron periods."
        : "It acknowledges every write, and at 16 s, when the partition heals, s1 adopts the new configuration (a greater config "
            + "epoch in the hellos) and the sentinels turn the old master into a replica of the new one (+convert-to-slave): a "
            + "full resync discards every write it acknowledged after the promotion. The famous lesson: Redis with Sentinel is "
            + "not a CP system; asynchronous replication plus a partition loses acknowledged writes.";
    return new SentinelScenario(SentinelScenario.lesson(name, summary, story, PARTITION, 30), minReplicas ? 1 : 0,
        minReplicas ? "redis.min-replicas-bounds-the-split-brain-loss" : "redis.split-brain-lost-acked-writes", f -> {
          List<sim.redis.sentinel.SentinelClient.Ack> lost = f.ledger().lost();
          long splitBrain = lost.stream().filter(f.ledger()::splitBrain).count();
          long lastLostMs = lost.stream().mapToLong(a -> a.atNanos() / 1_000_000).max().orElse(0);
          CheckResult loss = f.ledger().ackedWritesSurvive("redis.sentinel-acked-writes-survive");
          boolean promoted = !f.ledger().promotions.isEmpty();
          String detail = lost.size() + " acknowledged writes lost, " + splitBrain + " of them acknowledged by the old master after "
              + "the promotion, the last at " + lastLostMs + "ms; refusals: " + (f.client() == null ? "?" : f.client().refused() + " ("
              + f.client().refusals() + ")") + "; " + loss.detail();
          if (!minReplicas) return CheckResult.of("redis.split-brain-lost-acked-writes", promoted && splitBrain > 0, detail);
          boolean refused = f.client() != null && f.client().refusals().contains("NOREPLICAS");
          long bound = PARTITION_AT_MS + 10_000 + 2_000;
          return CheckResult.of("redis.min-replicas-bounds-the-split-brain-loss", promoted && refused && lastLostMs <= bound,
              detail + "; bound: nothing acknowledged after " + bound + "ms may be lost");
        });
  }
}
