package sim.zk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.SimulationFailure;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.scenario.ZkScenarios;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.tree.Op;

/**
 * Connections as TCP gives them: packets of a closed connection are never taken for the current one, a dead
 * process's connections are reset so its peers react at once, and silence (a pause, a partition) is only
 * noticed by timeouts.
 */
class ConnectionTest {
  private static final NodeId TEST = NodeId.of("test");

  @Test
  void aPacketOfAClosedConnectionIsIgnored() {
    Simulation sim = new Simulation(7);
    Ensemble e = new Ensemble(sim, ZkConfig.of(3));
    NodeId c = e.addClient("c", 0, 10_000);
    assertTrue(sim.runUntil(e::allServing, 1_000_000));
    sim.inject(TEST, c, new ZkMessage.Submit(new Op.Create("/a", "", false, false)));
    assertTrue(sim.runUntil(() -> e.client(c).completed().size() == 1, 1_000_000));
    ZkClient client = e.client(c);
    long seen = client.lastZxidSeen();
    assertTrue(seen > 1);
    // An answer from the server on connection 0, which this client never uses now (it is on its first or
    // a later one), carrying a zxid from the past: a late packet of a closed socket.
    sim.inject(client.server(), c, new ZkMessage.PingReply(0, seen - 1));
    sim.runFor(Durations.millis(10));
    assertNull(client.monotonicViolation(), client.monotonicViolation());
    // The same packet on the current connection does send the client back in time: the check can fail.
    sim.inject(client.server(), c, new ZkMessage.PingReply(client.connectionNumber(), seen - 1));
    SimulationFailure f = assertThrows(SimulationFailure.class, () -> sim.runFor(Durations.millis(10)));
    assertTrue(f.getMessage().contains("zk.client-zxid-monotonic"), f.getMessage());
    assertNotNull(client.monotonicViolation());
  }

  @Test
  void aCrashedLeaderIsReplacedWithinAFinalizeWaitAPausedOneOnlyAfterSyncLimit() {
    Scenario s = new ZkScenarios().scenarios().stream().filter(x -> x.name().equals("zk.leader-crash")).findFirst().orElseThrow();
    long crashNanos = failover(s, "at 6s crash zk3; at 22s restart zk3");
    long pauseNanos = failover(s, "at 6s pause zk3; at 22s resume zk3");
    long syncLimitNanos = Durations.seconds(10);
    assertTrue(crashNanos < Durations.seconds(1), "crash: epoch 2 after " + Durations.format(crashNanos));
    assertTrue(pauseNanos >= syncLimitNanos, "pause: epoch 2 after " + Durations.format(pauseNanos));
    System.out.println("failover after the leader's crash " + Durations.format(crashNanos) + ", after its pause " + Durations.format(pauseNanos));
  }

  /** How long after 6s epoch 2 was established. */
  private static long failover(Scenario s, String plan) {
    long[] at = {-1};
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(1).withFaults(plan).withListeners(java.util.List.of(ev -> {
      if (at[0] < 0 && ev.kind().equals("zk.zab.newleader") && Long.valueOf(2).equals(ev.attribute("epoch"))) at[0] = ev.timeNanos();
    })));
    assertTrue(r.ok(), r.describeFailure());
    assertTrue(at[0] > 0, "epoch 2 was never established under " + plan);
    return at[0] - Durations.seconds(6);
  }

  @Test
  void theSessionOfADeadClientStillExpiresByTimeout() {
    Simulation sim = new Simulation(11);
    Ensemble e = new Ensemble(sim, ZkConfig.of(3));
    NodeId c = e.addClient("c", 0, 6_000);
    assertTrue(sim.runUntil(e::allServing, 1_000_000));
    // submitted "from" its server zk1: the kernel counts an injected message as a connection, and only
    // nodes can hear a reset
    sim.inject(NodeId.of("zk1"), c, new ZkMessage.Submit(new Op.Create("/e", "", true, false)));
    assertTrue(sim.runUntil(() -> e.client(c).completed().size() == 1, 1_000_000));
    int[] expired = {0};
    sim.trace().addListener(ev -> {
      if (ev.kind().equals("zk.session.expire")) expired[0]++;
    });
    sim.crash(c);
    sim.runFor(Durations.seconds(3));
    for (NodeId id : e.config().servers()) assertTrue(e.server(id).tree().exists("/e"), id + ": the session outlives its connection until its timeout");
    sim.runFor(Durations.seconds(8));
    assertTrue(expired[0] == 1, "the leader's session tracker expired it");
    for (NodeId id : e.config().servers()) assertFalse(e.server(id).tree().exists("/e"), id + " still has the dead client's ephemeral");
    for (Map.Entry<Long, Integer> s : e.server(NodeId.of("zk1")).sessions().entrySet()) assertTrue(s.getValue() > 0);
  }
}
