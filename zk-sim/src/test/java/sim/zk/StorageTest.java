package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.core.NodeId;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;
import sim.zk.server.Vote;
import sim.zk.storage.SnapshotStore;
import sim.zk.storage.TxnLog;
import sim.zk.tree.DataTree;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

class StorageTest {
  private static SimDisk disk() {
    Simulation sim = new Simulation(7);
    sim.addNode(NodeId.of("n"), () -> new sim.core.Node() {
      public void start(sim.core.NodeContext ctx) {}
      public void onMessage(sim.core.NodeContext ctx, NodeId from, sim.core.Message m) {}
      public void onTimer(sim.core.NodeContext ctx, sim.core.Timer t) {}
    });
    return sim.disk(NodeId.of("n"));
  }

  private static Txn set(long zxid, String v) {
    return new Txn(zxid, 1, (int) zxid, 1000, new Op.SetData("/a", v, -1));
  }

  @Test
  void aTornLogTailIsCutAtTheLastWholeRecord() {
    SimDisk d = disk();
    TxnLog log = new TxnLog(d);
    log.append(set(Txn.makeZxid(1, 1), "one"));
    log.append(set(Txn.makeZxid(1, 2), "two"));
    d.fsync(log.fsyncTarget());
    log.append(set(Txn.makeZxid(1, 3), "three, not yet durable"));
    d.setCrashLossMode(CrashLossMode.TORN_LAST_WRITE);
    d.crash();
    TxnLog.Recovered r = new TxnLog(d).recover();
    assertEquals(List.of(set(Txn.makeZxid(1, 1), "one"), set(Txn.makeZxid(1, 2), "two")), r.txns().subList(0, 2));
    // whatever survived past the fsync is whole records only; a second recovery finds nothing more to cut
    assertEquals(null, new TxnLog(d).recover().truncatedTail());
  }

  @Test
  void truncRemovesTxnsAfterTheGivenZxid() {
    SimDisk d = disk();
    TxnLog log = new TxnLog(d);
    for (int i = 1; i <= 5; i++) log.append(set(Txn.makeZxid(1, i), "v" + i));
    d.fsync(log.fsyncTarget());
    List<String> cut = log.truncateAfter(Txn.makeZxid(1, 3));
    assertEquals(3, new TxnLog(d).recover().txns().size());
    assertEquals(List.of(log.logFiles().get(0)), cut, "the cut file is handed back for the sync's fsync");
  }

  @Test
  void aTruncNotYetFsyncedIsUndoneByAPowerLoss() {
    SimDisk d = disk();
    TxnLog log = new TxnLog(d);
    for (int i = 1; i <= 5; i++) log.append(set(Txn.makeZxid(1, i), "v" + i));
    d.fsync(log.fsyncTarget());
    List<String> cut = log.truncateAfter(Txn.makeZxid(1, 3));
    d.crash();
    assertEquals(5, new TxnLog(d).recover().txns().size(), "setLength without fsync: the tail comes back");
    cut = new TxnLog(d).truncateAfter(Txn.makeZxid(1, 3));
    for (String f : cut) d.fsync(f);
    d.crash();
    assertEquals(3, new TxnLog(d).recover().txns().size(), "once fsynced the TRUNC holds");
  }

  @Test
  void snapshotRoundTripsTheTree() {
    SimDisk d = disk();
    DataTree t = new DataTree();
    t.apply(new Txn(1, 5, 0, 10, new Op.Create("/a", "x", false, false)));
    t.apply(new Txn(2, 5, 0, 11, new Op.Create("/a/b", "y", true, true)));
    new SnapshotStore(d).write(2, t, new java.util.TreeMap<>(java.util.Map.of(5L, 6000)));
    SnapshotStore.Snapshot s = new SnapshotStore(d).loadNewest();
    assertNotNull(s);
    assertEquals(t.digest(), s.tree().digest());
    assertEquals(6000, s.sessions().get(5L));
    assertEquals(t.ephemerals(5), s.tree().ephemerals(5));
  }

  @Test
  void votesCompareByEpochThenZxidThenId() {
    assertEquals(true, new Vote(1, 5, 2).beats(new Vote(3, 100, 1)));
    assertEquals(true, new Vote(1, 6, 1).beats(new Vote(3, 5, 1)));
    assertEquals(true, new Vote(3, 5, 1).beats(new Vote(2, 5, 1)));
    assertEquals(false, new Vote(2, 5, 1).beats(new Vote(2, 5, 1)));
  }
}
