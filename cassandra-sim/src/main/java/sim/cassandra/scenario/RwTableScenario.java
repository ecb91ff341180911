package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.CassandraNode;
import sim.cassandra.storage.CommitLogSync;
import sim.cassandra.storage.StorageConfig;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * The R + W > RF table, one seed at a time: for each pair of write and read levels among ONE, QUORUM and
 * ALL, one write under a fault the seed picks, then at once a read of the same key through another
 * coordinator. {@code \rwtable} lists each trial's outcome; the lab sweeps seeds and charts the share of
 * seeds whose read was stale, pair by pair.
 */
final class RwTableScenario extends LessonScenario {
  static final String NAME = "cassandra.rw-table";
  static final String INSPECTOR = "rwtable";
  static final int RF = 3;

  private RwTableScenario(Lesson l) {
    super(l);
  }

  static RwTableScenario create() {
    return new RwTableScenario(new Lesson(NAME,
        "The R + W > RF table, one seed: every write/read level pair under a fault during the write; only R + W <= RF reads come back stale",
        "Three nodes, RF 3, commitlog_sync batch (so no crash loses an acknowledged write and only the levels decide). The client writes 'old' to keys k0..k8 at ALL, then runs one trial per (W, R) pair of ONE, QUORUM and ALL, 3 s apart. In each the seed picks a write coordinator and a fault: the coordinator's link to one or two other replicas is cut one way (they keep gossiping, so it believes them UP and their copy of the mutation is lost), or another replica crashes just before the write. The write goes out at W ('new', with a client timestamp); the moment it is acknowledged a read of the key goes to another coordinator at R. With R + W > RF the W replicas that acknowledged and the R that answer share one, so the read returns 'new' (a digest mismatch and a read repair when they differ); with R + W <= RF the read may be answered by replicas the write never reached, and returns 'old'. The fault is undone once the read answers. \\rwtable lists every trial; the lab's charts tab runs this over many seeds. --break cassandra.read-one-replica-for-quorum reads one replica for QUORUM, and QUORUM/QUORUM reads turn stale.",
        "", 45_000_000_000L, 5_000_000_000L));
  }

  @Override
  public void setup(Simulation sim) {
    Set<String> breaks = new TreeSet<>();
    if (sim.isBroken(CassandraNode.BREAK_READ_ONE)) breaks.add(CassandraNode.BREAK_READ_ONE);
    StorageConfig storage = StorageConfig.defaults().withSync(CommitLogSync.BATCH);
    Checks.Watch watch = new Checks.Watch(sim);
    CassandraCluster cluster = CassandraCluster.build(sim, RF, 1, storage, c -> c, breaks);
    History history = new History(sim);
    RwTrials trials = new RwTrials(sim, cluster.nodes(), RF);
    List<String> schema = CassandraScenario.schema(RF, "", List.of("ks.kv"));
    sim.addClient(NodeId.of("rw"), () -> new RwTrialClient(trials, history, schema));
    List<String> replicas = new ArrayList<>();
    for (NodeId n : cluster.nodes()) replicas.add(n.name());
    sim.addInvariant("cassandra.sstables-immutable", () -> Checks.sstablesImmutable(watch));
    sim.addFinalCheck("cassandra.acked-writes-readable",
        () -> Checks.ackedWritesReadable("cassandra.acked-writes-readable", history, RF, CommitLogSync.BATCH, 0, watch, replicas));
    sim.addLessonCheck("cassandra.stale-only-without-overlap", () -> staleBelowOverlap(trials));
    sim.addInspector(INSPECTOR, "\\rwtable: each (W, R) trial of cassandra.rw-table: its fault, coordinators and whether the read was stale",
        arg -> trials.render());
  }

  /** LESSON: some pair with R + W <= RF read a stale value (the seed's faults may spare them all). */
  private static CheckResult staleBelowOverlap(RwTrials trials) {
    List<String> stale = new ArrayList<>();
    for (RwTrials.Trial t : trials.trials) if (!t.overlap(RF) && t.outcome == RwTrials.Outcome.STALE) stale.add(t.write + "/" + t.read);
    return CheckResult.of("cassandra.stale-only-without-overlap", !stale.isEmpty(),
        "stale reads with R + W <= RF: " + (stale.isEmpty() ? "none this seed" : String.join(", ", stale)) + " (W/R)");
  }
}
