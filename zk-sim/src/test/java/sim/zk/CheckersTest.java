package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.EnsembleObserver;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.server.ZkServer;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

/** The ZAB checkers catch what they promise to catch, and a real ensemble elects the most up-to-date server. */
class CheckersTest {
  private static Txn set(long zxid, String v) {
    return new Txn(zxid, 7, (int) zxid, 1, new Op.SetData("/a", v, -1));
  }

  @Test
  void aNewLeaderWithoutACommittedTxnIsReported() {
    EnsembleObserver o = new EnsembleObserver(() -> 0);
    o.committed(set(Txn.makeZxid(1, 1), "x"));
    o.committed(set(Txn.makeZxid(1, 2), "y"));
    TreeMap<Long, Txn> history = new TreeMap<>();
    history.put(Txn.makeZxid(1, 1), set(Txn.makeZxid(1, 1), "x"));
    o.leaderEstablished(2, 2, history, Txn.makeZxid(1, 1));
    assertNotNull(o.violation());
    assertTrue(o.violation().contains("committed txn 0x100000002 is missing"), o.violation());
  }

  @Test
  void anOlderEpochEstablishedLateNeedNotHaveTheNewerEpochsTxnsButMustNotAddAny() {
    EnsembleObserver o = new EnsembleObserver(() -> 0);
    TreeMap<Long, Txn> base = new TreeMap<>();
    base.put(Txn.makeZxid(1, 1), set(Txn.makeZxid(1, 1), "x"));
    o.leaderEstablished(3, 4, base, Txn.makeZxid(1, 1));
    o.committed(set(Txn.makeZxid(4, 1), "epoch 4"));
    o.leaderEstablished(2, 3, base, Txn.makeZxid(1, 1)); // a slow leader of epoch 3 finishes its sync now
    assertNull(o.violation());
    TreeMap<Long, Txn> more = new TreeMap<>(base);
    more.put(Txn.makeZxid(1, 2), set(Txn.makeZxid(1, 2), "only here"));
    o.leaderEstablished(1, 2, more, Txn.makeZxid(1, 2));
    assertNotNull(o.violation());
    assertTrue(o.violation().contains("which the leader of the later epoch 3 lacked"), o.violation());
  }

  @Test
  void twoLeadersInOneEpochAreReported() {
    EnsembleObserver o = new EnsembleObserver(() -> 0);
    o.leaderEstablished(1, 3, new TreeMap<>(), 0);
    assertNull(o.violation());
    o.leaderEstablished(2, 3, new TreeMap<>(), 0);
    assertEquals("two leaders in epoch 3: 1 and 2", o.violation());
  }

  @Test
  void applyingADifferentTxnAtACommittedZxidIsReported() {
    EnsembleObserver o = new EnsembleObserver(() -> 0);
    o.committed(set(Txn.makeZxid(1, 1), "x"));
    o.appliedCommitted(3, set(Txn.makeZxid(1, 1), "other"));
    assertTrue(o.violation().startsWith("server 3 applied"), o.violation());
  }

  @Test
  void theServerWithTheLongestHistoryWinsTheElection() {
    Simulation sim = new Simulation(42);
    Ensemble e = new Ensemble(sim, ZkConfig.of(3));
    NodeId c = e.addClient("c", 0, 10_000);
    assertTrue(sim.runUntil(e::allServing, 100_000));
    NodeId first = e.leader();
    // cut one follower off, write through the others, then crash the leader: the survivor that saw the
    // writes must win over the one that did not, whatever their ids
    NodeId behind = first.equals(NodeId.of("zk1")) ? NodeId.of("zk2") : NodeId.of("zk1");
    NodeId ahead = e.config().servers().stream().filter(id -> !id.equals(first) && !id.equals(behind)).findFirst().orElseThrow();
    sim.network().partition(java.util.Set.of(behind), java.util.Set.of(first, ahead, c));
    for (int i = 0; i < 5; i++) {
      sim.inject(NodeId.of("test"), c, new ZkMessage.Submit(new Op.Create("/n" + i, "", false, false)));
      sim.runFor(Durations.seconds(1));
    }
    long aheadZxid = e.server(ahead).lastLoggedZxid();
    assertTrue(aheadZxid > e.server(behind).lastLoggedZxid());
    sim.crash(first);
    sim.network().heal();
    assertTrue(sim.runUntil(() -> e.leader() != null && !e.leader().equals(first), 2_000_000));
    assertEquals(ahead, e.leader(), "FLE must elect the server with the highest zxid\n" + e.summary());
    ZkServer leader = e.server(ahead);
    assertEquals(2, leader.currentEpoch());
    assertNull(e.observer().violation());
  }
}
