package sim.core.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.lin.Models.KeyOp;
import sim.core.lin.Models.Read;
import sim.core.lin.Models.RegisterOp;
import sim.core.lin.Models.Write;

/** Hand-made histories with known answers. */
class LinearizabilityTest {
  private static Operation<RegisterOp, Object> op(int id, int client, RegisterOp in, Object out, long from, long to) {
    return new Operation<>(id, client, in, out, from, to, Operation.Outcome.OK);
  }

  @Test
  void aReadOverlappingAWriteMaySeeEitherValue() {
    var h = List.of(op(0, 0, new Write("a"), null, 0, 10), op(1, 1, new Read(), "a", 5, 6), op(2, 2, new Read(), null, 4, 7));
    assertTrue(Linearizability.check(Models.register(), h).linearizable());
  }

  @Test
  void aStaleReadAfterTheWriteReturnedIsNotLinearizable() {
    var h = List.of(op(0, 0, new Write("a"), null, 0, 10), op(1, 0, new Write("b"), null, 11, 20), op(2, 1, new Read(), "a", 21, 22),
        op(3, 2, new Read(), "a", 0, 30));
    var r = Linearizability.check(Models.register(), h);
    assertFalse(r.linearizable(), r.describe());
    assertEquals(List.of(0, 1, 2), r.counterexample().stream().map(Operation::id).toList(), r.describe());
  }

  @Test
  void anUnknownWriteMayTakeEffectLateOrNever() {
    var lost = new Operation<RegisterOp, Object>(0, 0, new Write("x"), null, 0, 0, Operation.Outcome.UNKNOWN);
    var h1 = List.of(lost, op(1, 1, new Read(), null, 50, 60), op(2, 1, new Read(), "x", 70, 80));
    assertTrue(Linearizability.check(Models.register(), h1).linearizable());
    var h2 = List.of(lost, op(1, 1, new Read(), "x", 50, 60), op(2, 1, new Read(), null, 70, 80));
    assertFalse(Linearizability.check(Models.register(), h2).linearizable(), "once seen, it cannot be undone");
  }

  @Test
  void keysAreCheckedIndependently() {
    var h = List.of(new Operation<KeyOp, Object>(0, 0, new KeyOp("k1", new Write("a")), null, 0, 1, Operation.Outcome.OK),
        new Operation<KeyOp, Object>(1, 0, new KeyOp("k2", new Read()), "a", 2, 3, Operation.Outcome.OK));
    var r = Linearizability.check(Models.kv(), h);
    assertFalse(r.linearizable());
    assertEquals("k2", r.partition());
  }

  private static Operation<LogModel.LogOp, Object> logOp(int id, int client, LogModel.LogOp in, Object out, long from, long to) {
    return new Operation<>(id, client, in, out, from, to, Operation.Outcome.OK);
  }

  private static Operation<ZnodeModel.ZnodeOp, Object> zOp(int id, int client, ZnodeModel.ZnodeOp in, Object out, long from, long to) {
    return new Operation<>(id, client, in, out, from, to, Operation.Outcome.OK);
  }

  @Test
  void aKafkaLogLosesNoAcknowledgedAppendAndGivesEachOffsetOnce() {
    var append = logOp(0, 0, new LogModel.Append("t-0", "a"), 0L, 0, 10);
    var sawIt = logOp(1, 1, new LogModel.Fetch("t-0", 0), List.of("a"), 11, 12);
    assertTrue(Linearizability.check(Models.log(), List.of(append, sawIt)).linearizable());
    var lostIt = logOp(1, 1, new LogModel.Fetch("t-0", 0), List.of(), 11, 12);
    var r = Linearizability.check(Models.log(), List.of(append, lostIt));
    assertFalse(r.linearizable(), "a fetch after the acked append returned must see it");
    assertEquals("t-0", r.partition());
    var twice = logOp(1, 1, new LogModel.Append("t-0", "b"), 0L, 5, 15);
    assertFalse(Linearizability.check(Models.log(), List.of(append, twice)).linearizable(), "two appends cannot both get offset 0");
    var past = logOp(1, 1, new LogModel.Fetch("t-0", 3), LogModel.OUT_OF_RANGE, 11, 12);
    assertTrue(Linearizability.check(Models.log(), List.of(append, past)).linearizable());
    var otherPartition = logOp(1, 1, new LogModel.Append("t-1", "b"), 0L, 5, 15);
    assertTrue(Linearizability.check(Models.log(), List.of(append, otherPartition)).linearizable(), "partitions have their own offsets");
  }

  @Test
  void znodeVersionsLetOnlyOneConditionalSetWin() {
    var create = zOp(0, 0, new ZnodeModel.Create("/lock", "x"), ZnodeModel.OK, 0, 1);
    var set1 = zOp(1, 1, new ZnodeModel.SetData("/lock", "a", 0), 1, 2, 10);
    var set2 = zOp(2, 2, new ZnodeModel.SetData("/lock", "b", 0), 1, 3, 11);
    assertFalse(Linearizability.check(Models.znodes(), List.of(create, set1, set2)).linearizable(), "both cannot see version 0");
    var loser = zOp(2, 2, new ZnodeModel.SetData("/lock", "b", 0), ZnodeModel.BADVERSION, 3, 11);
    var read = zOp(3, 0, new ZnodeModel.GetData("/lock"), new ZnodeModel.Znode("a", 1), 12, 13);
    assertTrue(Linearizability.check(Models.znodes(), List.of(create, set1, loser, read)).linearizable());
    var stale = zOp(3, 0, new ZnodeModel.GetData("/lock"), new ZnodeModel.Znode("x", 0), 12, 13);
    assertFalse(Linearizability.check(Models.znodes(), List.of(create, set1, loser, stale)).linearizable(), "a read after the set returned");
    var again = zOp(1, 1, new ZnodeModel.Create("/lock", "y"), ZnodeModel.OK, 2, 3);
    assertFalse(Linearizability.check(Models.znodes(), List.of(create, again)).linearizable(), "create succeeds once");
  }

  @Test
  void manyLostReadsDoNotBlowUpTheSearch() {
    java.util.List<Operation<RegisterOp, Object>> h = new java.util.ArrayList<>();
    int id = 0;
    for (int i = 0; i < 200; i++) h.add(new Operation<>(id++, 1, new Read(), null, i * 10L, 0, Operation.Outcome.UNKNOWN));
    for (int i = 0; i < 50; i++) h.add(op(id++, 0, new Write("v" + i), null, i * 40L, i * 40L + 5));
    h.add(op(id, 2, new Read(), "v49", 3000, 3001));
    var r = Linearizability.check(Models.register(), h, 100_000);
    assertTrue(r.linearizable(), r.describe());
  }

  /**
   * Twenty-four appends of unknown outcome, then one that returned an offset no order can give: the search
   * would try every subset and order of the unknown ones. Even with no step budget it must stop at the memo
   * bound, undecided, instead of growing the heap until the JVM dies (as an explore of kafka.write-path did).
   */
  @Test
  void aSearchOutgrowingTheMemoIsUndecidedNotAnOutOfMemoryError() {
    HistoryRecorder<LogModel.LogOp, Object> h = new HistoryRecorder<>();
    for (int i = 0; i < 24; i++) h.unknown(h.invoke(i, new LogModel.Append("p", "u" + i), 0));
    h.ok(h.invoke(99, new LogModel.Append("p", "z"), 10), 1000L, 11);
    var r = Linearizability.check(Models.log(), h.history(), Long.MAX_VALUE);
    assertTrue(r.exhausted() && !r.linearizable(), r.describe());
  }
}
