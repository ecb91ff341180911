package sim.es.scenario;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.core.trace.TraceEvent;
import sim.es.cluster.coordination.Coordinator;
import sim.es.cluster.node.ClusterConfig;
import sim.es.cluster.node.EsNode;
import sim.es.engine.EsConfig;

/** The cluster lessons: failover, a partitioned master, a stale copy, disk watermarks. */
final class ClusterLessons {
  static final List<String> THREE = List.of("es1", "es2", "es3");
  static final EsConfig ENGINE = EsConfig.defaults().withFlushThresholdSizeBytes(16 * 1024);

  private ClusterLessons() {}

  static List<Scenario> scenarios() {
    List<Scenario> all = new java.util.ArrayList<>(List.of(failoverPrimary(), masterPartition(), staleCopy(), diskWatermark(), SafeCommitLesson.scenario(),
        ScoringLesson.scenario()));
    all.addAll(RecoveryLessons.scenarios());
    all.addAll(VotingLessons.scenarios());
    return all;
  }

  static CheckResult green(ClusterScenario.Run run) {
    return CheckResult.of("es.cluster-green-at-end", run.checks().health().equals("green"), "cluster health " + run.checks().health());
  }

  static Scenario failoverPrimary() {
    ClusterConfig config = ClusterConfig.of(THREE, 3, 1, ENGINE);
    return new ClusterScenario(new Lesson("es.failover-primary",
        "How Elasticsearch handles failures: the node holding a primary dies, the master promotes an in-sync replica with a new primary term, nothing acknowledged is lost",
        "Three master-eligible data nodes hold an index of 3 primaries with 1 replica each, one primary per node. A client writes a document every 50ms through any node. From 7s es2, which holds shard 1's primary, can no longer send to the other nodes (a one-way block): its replica requests go nowhere, so it acknowledges nothing more on shard 1 — the writes wait for the replica — while the clients still reach it. At 8s es2 crashes: the master hears the connection reset (node-left), fails the copies on it and promotes shard 1's replica — only a copy in the in-sync set may become primary — with the next primary term; the new primary fills its seq_no gaps, resyncs what it has above the global checkpoint, and writes go on. At 16s the node restarts, rejoins with its copy on disk, and recovers it as a replica from the new primary, by operations if its retention lease still covers them. --break es.ack-before-replicas acknowledges before the replica answers: the writes of that last second are acknowledged, and the failover loses them. \\shards shows primary terms, in-sync sets and checkpoints; \\cluster the master, term and version.",
        "at 7s block es2->es1; at 7s block es2->es3; at 8s crash es2; at 9s heal; at 16s restart es2", Durations.seconds(30), Durations.seconds(20)), config, Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          sim.addLessonCheck("es.replica-promoted", () -> {
            long promoted = run.checks().allocationChanges.stream().filter(c -> c.contains("promoted to primary")).count();
            return CheckResult.of("es.replica-promoted", promoted > 0, promoted + " replicas promoted to primary");
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> green(run));
        });
  }

  /** At 6s the elected master, whichever node it is, is cut off from the other two; the cut heals at 50s. */
  static Scenario masterPartition() {
    ClusterConfig config = ClusterConfig.of(THREE, 3, 1, ENGINE);
    return new ClusterScenario(new Lesson("es.master-partition",
        "a master partitioned away: it cannot commit, steps down, the majority elects a new master in a higher term — never two masters in one term",
        "Three master-eligible nodes; a client writes every 50ms through any node. At 6s the elected master is cut off from the other two nodes (the client still reaches all three). Nothing tells anyone at once: a partition is silence. The followers' leader checks (cluster.fault_detection.leader_check: every 1s, 10s timeout, 3 retries) give up after about 30s; they become candidates, one wins a pre-vote and an election in the next term with the other's vote — a majority of the voting configuration — and the new master fails the copies on the old one, promoting their replicas. The old master's follower checks give up too; its node-left publication cannot reach a quorum, so it steps down. Meanwhile it acknowledges nothing: its primaries' replicas are unreachable, and it cannot get them marked stale without committing a cluster state. At 50s the partition heals: the old master finds the new one and joins it as a follower. \\cluster shows each node's mode, term and applied version.",
        "", Durations.seconds(60), Durations.seconds(20)), config, Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          String[] cut = new String[1]; // per run: explore reuses the scenario for every seed
          long[] oldTerm = new long[1];
          sim.schedule(Durations.seconds(6), "partition the elected master away from the other nodes", () -> {
            for (NodeId n : run.nodes()) {
              if (sim.isUp(n) && sim.node(n, EsNode.class).coordinator().mode() == Coordinator.Mode.LEADER) {
                cut[0] = n.name();
                oldTerm[0] = sim.node(n, EsNode.class).coordinator().term();
              }
            }
            if (cut[0] == null) return;
            Set<NodeId> rest = new TreeSet<>(run.nodes());
            rest.remove(NodeId.of(cut[0]));
            sim.network().partition(Set.of(NodeId.of(cut[0])), rest);
            sim.trace().record("sim", "action", "partition " + cut[0] + " | " + rest);
          });
          sim.schedule(Durations.seconds(50), "heal the partition", () -> sim.network().heal());
          sim.addLessonCheck("es.old-master-stepped-down", () -> {
            boolean down = run.checks().stepDowns.stream().anyMatch(e -> e.node().equals(cut[0]) && e.timeNanos() > Durations.seconds(6));
            return CheckResult.of("es.old-master-stepped-down", down, cut[0] == null ? "no master at 6s"
                : cut[0] + (down ? " stepped down" : " never stepped down") + " after being cut off");
          });
          sim.addLessonCheck("es.new-master-in-higher-term", () -> {
            TraceEvent e = run.checks().elections.stream().filter(x -> x.timeNanos() > Durations.seconds(6) && !x.node().equals(cut[0])).findFirst().orElse(null);
            return CheckResult.of("es.new-master-in-higher-term", e != null, e == null ? "no election on the majority side" : e.detail()
                + " (the old master led term " + oldTerm[0] + ")");
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> green(run));
        });
  }

