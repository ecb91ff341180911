package sim.es.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.core.trace.TraceEvent;
import sim.es.cluster.node.ClusterConfig;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ShardRouting;

/** Peer recovery by operations or by files (retention leases), and a replica's rollback when a new primary takes over. */
final class RecoveryLessons {
  private RecoveryLessons() {}

  static List<Scenario> scenarios() {
    return List.of(opsBasedRecovery(), replicaRollback());
  }

  /** es2's replica restarts after 2s (its lease holds: by operations), then after 18s (its lease expired at 10s: by files). */
  static Scenario opsBasedRecovery() {
    ClusterConfig base = ClusterConfig.of(ClusterLessons.THREE, 1, 1, ClusterLessons.ENGINE).withRetentionLeasePeriodMs(10_000);
    ClusterConfig config = base.withAllocation(base.allocation().withIncludeNodes(List.of("es1", "es2")));
    return new ClusterScenario(new Lesson("es.recovery-ops-based",
        "peer recovery by operations while the primary's retention lease holds, by files once it expired",
        "One shard with one replica on es1 and es2 (index.routing.allocation.include._name: es1,es2); a client writes every 50ms. The primary "
            + "holds a peer-recovery retention lease for every node with a copy (peer_recovery/<node>), renewed to the global checkpoint that "
            + "copy knows + 1: it keeps the operation history from there on (soft deletes in Elasticsearch). At 5s es2 crashes and at 7s it is "
            + "back: the replica first recovers locally up to its own global checkpoint (its safe commit plus its own translog, "
            + "recoverLocallyUpToGlobalCheckpoint), then asks the primary to start at the next seq_no; its lease still retains that, so the "
            + "recovery is operation-based — phase 1 (files) is skipped and phase 2 replays only what it missed (es.recovery.source). At 12s es2 "
            + "crashes again, for longer: a lease not renewed for index.soft_deletes.retention_lease.period (12h by default, 10s here) "
            + "expires (es.lease.expired), and the history it held may be trimmed at the next flush. When es2 returns at 30s the recovery is "
            + "file-based: the primary creates a new lease from its safe commit's local checkpoint + 1, phase 1 copies the safe commit (the "
            + "newest with max_seq_no at or below the global checkpoint, not the last), phase 2 replays the operations above it, and "
            + "finalisation marks the copy in sync.",
        "at 5s crash es2; at 7s restart es2; at 12s crash es2; at 30s restart es2", Durations.seconds(40), Durations.seconds(15)), config,
        Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          List<TraceEvent> recoveries = new ArrayList<>(); // per run: explore reuses the scenario for every seed
          List<TraceEvent> expiries = new ArrayList<>();
          sim.trace().addListener(e -> {
            if (e.kind().equals("es.recovery.source") && e.detail().contains(" on es2")) recoveries.add(e);
            if (e.kind().equals("es.lease.expired") && e.detail().contains("peer_recovery/es2")) expiries.add(e);
          });
          sim.addLessonCheck("es.recovery-by-operations-then-files", () -> {
            String first = modeBetween(recoveries, 7, 12);
            String second = modeBetween(recoveries, 30, 60);
            boolean expired = expiries.stream().anyMatch(e -> e.timeNanos() > Durations.seconds(12) && e.timeNanos() < Durations.seconds(30));
            return CheckResult.of("es.recovery-by-operations-then-files", "operation".equals(first) && expired && "file".equals(second),
                "after the 2s restart: " + (first == null ? "no recovery" : first + "-based") + "; lease peer_recovery/es2 "
                    + (expired ? "expired" : "never expired") + " while es2 was down; after the 18s restart: "
                    + (second == null ? "no recovery" : second + "-based"));
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> ClusterLessons.green(run));
        });
  }

  private static String modeBetween(List<TraceEvent> events, long fromS, long toS) {
    for (TraceEvent e : events) {
      if (e.timeNanos() >= Durations.seconds(fromS) && e.timeNanos() < Durations.seconds(toS)) return String.valueOf(EsScenario.Ledger.attr(e, "mode"));
    }
    return null;
  }

