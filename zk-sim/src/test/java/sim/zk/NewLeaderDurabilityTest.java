package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.storage.EpochFile;
import sim.zk.storage.TxnLog;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;

/**
 * {@code Learner.syncWithLeader} at NEWLEADER, through the kernel's durability door with a 50ms fsync: the
 * txns of the DIFF are fsynced ({@code ZKDatabase.commit}, ZOOKEEPER-4646), then currentEpoch
 * ({@code setCurrentEpoch}, ZOOKEEPER-4643), and only then is NEWLEADER ACKed; a crash in either fsync loses
 * what real ZooKeeper loses there, and never leaves currentEpoch ahead of the log.
 *
 * <p>Setup: follower {@code lagger} is down while the first leader commits writes; then that leader crashes
 * and {@code lagger} restarts, so the other follower leads epoch 2 and syncs {@code lagger} by DIFF.
 */
class NewLeaderDurabilityTest {
  private static final long FSYNC_NANOS = Durations.millis(50);
  private static final int WRITES = 5;
  private Simulation sim;
  private Ensemble e;
  private NodeId lagger;
  private NodeId oldLeader;
  private final List<TraceEvent> laggerEvents = new ArrayList<>();
  private long lastAckedZxid;

  @BeforeEach
  void laggerIsSyncedByDiffInEpochTwo() {
    sim = new Simulation(7);
    e = new Ensemble(sim, ZkConfig.of(3));
    for (NodeId id : e.config().servers()) sim.disk(id).setFsyncLatencyNanos(FSYNC_NANOS);
    assertTrue(sim.runUntil(e::allServing, 1_000_000));
    oldLeader = e.leader();
    List<NodeId> followers = new ArrayList<>(e.config().servers());
    followers.remove(oldLeader);
    lagger = followers.get(0);
    NodeId survivor = followers.get(1);
    NodeId c = e.addClient("c", e.config().servers().indexOf(survivor), 30_000);
    // one write everybody has, so lagger's last zxid is in the leader's committed log and it gets a DIFF
    sim.inject(NodeId.of("test"), c, new ZkMessage.Submit(new Op.Create("/first", "v", false, false)));
    assertTrue(sim.runUntil(() -> e.server(lagger).tree().exists("/first"), 300_000));
    sim.crash(lagger);
    for (int i = 0; i < WRITES; i++) sim.inject(NodeId.of("test"), c, new ZkMessage.Submit(new Op.Create("/w" + i, "v", false, false)));
    assertTrue(sim.runUntil(() -> e.client(c).completed().size() == WRITES + 1, 300_000));
    for (var done : e.client(c).completed()) {
      assertTrue(done.result() instanceof OpResult.Created, done.toString());
      lastAckedZxid = Math.max(lastAckedZxid, done.zxid());
    }
    assertEquals(1, Txn.epochOf(lastAckedZxid));
    sim.trace().addListener(ev -> {
      if (ev.node().equals(lagger.name()) && relevant(ev)) laggerEvents.add(ev);
    });
    sim.crash(oldLeader);
    sim.restart(lagger);
  }

  @Test
  void newLeaderIsAckedOnlyAfterTheSyncTxnsAndThenCurrentEpochAreDurable() {
    assertTrue(sim.runUntil(() -> find("send", "Ack[0x200000000]") != null, 300_000), "lagger never ACKed NEWLEADER of epoch 2");
    TraceEvent newLeader = find("deliver", "NewLeader[0x200000000]");
    TraceEvent ack = find("send", "Ack[0x200000000]");
    TraceEvent lastLogWrite = null;
    for (TraceEvent ev : laggerEvents) if (ev.kind().equals("disk.write") && ev.detail().startsWith(TxnLog.DIR + "log.") && ev.index() < ack.index()) lastLogWrite = ev;
    assertNotNull(newLeader);
    assertNotNull(lastLogWrite, "the DIFF's txns were never written");
    assertTrue(ack.timeNanos() - lastLogWrite.timeNanos() >= FSYNC_NANOS,
        "ACK " + Durations.format(ack.timeNanos() - lastLogWrite.timeNanos()) + " after the log write");
    // two fsyncs, one after the other, while the learner's thread waits: the log, then currentEpoch
    assertTrue(ack.timeNanos() - newLeader.timeNanos() >= 2 * FSYNC_NANOS,
        "ACK " + Durations.format(ack.timeNanos() - newLeader.timeNanos()) + " after NEWLEADER arrived");
    TraceEvent logDurable = findAfter(newLeader, "fsync.done", TxnLog.DIR + "log.");
    TraceEvent epochWait = findAfter(newLeader, "fsync.wait", TxnLog.DIR + "currentEpoch.tmp");
    assertTrue(logDurable != null && epochWait != null && logDurable.index() < epochWait.index(), "currentEpoch was written before the log was durable");
  }

