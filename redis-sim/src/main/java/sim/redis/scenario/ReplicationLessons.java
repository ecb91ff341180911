package sim.redis.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.redis.scenario.ReplicationScenario.Options;
import sim.redis.server.BreakRules;

/** The replication lessons: asynchronous replication loses acknowledged writes, WAIT narrows that window, PSYNC. */
final class ReplicationLessons {
  private ReplicationLessons() {}

  private static final String FAILOVER = "at 2800ms block redis->replica; at 3s crash redis; at 3500ms heal; at 5s restart redis";
  private static final long MB = 1024 * 1024;

  static List<Scenario> scenarios() {
    return List.of(asyncLoss(), waitNarrows(), partialResync());
  }

  static List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(BreakRules.PSYNC_IGNORES_REPLID, "redis.replication-async-loss",
            "the master answers +CONTINUE whenever the offset fits its backlog, whatever history the replid names; the old "
                + "master, rejoining with its own diverged history, is streamed the new master's writes on top of the writes "
                + "nobody else has: redis.replica-is-a-prefix-of-the-master fails"),
        new BreakRule(BreakRules.WAIT_COUNTS_UNACKED, "redis.wait-narrows-window",
            "WAIT counts every connected replica, acknowledged or not; it answers 1 for writes the replica never received, and "
                + "the failover loses them: redis.wait-confirmed-writes-survive-failover fails"),
        new BreakRule(BreakRules.REPLICA_ACCEPTS_WRITES, "redis.partial-resync",
            "a read-only replica executes a stray client's SETs instead of answering -READONLY; its dataset is no longer its "
                + "master's at any offset: redis.replica-is-a-prefix-of-the-master fails"));
  }

  static Scenario asyncLoss() {
    return new ReplicationScenario(ReplicationScenario.lesson("redis.replication-async-loss",
        "asynchronous replication: the master acknowledges writes the replica never got, the replica is promoted, they are gone",
        "The master (redis, appendfsync always) streams every write to its replica (replicaof redis 6379): the replica's "
            + "PSYNC ? -1 got +FULLRESYNC <replid> <offset> and the RDB (redis.repl.fullresync, redis.repl.connected), then the "
            + "commands as they propagate, the same RESP the AOF gets. The +OK leaves the master as soon as the AOF is "
            + "fsynced: no replica is waited for. The replica reports its offset once a second (REPLCONF ACK). At 2.8 s the "
            + "link from redis to the replica fails (block redis->replica), at 3 s the master crashes. The writer's operator "
            + "waits a second of silence and runs REPLICAOF NO ONE on the replica (redis.repl.promoted: a new replid, the old "
            + "one kept as replid2). The writes acknowledged after the replica's last ACK were never on it: lost, and "
            + "asynchronous replication is the rule that allows it. At 5 s the old master restarts with them (its AOF) and at "
            + "5.5 s the operator makes it REPLICAOF replica 6379: its PSYNC names a history the new master does not have, so "
            + "it gets a full resync and its extra writes are discarded.", FAILOVER, 8),
        new Options(0, MB, false, Durations.millis(5500)), "redis.async-replication-lost-acked-writes", f -> {
          CheckResult r = ReplicationScenario.survivors(f.sim(), f.ledger(), false);
          boolean lost = r.status() == CheckResult.Status.EXPECTED;
          return CheckResult.of("redis.async-replication-lost-acked-writes", f.client().failedOver() && lost,
              (f.client().failedOver() ? "failed over; " : "no failover; ") + r.detail());
        });
  }

  static Scenario waitNarrows() {
    return new ReplicationScenario(ReplicationScenario.lesson("redis.wait-narrows-window",
        "WAIT 1 after each write: what WAIT confirmed survives the failover; what it did not may still be lost",
        "The same failover as redis.replication-async-loss, but the writer follows every SET with WAIT 1 100: the master "
            + "asks its replica for an ACK (REPLCONF GETACK * in the stream) and answers with the number of replicas whose "
            + "acknowledged offset reached the client's last write. Once the link fails at 2.8 s WAIT answers 0 after 100 ms: "
            + "the application knows those writes are not on a replica. After the promotion every write WAIT confirmed is "
            + "there; the SETs acknowledged with +OK and then a WAIT of 0 are lost. WAIT narrows the window, it does not "
            + "close it: the +OK has already been sent, and WAIT makes no write durable or the replication synchronous.",
            FAILOVER, 8),
        new Options(100, MB, false, 0), "redis.wait-confirmed-writes-survived", f -> {
          CheckResult confirmed = ReplicationScenario.survivors(f.sim(), f.ledger(), true);
          CheckResult acked = ReplicationScenario.survivors(f.sim(), f.ledger(), false);
          boolean ok = f.client().failedOver() && confirmed.status() == CheckResult.Status.OK && f.client().waitConfirmedCount() > 0;
          return CheckResult.of("redis.wait-confirmed-writes-survived", ok, f.client().waitConfirmedCount() + " writes confirmed by WAIT; "
              + confirmed.detail() + "; of all acknowledged writes: " + acked.status() + " (" + acked.detail() + ")");
        });
  }

  static Scenario partialResync() {
    return new ReplicationScenario(ReplicationScenario.lesson("redis.partial-resync",
        "a short disconnection continues from the backlog (+CONTINUE); one longer than the backlog needs a full resync",
        "repl-backlog-size is 16kb here (the smallest Redis accepts): about two seconds of this writer's stream. At 2 s the "
            + "network between redis and the replica fails for 300 ms; messages are lost, and when it heals the replica sees "
            + "the gap in its stream as a broken connection (redis.repl.link-down). Its next replicationCron sends PSYNC with "
            + "the master's replid and its offset + 1: the backlog still holds everything after it, so the master answers "
            + "+CONTINUE and sends only the missing bytes (redis.repl.continue). At 4 s the network fails for 4 s: the master "
            + "writes about 32 KB meanwhile and the replica's offset falls out of the backlog, so the same PSYNC gets "
            + "+FULLRESYNC and a new RDB (redis.repl.fullresync). A stray client writing to the replica is refused: "
            + "-READONLY You can't write against a read only replica.",
        "at 2s partition redis|replica; at 2300ms heal; at 4s partition redis|replica; at 8s heal", 11),
        new Options(0, 16 * 1024, true, 0), "redis.backlog-then-full-resync", f -> {
          int cont = f.master().of("redis.repl.continue");
          int full = f.master().of("redis.repl.fullresync");
          boolean readonly = f.stray() != null && f.stray().refusedReadonly() > 0 && f.stray().accepted() == 0;
          return CheckResult.of("redis.backlog-then-full-resync", cont >= 1 && full >= 2 && readonly, cont + " partial resync(s), "
              + full + " full resync(s) (the first one at start); stray writes refused with -READONLY: "
              + (f.stray() == null ? 0 : f.stray().refusedReadonly()) + ", accepted: " + (f.stray() == null ? 0 : f.stray().accepted()));
        });
  }
}
