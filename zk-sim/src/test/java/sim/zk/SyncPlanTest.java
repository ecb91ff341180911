package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import sim.zk.server.SyncPlan;
import sim.zk.tree.Op;
import sim.zk.tree.Txn;

/** The DIFF/TRUNC/SNAP choice of LearnerHandler.syncFollower, case by case. */
class SyncPlanTest {
  private static Txn t(long epoch, long counter) {
    return new Txn(Txn.makeZxid(epoch, counter), 1, (int) counter, 0, new Op.SetData("/a", "v", -1));
  }

  /** The leader logged 1:3..1:5 and 2:1..2:2 and has committed up to 2:2; 2:3 is still in flight. */
  private static TreeMap<Long, Txn> history() {
    TreeMap<Long, Txn> h = new TreeMap<>();
    for (Txn x : List.of(t(1, 3), t(1, 4), t(1, 5), t(2, 1), t(2, 2), t(2, 3))) h.put(x.zxid(), x);
    return h;
  }

  private static final long COMMITTED = Txn.makeZxid(2, 2);

  @Test
  void aFollowerAtTheLeadersCommitGetsAnEmptyDiff() {
    SyncPlan p = SyncPlan.choose(COMMITTED, history(), COMMITTED);
    assertEquals(SyncPlan.Kind.DIFF, p.kind());
    assertEquals(List.of(), p.txns());
  }

  @Test
  void aFollowerInsideTheLogGetsADiffOfCommittedTxnsOnly() {
    SyncPlan p = SyncPlan.choose(Txn.makeZxid(1, 4), history(), COMMITTED);
    assertEquals(SyncPlan.Kind.DIFF, p.kind());
    assertEquals(List.of(t(1, 5), t(2, 1), t(2, 2)), p.txns()); // not 2:3, which is not committed
  }

  @Test
  void aFollowerWithAnUncommittedTxnOfAnOldEpochIsTruncated() {
    // 1:6 was logged by the follower under the old leader and never reached this leader
    SyncPlan p = SyncPlan.choose(Txn.makeZxid(1, 6), history(), COMMITTED);
    assertEquals(SyncPlan.Kind.TRUNC, p.kind());
    assertEquals(Txn.makeZxid(1, 5), p.truncZxid());
    assertEquals(List.of(t(2, 1), t(2, 2)), p.txns());
  }

  @Test
  void aFollowerPastTheLeadersLogIsTruncatedToItsEnd() {
    SyncPlan p = SyncPlan.choose(Txn.makeZxid(2, 9), history(), COMMITTED);
    assertEquals(SyncPlan.Kind.TRUNC, p.kind());
    assertEquals(COMMITTED, p.truncZxid());
  }

  @Test
  void aFollowerOlderThanTheLogGetsASnapshot() {
    assertEquals(SyncPlan.Kind.SNAP, SyncPlan.choose(Txn.makeZxid(1, 1), history(), COMMITTED).kind());
    assertEquals(SyncPlan.Kind.SNAP, SyncPlan.choose(0, history(), COMMITTED).kind());
    assertEquals(SyncPlan.Kind.SNAP, SyncPlan.choose(0, new TreeMap<>(), COMMITTED).kind());
  }
}