  /**
   * One shard, two replicas. At 6s the primary can no longer send to the replica the master will promote; at 7s
   * the primary crashes. The other replica got the operations the promoted one lacks: it must roll them back.
   */
  static Scenario replicaRollback() {
    ClusterConfig config = ClusterConfig.of(ClusterLessons.THREE, 1, 2, EsScenarios.REQUEST); // flushes every 4kb: commits to reopen
    return new ClusterScenario(new Lesson("es.replica-rollback",
        "a replica rolls back to the global checkpoint when a new primary takes over: from its safe commit and its own translog",
        "One shard with two replicas, one copy per node; a client writes every 50ms. At 6s the primary can no longer send to the replica the "
            + "master will promote (a one-way block): that replica misses the operations from then on, while the other replica applies them; "
            + "none is acknowledged (the primary waits for every in-sync copy), so the global checkpoint stays where the cut-off replica was. "
            + "At 7s the primary's node crashes and the master promotes the cut-off replica, with the next primary term. The other replica "
            + "holds operations above the global checkpoint the new primary never had: when it hears of the new term it resets its engine "
            + "to the global checkpoint as Elasticsearch does (IndexShard.resetEngineToGlobalCheckpoint) — it reopens its store at the safe "
            + "commit for the global checkpoint, deletes newer commits (they hold what is being discarded), and replays its own translog up "
            + "to the global checkpoint, not beyond (es.engine.reset); the new primary's resync (PrimaryReplicaSyncer) then sends what the "
            + "new primary has above it. --break es.reopen-past-global-checkpoint reopens the last commit and replays the whole translog: "
            + "the replica keeps documents no primary has.",
        "", Durations.seconds(25), Durations.seconds(15)), config, Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          String[] roles = new String[3]; // primary node, replica to be promoted, other replica; per run, like everything here
          List<TraceEvent> resets = new ArrayList<>();
          sim.trace().addListener(e -> {
            if (e.kind().equals("es.engine.reset") && "reset".equals(EsScenario.Ledger.attr(e, "why"))) resets.add(e);
          });
          sim.schedule(Durations.seconds(6), "block the primary's messages to the replica the master would promote", () -> {
            ClusterState s = run.checks().masterState();
            ShardRouting primary = s == null ? null : s.primary(0).orElse(null);
            if (primary == null || !primary.active()) return;
            List<String> inSync = s.index().inSync(0);
            List<ShardRouting> replicas = s.copies(0).stream().filter(r -> !r.primary() && r.active() && inSync.contains(r.allocationId())).toList();
            if (replicas.size() < 2) return;
            roles[0] = primary.nodeId();
            roles[1] = replicas.get(0).nodeId(); // AllocationService promotes the first active in-sync replica
            roles[2] = replicas.get(1).nodeId();
            sim.network().block(NodeId.of(roles[0]), NodeId.of(roles[1]));
            sim.trace().record("sim", "action", "block " + roles[0] + "->" + roles[1]);
          });
          sim.schedule(Durations.seconds(7), "crash the primary's node", () -> {
            if (roles[0] != null) sim.crash(NodeId.of(roles[0]));
          });
          sim.schedule(Durations.seconds(9), "heal the network", () -> sim.network().heal());
          sim.schedule(Durations.seconds(12), "restart the old primary's node", () -> {
            if (roles[0] != null && !sim.isUp(NodeId.of(roles[0]))) sim.restart(NodeId.of(roles[0]));
          });
          sim.addLessonCheck("es.replica-rolled-back", () -> {
            TraceEvent r = resets.stream().filter(e -> e.node().equals(roles[2]) && ((Number) EsScenario.Ledger.attr(e, "discarded")).longValue() > 0)
                .findFirst().orElse(null);
            return CheckResult.of("es.replica-rolled-back", r != null, roles[2] == null ? "no primary with two in-sync replicas at 6s"
                : r == null ? roles[2] + " never discarded operations above the global checkpoint" : roles[2] + ": " + r.detail());
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> ClusterLessons.green(run));
        });
  }
}
