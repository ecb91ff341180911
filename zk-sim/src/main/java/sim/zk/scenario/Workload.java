package sim.zk.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.ZkMessage.Submit;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * Client drivers scheduled by the kernel: each keeps one request in flight and, when it completes, submits
 * the next after a seeded think time.
 */
final class Workload {
  private static final NodeId DRIVER = NodeId.of("workload");

  private Workload() {}

  /** Submits ops from {@code next} (called with a counter) to {@code client} forever. */
  static void drive(Simulation sim, Ensemble e, NodeId client, long startNanos, long thinkNanos, java.util.function.IntFunction<Op> next) {
    int[] n = {0};
    Runnable[] loop = new Runnable[1];
    loop[0] = () -> {
      ZkClient c = e.client(client);
      if (c != null && c.outstanding() == 0) sim.inject(DRIVER, client, new Submit(next.apply(n[0]++)));
      sim.schedule(thinkNanos / 2 + sim.random("workload." + client).nextLong(0, thinkNanos), "workload " + client, loop[0]);
    };
    sim.schedule(startNanos, "workload " + client + " starts", loop[0]);
  }

  static void submitAt(Simulation sim, NodeId client, long atNanos, Op op) {
    sim.schedule(atNanos, client + ": " + op.verb() + (op.path() == null ? "" : " " + op.path()), () -> sim.inject(DRIVER, client, new Submit(op)));
  }

  /** Whether the client's create of its node is known to have happened (a lost reply leaves it unknown). */
  static boolean created(ZkClient c) {
    for (ZkClient.Completed d : c.completed()) {
      if (!(d.op() instanceof Op.Create)) continue;
      if (d.result() instanceof OpResult.Created) return true;
      if (d.result() instanceof OpResult.Failed f && f.code() == sim.zk.tree.KeeperCode.NODEEXISTS) return true;
    }
    return false;
  }

  /** Writes that a client saw succeed. */
  static List<ZkClient.Completed> ackedWrites(ZkClient c) {
    List<ZkClient.Completed> out = new ArrayList<>();
    for (ZkClient.Completed d : c.completed()) {
      if (d.op().isWrite() && !(d.result() instanceof OpResult.Failed)) out.add(d);
    }
    return out;
  }

  static long seconds(double s) {
    return Durations.millis(Math.round(s * 1000));
  }
}
