package sim.es.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.es.cluster.node.ClusterConfig;
import sim.es.engine.EsConfig;

/** The safe commit: a copy that crashes recovers from its newest commit at or below the global checkpoint. */
final class SafeCommitLesson {
  private SafeCommitLesson() {}

  static Scenario scenario() {
    EsConfig engine = EsConfig.defaults().withFlushThresholdSizeBytes(2 * 1024);
    ClusterConfig base = ClusterConfig.of(ClusterLessons.THREE, 1, 1, engine);
    ClusterConfig config = base.withAllocation(base.allocation().withIncludeNodes(List.of("es1", "es2")));
    return new ClusterScenario(new Lesson("es.safe-commit",
        "the safe commit: a crashed copy recovers from its newest commit at or below the global checkpoint, then replays the translog",
        "One shard with one replica on es1 and es2 (index.routing.allocation.include._name: es1,es2); a client writes every 20ms, and "
            + "flush_threshold_size is 2kb, so both copies flush about every second. A flush's commit holds every operation the copy has — "
            + "including the newest ones, which the other copy may not have yet: its max_seq_no is above the global checkpoint. Elasticsearch's "
            + "CombinedDeletionPolicy therefore keeps the safe commit — the newest whose max_seq_no is at or below the global checkpoint the "
            + "translog persisted — besides the last one, and every translog generation holding an operation above the safe commit's local checkpoint (es.translog.trim says which "
            + "commit is safe). At 6.224s, just after a flush of es2's, the replica's node es2 crashes and at 8s it restarts: recovery reads the global checkpoint from "
            + "translog.ckp, opens the safe commit (not blindly the last), deletes the newer one (Store.trimUnsafeCommits: it may hold "
            + "operations a new primary never had, and Lucene cannot take a document out again), replays the translog above the safe "
            + "commit's local checkpoint (es.recovery), and then catches up from the primary by operations (its retention lease covers them). "
            + "At 14.5s the primary's node es1 crashes: es2 is promoted; at 16s es1 comes back, opens its safe commit the same way, and recovers "
            + "from the new primary — by files, since that primary holds no retention lease for it. --break es.keep-only-last-commit keeps only the "
            + "last commit, as Elasticsearch did before 6.2: the crashed copy restarts from a commit holding operations above its global "
            + "checkpoint.",
        "at 6224ms crash es2; at 8s restart es2; at 14500ms crash es1; at 16s restart es1", Durations.seconds(25), Durations.seconds(20)), config,
        Durations.millis(20), 1, List.of(),
        (sim, run) -> {
          sim.addLessonCheck("es.recovered-from-older-safe-commit", () -> {
            SafeCommitCheck c = run.checks().safeCommits;
            return CheckResult.of("es.recovered-from-older-safe-commit", c.olderSafeCommitsOpened > 0, c.olderSafeCommitsOpened
                + " store recoveries opened a safe commit older than the copy's last one" + (c.example.isEmpty() ? "" : " (" + c.example + ")"));
          });
          sim.addLessonCheck("es.cluster-green-at-end", () -> ClusterLessons.green(run));
        });
  }
}
