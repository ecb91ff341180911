package sim.redis.node;

import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.Timer;
import sim.core.disk.SimDisk;

/**
 * A simulated disk outside any scenario, for tests, benchmarks and file conversion: the kernel hands out
 * disks only through nodes, so this builds a throwaway simulation with one idle node and returns its disk.
 */
public final class ScratchDisk {
  private ScratchDisk() {}

  public static SimDisk create(String name) {
    Simulation sim = new Simulation(1);
    NodeId id = NodeId.of(name);
    sim.addNode(id, () -> new Node() {
      @Override
      public void start(NodeContext ctx) {}

      @Override
      public void onMessage(NodeContext ctx, NodeId from, Message message) {}

      @Override
      public void onTimer(NodeContext ctx, Timer timer) {}
    });
    return sim.disk(id);
  }
}
