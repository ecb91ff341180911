package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * {@code CommitProcessor}'s order for one session: writes go to the leader as they arrive (several in
 * flight at once), a read waits for the session's earlier writes and sees them, and answers come in order.
 */
class SessionOrderTest {
  @Test
  void writesArePipelinedAndAReadWaitsForThem() {
    Simulation sim = new Simulation(5);
    Ensemble e = new Ensemble(sim, ZkConfig.of(3));
    NodeId c = e.addClient("c", 0, 10_000);
    assertTrue(sim.runUntil(e::allServing, 1_000_000));
    submit(sim, c, new Op.Create("/p", "0", false, false));
    assertTrue(sim.runUntil(() -> e.client(c).completed().size() == 1, 1_000_000));
    int[] proposed = {0};
    int[] maxInFlight = {0};
    sim.trace().addListener(ev -> {
      if (ev.kind().equals("zk.zab.proposal")) maxInFlight[0] = Math.max(maxInFlight[0], ++proposed[0]);
      if (ev.kind().equals("zk.zab.commit")) proposed[0]--;
    });
    for (int i = 1; i <= 3; i++) submit(sim, c, new Op.SetData("/p", Integer.toString(i), -1));
    submit(sim, c, new Op.GetData("/p", false));
    ZkClient client = e.client(c);
    assertTrue(sim.runUntil(() -> client.completed().size() == 5, 1_000_000), client.describeState());
    List<ZkClient.Completed> done = client.completed();
    for (int i = 1; i <= 3; i++) assertEquals(i, ((OpResult.StatOnly) done.get(i).result()).stat().version(), "write " + i + " answered in order");
    OpResult.Data read = (OpResult.Data) done.get(4).result();
    assertEquals("3", read.data(), "the read saw every earlier write of its session");
    assertTrue(maxInFlight[0] >= 2, "the session's writes were in flight together (" + maxInFlight[0] + ")");
  }

  private static void submit(Simulation sim, NodeId client, Op op) {
    sim.inject(NodeId.of("test"), client, new ZkMessage.Submit(op));
  }
}
