package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.cluster.CassandraNode;
import sim.cassandra.cluster.NodeConfig;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Bytes;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.storage.CommitLogSync;
import sim.cassandra.storage.StorageConfig;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;

/** The Cassandra lessons: the three questions, and the edges of each mechanism. */
public final class CassandraScenarios implements ScenarioProvider {
  private static final UnaryOperator<NodeConfig> DEFAULTS = c -> c;
  private static final List<String> ALL3 = List.of("n1", "n2", "n3");
  private static final ConsistencyLevel ONE = ConsistencyLevel.ONE;
  private static final ConsistencyLevel QUORUM = ConsistencyLevel.QUORUM;
  private static final ConsistencyLevel ALL = ConsistencyLevel.ALL;

  private static long s(double seconds) {
    return (long) (seconds * 1e9);
  }

  private static CassandraScenario.Client client(String name, List<String> coords, String table, int keys, double writes,
      ConsistencyLevel w, ConsistencyLevel r, double from, double to, long gapMs) {
    return new CassandraScenario.Client(name, coords, table, keys, writes, w, r, s(from), s(to), Durations.millis(gapMs), false);
  }

  @Override
  public List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    StorageConfig periodic = StorageConfig.defaults();
    StorageConfig batch = StorageConfig.defaults().withSync(CommitLogSync.BATCH);
    all.add(new CassandraScenario(new Lesson("cassandra.write-path",
        "Explain the write path: coordinator -> replicas -> commit log -> memtable -> SSTable -> compaction",
        "Three nodes, RF 3. The client sends each INSERT to n1, its coordinator, which finds the key's token on the ring (16 vnodes a node) and sends the mutation to all three replicas (cassandra.coordinator.write). Each replica appends it to its commit log segment (cassandra.replica.commitlog-append, a page-cache write: commitlog_sync is periodic, so the fsync comes every 10 s) and inserts it into the memtable (cassandra.replica.memtable-insert), then acknowledges; with two of three acks the QUORUM write succeeds. At 6 s and 9 s nodetool flush writes each memtable as an immutable SSTable (nb-N-big-Data.db, Index, Summary, Filter, Statistics, Digest, TOC) and the commit log segments it covered are recycled; at 10 s nodetool compact merges the SSTables (cassandra.compaction). Step with breakpoints on those points; \\memtable and \\sstables show the state.",
        "", s(12), s(3)), 3, 3, "", periodic.withSegmentSizeBytes(4 << 10), DEFAULTS,
        List.of(client("app", List.of("n1"), "ks.kv", 20, 0.8, QUORUM, QUORUM, 2, 11, 50)), List.of(), CassandraScenarios::writePath));
    all.add(new CassandraScenario(new Lesson("cassandra.failure-hinted-handoff",
        "How Cassandra handles failures: a replica dies, coordinators keep hints for it and replay them when it returns",
        "Three nodes, RF 3, QUORUM writes and reads. n3 crashes at 5 s. Until the others' phi accrual failure detectors convict it (phi > phi_convict_threshold 8, about 18 s of silence with 1 s gossip), coordinators still send it mutations; when those go unanswered for write_request_timeout (2 s) they keep a hint for it (cassandra.hint.write). Once n3 is DOWN they hint at once instead of sending. QUORUM still succeeds with two replicas. n3 restarts at 35 s, replays its commit log, gossips its new generation; when the coordinators see it UP they replay their hints (cassandra.hint.replay) and n3 catches up on every write it missed, within max_hint_window (3 h). \\hints shows what each coordinator holds.",
        "at 5s crash n3; at 35s restart n3", s(60), s(15)), 3, 3, "", periodic, DEFAULTS,
        List.of(client("app", List.of("n1", "n2"), "ks.kv", 10, 0.6, QUORUM, QUORUM, 2, 55, 200)), List.of(), CassandraScenarios::hintedHandoff));
    all.add(new CassandraScenario(new Lesson("cassandra.consistency-levels",
        "How Cassandra achieves consistency: ONE/ONE reads can be stale, QUORUM/QUORUM (R + W > RF) never miss an acknowledged write",
        "Three nodes, RF 3. From 1 s the link from n1 to n3 is cut (one direction only: n3 still gossips, so everyone believes it is UP), so the mutations n1 coordinates never reach n3. Two pairs of clients: one writes at ONE through n1 and reads at ONE through n3; the other writes at QUORUM through n1 and reads at QUORUM through n3. A ONE write is acknowledged as soon as one replica has it; a ONE read coordinated by n3 asks n3 itself, which never got the write: it returns the older value. With QUORUM on both sides, 2 + 2 > 3: the two replicas that acknowledged and the two that answer the read always share one, so the read sees the write (a digest mismatch, then a read repair, when they differ). --break cassandra.read-one-replica-for-quorum makes the coordinator read one replica for QUORUM and the safety check fails.",
        "at 1s block n1->n3", s(20), s(3)), 3, 3, "", periodic, DEFAULTS,
        List.of(client("w-one", List.of("n1"), "ks.one", 3, 1.0, ONE, ONE, 2, 18, 40),
            client("r-one", List.of("n3"), "ks.one", 3, 0.0, ONE, ONE, 2, 18, 40),
            client("w-quorum", List.of("n1"), "ks.quorum", 3, 1.0, QUORUM, QUORUM, 2, 18, 40),
            client("r-quorum", List.of("n3"), "ks.quorum", 3, 0.0, QUORUM, QUORUM, 2, 18, 40)),
        List.of(CassandraNode.BREAK_READ_ONE), CassandraScenarios::consistencyLevels));
    all.add(new CassandraScenario(new Lesson("cassandra.read-repair",
        "Read repair: a stale replica is fixed by a read at ALL that sees the digests disagree",
        "Three nodes, RF 3, hinted handoff off. n3 is cut off from 3 s to 8 s while the writer keeps writing at QUORUM (n1 and n2 acknowledge). After the heal n3 is stale. From 9 s a reader reads every key at ALL through n1: n1 asks one replica for data and the others for digests; n3's digest differs (cassandra.coordinator.digest-mismatch), so n1 reads full data from all three, reconciles it (newest timestamp wins) and, before answering, sends n3 the difference and waits for its ack (cassandra.coordinator.read-repair: blocking read repair). At the end n3 holds exactly what n1 and n2 hold.",
        "at 3s partition n3|n1,n2,writer,reader; at 8s heal", s(16), s(3)), 3, 3, "", periodic, c -> withHints(c, false),
        List.of(client("writer", List.of("n1"), "ks.kv", 6, 1.0, QUORUM, QUORUM, 2, 8, 100),
            client("reader", List.of("n1"), "ks.kv", 6, 0.0, QUORUM, ALL, 9, 15, 100)), List.of(), CassandraScenarios::readRepair));
    all.add(new CassandraScenario(new Lesson("cassandra.commitlog-periodic-loss",
        "commitlog_sync periodic: every replica crashes and writes acknowledged since the last sync (up to 10 s) are lost",
        "Three nodes, RF 3, QUORUM writes with the default commitlog_sync: periodic, commitlog_sync_period 10000 ms: a replica acknowledges a write once it is in the commit log's page cache, and fsyncs every 10 s (cassandra.commitlog.sync). At 14 s all three machines crash at once. Each loses what it had not fsynced: the writes acknowledged after its last periodic sync. They restart at 16 s, replay what survived of their commit logs, and the reads that follow miss those writes. The check reports them as what periodic sync allows, naming each one; batch mode (cassandra.commitlog-batch-durable) loses nothing.",
        "at 14s crash n1; at 14s crash n2; at 14s crash n3; at 16s restart n1; at 16s restart n2; at 16s restart n3", s(30), s(3)), 3, 3, "", periodic, DEFAULTS,
        List.of(client("app", List.of("n1", "n2", "n3"), "ks.kv", 8, 0.7, QUORUM, QUORUM, 2, 29, 100)), List.of(), CassandraScenarios::periodicLoss));
    all.add(new CassandraScenario(new Lesson("cassandra.commitlog-batch-durable",
        "commitlog_sync batch: a write is acknowledged only after its commit log fsync, so even a crash of every replica loses nothing acknowledged",
        "The same cluster and crash of every machine at 14 s as cassandra.commitlog-periodic-loss, with commitlog_sync: batch: a replica acknowledges only when the fsync covering the write returns (fsync.wait, fsync.done), and writes that arrive during an fsync share the next one. Nothing acknowledged is lost. --break cassandra.ack-before-commitlog makes replicas acknowledge before the fsync, and the safety check finds the lost writes.",
        "at 14s crash n1; at 14s crash n2; at 14s crash n3; at 16s restart n1; at 16s restart n2; at 16s restart n3", s(30), s(3)), 3, 3, "", batch, DEFAULTS,
        List.of(client("app", List.of("n1", "n2", "n3"), "ks.kv", 8, 0.7, QUORUM, QUORUM, 2, 29, 100)), List.of(CassandraNode.BREAK_ACK_BEFORE_COMMITLOG), null));
    all.add(new CassandraScenario(new Lesson("cassandra.quorum-under-faults",
        "R + W > RF under crashes: QUORUM reads always return the newest acknowledged write",
        "Five nodes, RF 3, QUORUM writes and reads from two clients through different coordinators while n2 crashes and returns, and n4 is cut off for a while. Whatever happens, a read that started after a write was acknowledged returns that write or a newer one (by timestamp). Run it with --swarm for random faults.",
        "at 6s crash n2; at 9s partition n4|n1,n2,n3,n5,a,b; at 14s heal; at 16s restart n2", s(24), s(5)), 5, 3, "", batch, DEFAULTS,
        List.of(client("a", List.of("n1", "n3", "n5"), "ks.kv", 6, 0.5, QUORUM, QUORUM, 2, 23, 60),
            client("b", List.of("n5", "n2", "n4"), "ks.kv", 6, 0.5, QUORUM, QUORUM, 2, 23, 60)), List.of(), null));
    all.add(new CassandraScenario(new Lesson("cassandra.lwt-partition",
        "Lightweight transactions under a partition: Paxos keeps compare-and-set linearizable",
        "Three clients run compare-and-set on two keys (INSERT … IF NOT EXISTS, then UPDATE … IF v = <what I last saw>) and SERIAL reads, through different coordinators. Each goes through Paxos: prepare/promise with a ballot, a quorum read, propose/accept, commit (cassandra.paxos.*). At 6 s n1 is cut off from the others: its clients' transactions cannot gather a quorum and time out (their outcome unknown), while the majority side carries on; contention between clients makes some ballots lose and retry. The history of every CAS and SERIAL read is checked with the linearizability checker.",
        "at 6s partition n1|n2,n3,c2,c3; at 12s heal", s(18), s(4)), 3, 3, "", periodic, DEFAULTS,
        List.of(new CassandraScenario.Client("c1", List.of("n1", "n2"), "ks.reg", 2, 0.6, QUORUM, ConsistencyLevel.SERIAL, s(2), s(17), Durations.millis(30), true),
            new CassandraScenario.Client("c2", List.of("n2", "n3"), "ks.reg", 2, 0.6, QUORUM, ConsistencyLevel.SERIAL, s(2), s(17), Durations.millis(30), true),
            new CassandraScenario.Client("c3", List.of("n3", "n1"), "ks.reg", 2, 0.6, QUORUM, ConsistencyLevel.SERIAL, s(2), s(17), Durations.millis(30), true)),
        List.of(), CassandraScenarios::lwt));
    all.add(ZombieScenario.create());
    all.add(TombstoneTieScenario.create());
    all.add(RwTableScenario.create());
    all.add(SpeculativeRetryScenario.create());
    all.addAll(RingChangeScenarios.create());
    return all;
  }

  @Override
  public List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(CassandraNode.BREAK_ACK_BEFORE_COMMITLOG, "cassandra.commitlog-batch-durable",
            "replicas acknowledge a write before the commit log fsync that should cover it (commitlog_sync: batch)"),
        new BreakRule(CassandraNode.BREAK_READ_ONE, "cassandra.consistency-levels",
            "the coordinator reads a single replica for QUORUM, so R + W > RF no longer guarantees overlap"),
        new BreakRule(CassandraNode.BREAK_TOMBSTONE_TIE, "cassandra.lww-tombstone-tie",
            "on a timestamp tie a replica keeps the live cell it had instead of letting the tombstone win"),
        new BreakRule(CassandraNode.BREAK_INCONSISTENT_RANGE_MOVEMENT, "cassandra.bootstrap-node",
            "a bootstrapping node fetches each range from a replica that keeps it instead of the one giving it up (-Dcassandra.consistent.rangemovement=false)"));
  }

  static NodeConfig withHints(NodeConfig c, boolean on) {
    return new NodeConfig(c.endpoint(), c.ring(), c.storage(), c.writeRequestTimeoutMs(), c.readRequestTimeoutMs(), c.rangeRequestTimeoutMs(),
        c.casContentionTimeoutMs(), c.phiConvictThreshold(), on, c.maxHintWindowMs(), c.gossipIntervalMs(), c.ringDelayMs(), c.joinRing(), c.breaks());
  }

  // ---- lesson setups ----

  private static void seen(Simulation sim, CassandraScenario.Run run, String check, String... kinds) {
    sim.addLessonCheck(check, () -> {
      List<String> missing = new ArrayList<>();
      StringBuilder counts = new StringBuilder();
      for (String k : kinds) {
        counts.append(k).append('=').append(run.watch.seen(k)).append(' ');
        if (run.watch.seen(k) == 0) missing.add(k);
      }
      return CheckResult.of(check, missing.isEmpty(), counts.toString().strip() + (missing.isEmpty() ? "" : "; never happened: " + missing));
    });
  }

  private static void writePath(Simulation sim, CassandraScenario.Run run) {
    NodeId operator = NodeId.of("n1");
    for (NodeId n : run.cluster.nodes()) {
      sim.schedule(s(6), "nodetool flush " + n, () -> sim.inject(operator, n, new CassandraMessage.NodetoolFlush()));
      sim.schedule(s(9), "nodetool flush " + n, () -> sim.inject(operator, n, new CassandraMessage.NodetoolFlush()));
      sim.schedule(s(10), "nodetool compact " + n, () -> sim.inject(operator, n, new CassandraMessage.NodetoolCompact(true)));
    }
    seen(sim, run, "cassandra.write-path-happened", "cassandra.coordinator.write", "cassandra.replica.commitlog-append",
        "cassandra.replica.memtable-insert", "cassandra.flush", "cassandra.commitlog.discard", "cassandra.compaction");
  }

  private static void hintedHandoff(Simulation sim, CassandraScenario.Run run) {
    seen(sim, run, "cassandra.hints-written-and-replayed", "cassandra.hint.write", "cassandra.hint.replay", "cassandra.gossip.down", "cassandra.gossip.up");
    sim.addLessonCheck("cassandra.n3-caught-up", () -> caughtUp(sim, run, NodeId.of("n3"), "cassandra.n3-caught-up"));
  }

  /** Whether {@code node} holds, for every key, the newest acknowledged write. */
  private static CheckResult caughtUp(Simulation sim, CassandraScenario.Run run, NodeId node, String name) {
    CassandraNode n = run.cluster.node(node);
    if (n == null) return CheckResult.failed(name, node + " is down");
    List<String> behind = new ArrayList<>();
    TreeMap<String, Op> last = new TreeMap<>();
    for (Op o : run.history.ops()) {
      if (o.kind != Op.Kind.WRITE || o.status != Op.Status.OK) continue;
      last.merge(o.key, o, (a, b) -> a.timestamp >= b.timestamp ? a : b);
    }
    var table = n.storage().schema().table("ks.kv");
    for (Map.Entry<String, Op> e : last.entrySet()) {
      long ts = table == null ? Long.MIN_VALUE : newest(n, table, e.getKey());
      if (ts < e.getValue().timestamp) behind.add(e.getKey());
    }
    return CheckResult.of(name, behind.isEmpty() && !last.isEmpty(), node + " holds the newest acknowledged write of " + (last.size() - behind.size()) + "/" + last.size() + " keys" + (behind.isEmpty() ? "" : "; behind on " + behind));
  }

  static long newest(CassandraNode n, sim.cassandra.schema.TableMetadata table, String key) {
    Partition p = n.storage().read(table, DecoratedKey.of(Bytes.utf8(key)));
    if (p == null) return Long.MIN_VALUE;
    long m = Long.MIN_VALUE;
    for (var r : p.rows().values()) {
      var c = r.cells().get("v");
      if (c != null) m = Math.max(m, c.timestamp());
    }
    return m;
  }

  private static void consistencyLevels(Simulation sim, CassandraScenario.Run run) {
    sim.addLessonCheck("cassandra.one-one-read-was-stale", () -> {
      int stale = 0;
      int reads = 0;
      for (Op r : run.history.ops()) {
        if (r.kind != Op.Kind.READ || r.status != Op.Status.OK || r.consistency != ONE) continue;
        reads++;
        Op last = null;
        for (Op w : run.history.ops()) {
          if (w.kind == Op.Kind.WRITE && w.status == Op.Status.OK && w.key.equals(r.key) && w.completedNanos < r.invokedNanos && (last == null || w.timestamp > last.timestamp)) last = w;
        }
        if (last != null && r.resultTimestamp < last.timestamp) stale++;
      }
      return CheckResult.of("cassandra.one-one-read-was-stale", stale > 0, stale + " of " + reads + " ONE reads missed the last acknowledged ONE write (R + W = 2, not > RF 3)");
    });
  }

  private static void readRepair(Simulation sim, CassandraScenario.Run run) {
    seen(sim, run, "cassandra.read-repair-happened", "cassandra.coordinator.digest-mismatch", "cassandra.coordinator.read-repair");
    sim.addLessonCheck("cassandra.n3-repaired", () -> caughtUp(sim, run, NodeId.of("n3"), "cassandra.n3-repaired"));
  }

  private static void periodicLoss(Simulation sim, CassandraScenario.Run run) {
    sim.addLessonCheck("cassandra.periodic-sync-lost-writes", () -> {
      CheckResult r = Checks.ackedWritesReadable("loss", run.history, 3, CommitLogSync.PERIODIC, s(10), run.watch, ALL3);
      return CheckResult.of("cassandra.periodic-sync-lost-writes", r.expected(), "acknowledged writes lost in the crash of every replica: " + r.render());
    });
  }

  private static void lwt(Simulation sim, CassandraScenario.Run run) {
    sim.addFinalCheck("cassandra.lwt-linearizable", () -> Checks.lwtLinearizable("cassandra.lwt-linearizable", run.history));
    sim.addLessonCheck("cassandra.lwt-contention", () -> {
      long applied = run.history.ops().stream().filter(o -> o.kind == Op.Kind.CAS && Boolean.TRUE.equals(o.applied)).count();
      long refused = run.history.ops().stream().filter(o -> o.kind == Op.Kind.CAS && Boolean.FALSE.equals(o.applied)).count();
      return CheckResult.of("cassandra.lwt-contention", applied > 0 && refused > 0, applied + " CAS applied, " + refused + " not applied ([applied] = false)");
    });
  }
}
