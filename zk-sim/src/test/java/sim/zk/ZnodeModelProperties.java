package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import sim.core.lin.Models;
import sim.zk.check.ZnodeModel;
import sim.zk.check.ZnodeModel.Answer;
import sim.zk.check.ZnodeModel.Call;
import sim.zk.check.ZnodeModel.Znode;
import sim.zk.tree.KeeperCode;

/**
 * The checker's znode specification agrees with the kernel's independent one ({@code sim.core.lin.ZnodeModel},
 * itself checked against a brute-force linearizability search): along random runs of create, setData,
 * delete and synced reads with expected versions, in every state both accept exactly the same answers
 * (every success and error a server could send) and move to the same state, and an unknown outcome moves
 * both the same way. The one answer only ours accepts is a create refused with NONODE on an absent node
 * (the parent is missing), which the kernel's per-path model does not know of.
 */
class ZnodeModelProperties {
  private static final String PATH = "/a";
  private static final String[] VALUES = {"x", "y", "z"};
  private static final ZnodeModel OURS = new ZnodeModel();
  private static final sim.core.lin.ZnodeModel THEIRS = Models.znodes();

  @Property(tries = 500)
  void bothSpecificationsAcceptTheSameAnswersAndAgreeOnTheState(@ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    Znode ours = OURS.init();
    Optional<sim.core.lin.ZnodeModel.Znode> theirs = THEIRS.init();
    for (int step = 0; step < 12; step++) {
      assertEquals(translate(theirs), ours, "states after " + step + " steps");
      int version = r.nextInt(4) - 1;
      String data = VALUES[r.nextInt(VALUES.length)];
      Call call;
      sim.core.lin.ZnodeModel.ZnodeOp op;
      switch (r.nextInt(4)) {
        case 0 -> { call = new ZnodeModel.Create(PATH, data); op = new sim.core.lin.ZnodeModel.Create(PATH, data); }
        case 1 -> { call = new ZnodeModel.SetData(PATH, data, version); op = new sim.core.lin.ZnodeModel.SetData(PATH, data, version); }
        case 2 -> { call = new ZnodeModel.Delete(PATH, version); op = new sim.core.lin.ZnodeModel.Delete(PATH, version); }
        default -> { call = new ZnodeModel.SyncedRead(PATH); op = new sim.core.lin.ZnodeModel.GetData(PATH); }
      }
      Object accepted = null;
      for (Object output : outputs(op)) {
        Optional<Optional<sim.core.lin.ZnodeModel.Znode>> t = THEIRS.step(theirs, op, output);
        Optional<Znode> o = OURS.step(ours, call, answer(op, output));
        assertEquals(t.map(ZnodeModelProperties::translate), o, call + " answered " + output + " in state " + ours);
        if (t.isPresent()) accepted = output;
      }
      assertEquals(true, accepted != null, "some answer is accepted for " + call + " in state " + ours);
      if (op instanceof sim.core.lin.ZnodeModel.Create && !ours.exists()) {
        assertEquals(Optional.of(ours), OURS.step(ours, call, Answer.error(KeeperCode.NONODE)), "create refused for a missing parent");
      }
      if (r.nextInt(4) == 0) {
        ours = OURS.stepUnknown(ours, call);
        theirs = THEIRS.stepUnknown(theirs, op);
      } else {
        ours = OURS.step(ours, call, answer(op, accepted)).orElseThrow();
        theirs = THEIRS.step(theirs, op, accepted).orElseThrow();
      }
    }
  }

  /** Every answer a server could send to this kind of request, in the kernel model's terms. */
  private static List<Object> outputs(sim.core.lin.ZnodeModel.ZnodeOp op) {
    List<Object> out = new ArrayList<>();
    if (op instanceof sim.core.lin.ZnodeModel.Create) return List.of(sim.core.lin.ZnodeModel.OK, sim.core.lin.ZnodeModel.NODEEXISTS);
    out.add(sim.core.lin.ZnodeModel.NONODE);
    out.add(sim.core.lin.ZnodeModel.BADVERSION);
    if (op instanceof sim.core.lin.ZnodeModel.Delete) out.add(sim.core.lin.ZnodeModel.OK);
    for (int v = 0; v <= 13; v++) {
      if (op instanceof sim.core.lin.ZnodeModel.SetData) out.add(v);
      if (op instanceof sim.core.lin.ZnodeModel.GetData) for (String d : VALUES) out.add(new sim.core.lin.ZnodeModel.Znode(d, v));
    }
    return out;
  }

  private static Answer answer(sim.core.lin.ZnodeModel.ZnodeOp op, Object output) {
    if (output instanceof Integer v) return Answer.ok(v, null);
    if (output instanceof sim.core.lin.ZnodeModel.Znode z) return Answer.ok(z.version(), z.data());
    if (output.equals(sim.core.lin.ZnodeModel.OK)) return Answer.ok(op instanceof sim.core.lin.ZnodeModel.Create ? 0 : -1, null);
    return Answer.error(KeeperCode.valueOf((String) output));
  }

  private static Znode translate(Optional<sim.core.lin.ZnodeModel.Znode> z) {
    return z.map(n -> new Znode(true, n.data(), n.version())).orElse(OURS.init());
  }
}