  /** The replica dies, writes go on without it, the primary dies too; the replica's node comes back first. */
  static Scenario staleCopy() {
    ClusterConfig base = ClusterConfig.of(THREE, 1, 1, ENGINE);
    ClusterConfig config = base.withAllocation(base.allocation().withIncludeNodes(List.of("es1", "es2")));
    return new ClusterScenario(new Lesson("es.stale-copy-not-promoted",
        "a stale copy is never promoted: with the only in-sync copy down, the shard stays red rather than lose acknowledged writes",
        "One shard with one replica, kept on es1 and es2 (index.routing.allocation.include._name: es1,es2; es3 is master-eligible only for this index): the primary on es1, the replica on es2. At 5s es2 crashes; the primary's next write cannot reach it, so it asks the master to mark es2's copy stale — removed from the in-sync set — before it acknowledges, and writes go on with one copy. At 8s es1 crashes too: no copy is available and the shard is red. At 10s es2 comes back with its copy on disk, but that copy missed everything acknowledged since 5s, and its allocation id is no longer in the in-sync set: the master will not make it primary, the shard stays red, writes wait. At 15s es1 returns: its copy is in sync, so the master allocates the primary to it from its own disk (existing_store), its translog is replayed, and es2 recovers from it. Nothing acknowledged is lost. --break es.promote-stale-replica lets the master use the stale copy and loses those writes.",
        "at 5s crash es2; at 8s crash es1; at 10s restart es2; at 15s restart es1", Durations.seconds(25), Durations.seconds(20)), config,
        Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          sim.addLessonCheck("es.shard-red-while-only-stale-copy", () -> {
            boolean red = run.checks().allocationChanges.stream().anyMatch(c -> c.contains("primary is unassigned (red)"));
            boolean fromDisk = run.checks().allocationChanges.stream().anyMatch(c -> c.contains("from existing_store"));
            return CheckResult.of("es.shard-red-while-only-stale-copy", red && fromDisk, (red ? "the shard went red" : "the shard never went red")
                + (fromDisk ? "; its in-sync copy came back as primary from its own disk" : "; no primary was allocated from a disk copy"));
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> green(run));
        });
  }

  /** At 5s another process fills es3's data path past the flood stage. */
  static Scenario diskWatermark() {
    long disk = 4L * 1024 * 1024;
    ClusterConfig config = ClusterConfig.of(THREE, 3, 1, ENGINE).withDisk(disk, 30_000);
    return new ClusterScenario(new Lesson("es.disk-watermark",
        "disk watermarks: a node past the high watermark (90%) has its shards moved away; past flood stage (95%) the index becomes read-only until they are",
        "Three nodes with 4mb data paths hold 3 primaries and 3 replicas. At 5s another process fills es3's disk to 96%. The master hears of it at its next disk poll (cluster.info.update.interval, 30s): es3 is past the flood stage (95%), so the index gets index.blocks.read_only_allow_delete and writes are refused with 429 cluster_block_exception; es3 is past the high watermark (90%), so the DiskThresholdDecider says its copies cannot remain: each relocates to a node below the low watermark (85%) — the target recovers from the primary, then the source goes (a relocated primary hands over with a new primary term here). Once es3 holds nothing, its shard data is deleted and the block is released: writes are accepted again. The same-shard decider keeps the two copies of a shard on different nodes throughout.",
        "", Durations.seconds(50), Durations.seconds(15)), config, Durations.millis(50), 1, List.of(),
        (sim, run) -> {
          sim.schedule(Durations.seconds(5), "another process fills es3's disk to 96%", () -> {
            var d = sim.disk(NodeId.of("es3"));
            long fill = (long) (0.96 * disk) - d.totalBytes();
            if (fill <= 0) return;
            d.create("var/log/other-process.log");
            d.write("var/log/other-process.log", 0, new byte[(int) fill]);
          });
          sim.addLessonCheck("es.shards-moved-off-es3", () -> {
            var s = run.checks().masterState();
            long left = s == null ? -1 : s.onNode("es3").size();
            return CheckResult.of("es.shards-moved-off-es3", left == 0, left < 0 ? "no master" : "es3 holds " + left + " shard copies at the end");
          });
          sim.addLessonCheck("es.flood-stage-blocked-writes", () -> {
            long blocked = run.client()[0].errors.stream().filter(e -> "cluster_block_exception".equals(e.errorType())).count();
            boolean released = run.checks().allocationChanges.stream().anyMatch(c -> c.contains("read_only_allow_delete released"));
            return CheckResult.of("es.flood-stage-blocked-writes", blocked > 0 && released, blocked + " writes refused with 429 cluster_block_exception"
                + (released ? "; the block was released" : "; the block was never released"));
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> green(run));
        });
  }
}
