package sim.postgres.mvcc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class XidsProperties {
  @Property
  void comparisonIsModularAcrossWraparound(@ForAll int base, @ForAll @IntRange(min = 1, max = Integer.MAX_VALUE - 1) int distance) {
    int a = base;
    int b = base + distance; // wraps around 2^32
    if (!Xids.isNormal(a) || !Xids.isNormal(b)) return;
    assertTrue(Xids.precedes(a, b), a + " should precede " + b);
    assertFalse(Xids.precedes(b, a));
  }

  @Property
  void advanceSkipsPermanentXids(@ForAll int xid) {
    assertTrue(Xids.isNormal(Xids.advance(xid)));
  }
}