  @Test
  void aCrashWhileTheSyncTxnsAreFsyncedLosesThemAndKeepsTheOldCurrentEpoch() {
    crashLaggerDuring(TxnLog.DIR + "log.");
    assertTrue(laggedLogEnd() < lastAckedZxid, "the DIFF's txns survived an fsync that never returned");
    assertEquals(2, EpochFile.read(sim.disk(lagger), "acceptedEpoch"), "acceptedEpoch was fsynced before ACKEPOCH");
    assertEquals(1, EpochFile.read(sim.disk(lagger), "currentEpoch"));
    recoverAndCheck();
  }

  @Test
  void aCrashWhileCurrentEpochIsFsyncedKeepsTheSyncTxnsAndTheOldCurrentEpoch() {
    crashLaggerDuring(TxnLog.DIR + "currentEpoch.tmp");
    assertEquals(lastAckedZxid, laggedLogEnd(), "the DIFF's txns were durable before currentEpoch was written");
    assertEquals(1, EpochFile.read(sim.disk(lagger), "currentEpoch"), "currentEpoch moved on although its fsync never returned");
    recoverAndCheck();
  }

  /** Crashes {@code lagger} 10ms into the blocking fsync of {@code filePrefix} at NEWLEADER; it never ACKed. */
  private void crashLaggerDuring(String filePrefix) {
    assertTrue(sim.runUntil(() -> find("deliver", "NewLeader[0x200000000]") != null && fsyncWaitAfterNewLeader(filePrefix), 300_000));
    sim.runFor(Durations.millis(10));
    assertNull(find("send", "Ack[0x200000000]"), "ACKed before the fsync returned");
    sim.crash(lagger);
  }

  private boolean fsyncWaitAfterNewLeader(String filePrefix) {
    return findAfter(find("deliver", "NewLeader[0x200000000]"), "fsync.wait", filePrefix) != null;
  }

  private long laggedLogEnd() {
    long last = 0;
    for (Txn t : new TxnLog(sim.disk(lagger)).recover().txns()) last = Math.max(last, t.zxid());
    return last;
  }

  /** Everything back up: every acknowledged write is on every server and no check tripped. */
  private void recoverAndCheck() {
    sim.restart(lagger);
    sim.restart(oldLeader);
    assertTrue(sim.runUntil(e::allServing, 600_000), e.summary());
    sim.runFor(Durations.seconds(1));
    for (NodeId id : e.config().servers()) for (int i = 0; i < WRITES; i++) assertTrue(e.server(id).tree().exists("/w" + i), id + " lacks /w" + i);
    assertNull(e.observer().violation());
    assertFalse(e.server(lagger).tree().lastProcessedZxid() < lastAckedZxid);
  }

  /** The events this test reads, so the list stays short: the sync's packets, log writes, fsyncs. */
  private static boolean relevant(TraceEvent ev) {
    return switch (ev.kind()) {
      case "send", "deliver" -> ev.detail().contains("NewLeader[") || ev.detail().contains("Ack[0x2");
      case "disk.write" -> ev.detail().startsWith(TxnLog.DIR + "log.");
      case "fsync.wait", "fsync.done" -> true;
      default -> false;
    };
  }

  private TraceEvent find(String kind, String detailPart) {
    for (TraceEvent ev : laggerEvents) if (ev.kind().equals(kind) && ev.detail().contains(detailPart)) return ev;
    return null;
  }

  private TraceEvent findAfter(TraceEvent after, String kind, String detailPart) {
    for (TraceEvent ev : laggerEvents) if (ev.index() > after.index() && ev.kind().equals(kind) && ev.detail().contains(detailPart)) return ev;
    return null;
  }
}
