package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.TraceEvent;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.scenario.ZkScenarios;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.server.ZkServer;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * Persist before you speak, through the kernel's durability door: with a 50ms fsync a follower's ACK and
 * the client's reply come at least 50ms after the proposal, and a power loss in between loses exactly the
 * write no client was told about.
 */
class DurabilityDoorTest {
  private static final long FSYNC_NANOS = Durations.millis(50);
  private static final String SLOW_DISKS = "at 0s disk zk1 fsync-latency 50ms; at 0s disk zk2 fsync-latency 50ms; at 0s disk zk3 fsync-latency 50ms";

  @Test
  void acksAndRepliesWaitForTheFsync() {
    Map<String, Long> proposedAt = new HashMap<>();
    List<String> early = new ArrayList<>();
    int[] acks = {0};
    int[] replies = {0};
    var scenario = new ZkScenarios().scenarios().stream().filter(s -> s.name().equals("zk.write-path")).findFirst().orElseThrow();
    RunResult r = ScenarioRunner.run(scenario, RunOptions.seed(1).withFaults(SLOW_DISKS).withListeners(List.of((TraceEvent e) -> {
      String zxid = String.valueOf(e.attribute("zxid"));
      switch (e.kind()) {
        case "zk.zab.proposal" -> proposedAt.put(zxid, e.timeNanos());
        case "zk.zab.ack" -> {
          acks[0]++;
          if (e.timeNanos() - proposedAt.get(zxid) < FSYNC_NANOS) early.add(e.node() + " ACKed " + zxid + " " + Durations.format(e.timeNanos() - proposedAt.get(zxid)) + " after its proposal");
        }
        case "zk.client.reply" -> {
          if (!proposedAt.containsKey(zxid) || !"set".equals(e.attribute("op"))) return;
          replies[0]++;
          if (e.timeNanos() - proposedAt.get(zxid) < FSYNC_NANOS) early.add("reply for " + zxid + " " + Durations.format(e.timeNanos() - proposedAt.get(zxid)) + " after its proposal");
        }
        default -> { }
      }
    })));
    assertTrue(r.ok(), r.describeFailure());
    assertTrue(acks[0] > 50 && replies[0] > 20, acks[0] + " acks, " + replies[0] + " replies");
    assertTrue(early.isEmpty(), early.subList(0, Math.min(5, early.size())).toString());
  }

  @Test
  void aPowerLossBeforeTheFsyncReturnsLosesOnlyTheUnacknowledgedWrite() {
    Simulation sim = new Simulation(3);
    Ensemble e = new Ensemble(sim, ZkConfig.of(3));
    for (NodeId id : e.config().servers()) sim.disk(id).setFsyncLatencyNanos(FSYNC_NANOS);
    NodeId c = e.addClient("c", 0, 10_000);
    assertTrue(sim.runUntil(e::allServing, 1_000_000));
    submit(sim, c, new Op.Create("/a", "acked", false, false));
    assertTrue(sim.runUntil(() -> e.client(c).completed().size() == 1, 1_000_000));
    assertTrue(e.client(c).completed().get(0).result() instanceof OpResult.Created);

    // the next write is proposed and logged everywhere, but no fsync has returned yet
    long[] proposed = {-1};
    sim.trace().addListener(ev -> {
      if (ev.kind().equals("zk.zab.proposal") && "set".equals(ev.attribute("op"))) proposed[0] = ev.timeNanos();
    });
    submit(sim, c, new Op.SetData("/a", "in flight", -1));
    assertTrue(sim.runUntil(() -> proposed[0] >= 0, 1_000_000));
    sim.runFor(Durations.millis(10));
    assertEquals(1, e.client(c).completed().size(), "no answer before the fsync");
    for (NodeId id : e.config().servers()) sim.crash(id);
    for (NodeId id : e.config().servers()) sim.restart(id);
    assertTrue(sim.runUntil(e::allServing, 2_000_000), e.summary());

    for (NodeId id : e.config().servers()) {
      ZkServer s = e.server(id);
      assertTrue(s.tree().exists("/a"), id + " lost the acknowledged create");
      assertEquals("acked", s.tree().read(new Op.GetData("/a", false), 0) instanceof OpResult.Data d ? d.data() : null, id + " applied the write nobody acknowledged");
    }
    ZkClient client = e.client(c);
    assertFalse(client.completed().stream().anyMatch(d -> d.op() instanceof Op.SetData && !(d.result() instanceof OpResult.Failed)), "the lost write was never acknowledged");
    assertNull(e.observer().violation());
  }

  private static void submit(Simulation sim, NodeId client, Op op) {
    sim.inject(NodeId.of("test"), client, new ZkMessage.Submit(op));
  }
}
