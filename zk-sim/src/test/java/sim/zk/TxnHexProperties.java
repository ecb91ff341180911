package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import sim.zk.tree.Txn;

/** zxids print as ZooKeeper logs them: {@code 0x} and {@code Long.toHexString}. */
class TxnHexProperties {
  @Property
  void hexIsZeroXAndLongToHexString(@ForAll long zxid) {
    assertEquals("0x" + Long.toHexString(zxid), Txn.hex(zxid));
  }

  @Property
  void smallZxidsToo(@ForAll("small") long zxid) {
    assertEquals("0x" + Long.toHexString(zxid), Txn.hex(zxid));
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<Long> small() {
    return net.jqwik.api.Arbitraries.longs().between(0, 1L << 36);
  }
}
