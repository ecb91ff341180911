package sim.core.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The definition of linearizability, executed: some order of the operations that returned, plus any subset
 * of the unknown ones, respects real time (an operation that returned before another was invoked comes
 * first; touching ones are concurrent, as in the checker) and is a legal sequential run of the model. Every
 * such order is tried, with no memo and no pruning; exponential, so for tiny histories only.
 */
final class BruteForce {
  private BruteForce() {}

  static <S, I, O> boolean linearizable(Model<S, I, O> model, List<Operation<I, O>> history) {
    List<Operation<I, O>> ops = new ArrayList<>();
    for (Operation<I, O> op : history) if (op.outcome() != Operation.Outcome.FAIL) ops.add(op);
    // P-compositionality is part of what is checked elsewhere; here each partition must pass on its own too.
    List<String> keys = new ArrayList<>();
    for (Operation<I, O> op : ops) if (!keys.contains(model.partition(op.input()))) keys.add(model.partition(op.input()));
    for (String key : keys) {
      List<Operation<I, O>> part = new ArrayList<>();
      for (Operation<I, O> op : ops) if (java.util.Objects.equals(model.partition(op.input()), key)) part.add(op);
      if (!search(model, part, new boolean[part.size()], model.init())) return false;
    }
    return true;
  }

  private static <S, I, O> boolean search(Model<S, I, O> model, List<Operation<I, O>> ops, boolean[] placed, S state) {
    boolean knownLeft = false;
    for (int i = 0; i < ops.size(); i++) if (!placed[i] && ops.get(i).returned()) knownLeft = true;
    if (!knownLeft) return true; // the unknown operations left are simply never applied
    for (int i = 0; i < ops.size(); i++) {
      if (placed[i] || !minimal(ops, placed, i)) continue;
      Operation<I, O> op = ops.get(i);
      Optional<S> next = op.returned() ? model.step(state, op.input(), op.output()) : Optional.of(model.stepUnknown(state, op.input()));
      if (next.isEmpty()) continue;
      placed[i] = true;
      boolean found = search(model, ops, placed, next.get());
      placed[i] = false;
      if (found) return true;
    }
    return false;
  }

  /** No unplaced operation returned before {@code i} was invoked. */
  private static <I, O> boolean minimal(List<Operation<I, O>> ops, boolean[] placed, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (j != i && !placed[j] && ops.get(j).returnNanos() < ops.get(i).invokeNanos()) return false;
    }
    return true;
  }
}
