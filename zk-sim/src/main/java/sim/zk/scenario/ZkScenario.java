package sim.zk.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.ZkConfig;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

/**
 * A ZooKeeper lesson: an ensemble, writer clients, a fault plan, and the checks every scenario shares
 * (the ZAB invariants from {@link Ensemble}, acknowledged writes committed, convergence, progress after
 * healing) plus the lesson's own.
 */
final class ZkScenario extends LessonScenario {
  private final int servers;
  private final UnaryOperator<ZkConfig> tweak;
  private final int writers;
  private final BiConsumer<Simulation, Ensemble> extra;

  ZkScenario(String name, String summary, String explanation, int servers, String faultPlan, long durationNanos,
      UnaryOperator<ZkConfig> tweak, int writers, BiConsumer<Simulation, Ensemble> extra) {
    super(new Lesson(name, summary, explanation, faultPlan, durationNanos, Durations.seconds(40)));
    this.servers = servers;
    this.tweak = tweak;
    this.writers = writers;
    this.extra = extra;
  }

  @Override
  public void setup(Simulation sim) {
    Ensemble e = new Ensemble(sim, tweak.apply(ZkConfig.of(servers)));
    List<NodeId> clients = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      NodeId c = e.addClient("w" + (i + 1), i, 10_000);
      clients.add(c);
      String path = "/w" + (i + 1);
      Workload.drive(sim, e, c, Durations.seconds(1), Durations.millis(200),
          n -> Workload.created(e.client(c)) ? new Op.SetData(path, Integer.toString(n), -1) : new Op.Create(path, "0", false, false));
    }
    // Safety: what ZooKeeper promises under any faults (the ensemble's invariants are checked after every event).
    sim.addFinalCheck("zk.acked-writes-committed", () -> ackedCommitted(e, clients));
    sim.addFinalCheck("zk.znodes-linearizable", () -> e.linearizability("zk.znodes-linearizable"));
    sim.addFinalCheck("zk.zxid-order-respects-real-time", () -> writesInRealTimeOrder(e, clients));
    // Liveness once every fault is healed and every server is back: a quorum makes progress.
    sim.addFinalCheck("zk.converged", e::convergence);
    sim.addFinalCheck("zk.progress-after-heal", () -> progress(sim, e, clients));
    extra.accept(sim, e);
  }

  private static CheckResult ackedCommitted(Ensemble e, List<NodeId> clients) {
    int n = 0;
    for (NodeId id : clients) {
      ZkClient c = e.client(id);
      for (ZkClient.Completed d : Workload.ackedWrites(c)) {
        Txn t = e.observer().committedAt(d.zxid());
        if (t == null) return CheckResult.failed("zk.acked-writes-committed", id + " was told " + d.op() + " succeeded at " + Txn.hex(d.zxid()) + " but no leader committed it");
        n++;
      }
    }
    return CheckResult.ok("zk.acked-writes-committed", n + " acknowledged writes, all committed");
  }

  /**
   * ZAB's total order respects real time: if one write was acknowledged before another was submitted (by
   * any client, on any path), the first has the lower zxid.
   */
  private static CheckResult writesInRealTimeOrder(Ensemble e, List<NodeId> clients) {
    List<ZkClient.Completed> acked = new ArrayList<>();
    for (NodeId id : clients) acked.addAll(Workload.ackedWrites(e.client(id)));
    List<ZkClient.Completed> byAck = new ArrayList<>(acked);
    byAck.sort(java.util.Comparator.comparingLong(ZkClient.Completed::atNanos));
    List<ZkClient.Completed> bySubmit = new ArrayList<>(acked);
    bySubmit.sort(java.util.Comparator.comparingLong(ZkClient.Completed::submittedNanos));
    int next = 0;
    ZkClient.Completed latest = null;
    for (ZkClient.Completed w : bySubmit) {
      while (next < byAck.size() && byAck.get(next).atNanos() < w.submittedNanos()) {
        ZkClient.Completed done = byAck.get(next++);
        if (latest == null || done.zxid() > latest.zxid()) latest = done;
      }
      if (latest != null && w.zxid() <= latest.zxid()) {
        return CheckResult.failed("zk.zxid-order-respects-real-time", w.op() + " was submitted after " + latest.op() + " was acknowledged at "
            + Txn.hex(latest.zxid()) + " but got the lower zxid " + Txn.hex(w.zxid()));
      }
    }
    return CheckResult.ok("zk.zxid-order-respects-real-time", acked.size() + " acknowledged writes: each write acknowledged before another was submitted has the lower zxid");
  }

  private static CheckResult progress(Simulation sim, Ensemble e, List<NodeId> clients) {
    long since = sim.nowNanos() - Durations.seconds(10);
    for (NodeId id : clients) {
      ZkClient c = e.client(id);
      boolean recent = false;
      for (ZkClient.Completed d : Workload.ackedWrites(c)) if (d.atNanos() >= since) recent = true;
      if (!recent) return CheckResult.failed("zk.progress-after-heal", id + " had no successful write in the last 10s (" + c.describeState() + ")\n" + e.summary());
    }
    return CheckResult.ok("zk.progress-after-heal", "every writer committed writes in the last 10s; leader " + e.leader());
  }
}
