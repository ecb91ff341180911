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
    return List.of(failover());
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
}
