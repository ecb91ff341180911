package sim.zk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.lin.Linearizability;
import sim.core.lin.Operation;
import sim.zk.check.ZnodeModel;
import sim.zk.check.ZnodeModel.Answer;
import sim.zk.check.ZnodeModel.Call;
import sim.zk.tree.KeeperCode;

/** The znode model accepts what ZooKeeper may answer and nothing else, on hand-made histories. */
class ZnodeModelTest {
  private final List<Operation<Call, Answer>> h = new ArrayList<>();

  private void ok(int client, Call c, Answer a, long from, long to) {
    h.add(new Operation<>(h.size(), client, c, a, from, to, Operation.Outcome.OK));
  }

  private void unknown(int client, Call c, long from) {
    h.add(new Operation<>(h.size(), client, c, null, from, Long.MAX_VALUE, Operation.Outcome.UNKNOWN));
  }

  private boolean linearizable() {
    return Linearizability.check(new ZnodeModel(), h).linearizable();
  }

  private static Call create(String data) {
    return new ZnodeModel.Create("/a", data);
  }

  private static Call set(String data) {
    return new ZnodeModel.SetData("/a", data, -1);
  }

  @Test
  void versionsThatCountUpAreLinearizable() {
    ok(1, create("0"), Answer.ok(0, null), 0, 10);
    ok(1, set("1"), Answer.ok(1, null), 20, 30);
    ok(2, new ZnodeModel.SyncedRead("/a"), Answer.ok(1, "1"), 40, 50);
    ok(1, set("2"), Answer.ok(2, null), 60, 70);
    assertTrue(linearizable());
  }

  @Test
  void anAcknowledgedWriteThatVanishedIsNot() {
    ok(1, create("0"), Answer.ok(0, null), 0, 10);
    ok(1, set("1"), Answer.ok(1, null), 20, 30);
    ok(1, set("2"), Answer.ok(1, null), 40, 50); // version 1 again: the first set was lost
    assertFalse(linearizable());
  }

  @Test
  void aWriteWithAnUnknownOutcomeMayOrMayNotHaveHappened() {
    ok(1, create("0"), Answer.ok(0, null), 0, 10);
    unknown(1, set("lost?"), 20);
    ok(1, set("1"), Answer.ok(2, null), 40, 50);
    assertTrue(linearizable(), "applied before the next write");
    h.remove(2);
    ok(1, set("1"), Answer.ok(1, null), 40, 50);
    assertTrue(linearizable(), "never applied (or applied later)");
  }

  @Test
  void aSyncedReadMustSeeEveryWriteCompletedBeforeTheSyncBegan() {
    ok(1, create("0"), Answer.ok(0, null), 0, 10);
    ok(1, set("1"), Answer.ok(1, null), 20, 30);
    ok(2, new ZnodeModel.SyncedRead("/a"), Answer.ok(0, "0"), 40, 50);
    assertFalse(linearizable(), "a stale read after sync");
  }

  @Test
  void aReadOverlappingAWriteMaySeeEitherVersion() {
    ok(1, create("0"), Answer.ok(0, null), 0, 10);
    ok(1, set("1"), Answer.ok(1, null), 20, 60);
    ok(2, new ZnodeModel.SyncedRead("/a"), Answer.ok(0, "0"), 30, 50);
    assertTrue(linearizable());
  }

  @Test
  void refusalsMustMatchTheState() {
    ok(1, create("0"), Answer.ok(0, null), 0, 10);
    ok(2, create("x"), Answer.error(KeeperCode.NODEEXISTS), 20, 30);
    ok(1, new ZnodeModel.SetData("/a", "1", 5), Answer.error(KeeperCode.BADVERSION), 40, 50);
    assertTrue(linearizable());
    ok(1, new ZnodeModel.SetData("/a", "2", 0), Answer.error(KeeperCode.BADVERSION), 60, 70); // version 0 matches: must not be refused
    assertFalse(linearizable());
  }
}
