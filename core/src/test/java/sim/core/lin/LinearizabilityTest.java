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
}
