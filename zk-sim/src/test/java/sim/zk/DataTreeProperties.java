package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import sim.zk.storage.TxnCodec;
import sim.zk.tree.DataTree;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Stat;
import sim.zk.tree.Txn;

/** Properties of the data tree and the txn codec over random operation sequences. */
class DataTreeProperties {
  @Provide
  Arbitrary<Op> writes() {
    Arbitrary<String> path = Arbitraries.of("/a", "/b", "/a/x", "/a/y", "/b/z", "/a/x/deep", "/s-");
    Arbitrary<String> data = Arbitraries.strings().alpha().ofMaxLength(5);
    Arbitrary<Integer> version = Arbitraries.integers().between(-1, 2);
    Arbitrary<Op> create = Combinators.combine(path, data, Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as((p, d, e, s) -> new Op.Create(p, d, e, s));
    Arbitrary<Op> delete = Combinators.combine(path, version).as(Op.Delete::new);
    Arbitrary<Op> set = Combinators.combine(path, data, version).as(Op.SetData::new);
    Arbitrary<Op> check = Combinators.combine(path, version).as(Op.Check::new);
    Arbitrary<Op> single = Arbitraries.oneOf(create, delete, set);
    Arbitrary<Op> multi = Arbitraries.oneOf(create, delete, set, check).list().ofMinSize(1).ofMaxSize(4).map(Op.Multi::new);
    return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, single), net.jqwik.api.Tuple.of(1, multi), net.jqwik.api.Tuple.of(1, Arbitraries.just(new Op.CloseSession())));
  }

  private static List<Txn> txns(List<Op> ops) {
    List<Txn> out = new ArrayList<>();
    long session = 1;
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      out.add(new Txn(i + 1, session, i, 1000 + i, op));
      if (op instanceof Op.CloseSession) session++;
    }
    return out;
  }

  @Property(tries = 300)
  void numChildrenAndVisibleCversionFollowTheChildren(@ForAll @Size(max = 40) List<@From("writes") Op> ops) {
    DataTree t = new DataTree();
    for (Txn txn : txns(ops)) t.apply(txn);
    for (DataTree.SnapshotNode n : t.snapshotNodes()) {
      assertEquals(t.children(n.path()).size(), n.stat().numChildren(), n.path());
      Stat seen = n.stat().asSeenByClient();
      assertEquals(n.stat().cversion() * 2 - n.stat().numChildren(), seen.cversion());
      if (n.stat().ephemeralOwner() != 0) assertEquals(0, n.stat().numChildren(), "ephemeral " + n.path() + " has children");
    }
  }

  @Property(tries = 300)
  void aSnapshotRebuildsTheSameTree(@ForAll @Size(max = 40) List<@From("writes") Op> ops) {
    DataTree t = new DataTree();
    for (Txn txn : txns(ops)) t.apply(txn);
    DataTree copy = DataTree.fromSnapshot(t.snapshotNodes(), t.lastProcessedZxid());
    assertEquals(t.digest(), copy.digest());
    assertEquals(t.snapshotNodes(), copy.snapshotNodes());
  }

  @Property(tries = 300)
  void aFailedMultiChangesNothing(@ForAll @Size(max = 30) List<@From("writes") Op> ops) {
    DataTree t = new DataTree();
    for (Txn txn : txns(ops)) {
      long before = t.digest();
      List<DataTree.SnapshotNode> nodes = t.snapshotNodes();
      DataTree.Applied a = t.apply(txn);
      if (txn.op() instanceof Op.Multi && a.result() instanceof OpResult.Failed) {
        assertEquals(before, t.digest());
        assertEquals(nodes, t.snapshotNodes());
        assertEquals(List.of(), a.events());
      }
    }
  }

  @Property(tries = 300)
  void txnsRoundTripThroughTheCodec(@ForAll @Size(max = 20) List<@From("writes") Op> ops) throws Exception {
    for (Txn t : txns(ops)) assertEquals(t, TxnCodec.decode(TxnCodec.encode(t)));
  }
}
