package sim.core.lin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks a history against a sequential {@link Model}: Wing &amp; Gong's search with Lowe's memoisation of
 * (linearized set, state), over each partition of a P-compositional model separately, as Porcupine and
 * Knossos do. Operations that failed are left out; operations of unknown outcome may take effect at any
 * point after their invocation. On failure the counterexample is shrunk to a minimal non-linearizable
 * sub-history of the failing partition (delta debugging over its operations).
 */
public final class Linearizability {
  /** The verdict. {@code exhausted} means the search budget ran out before an answer: not a violation. */
  public record Result<I, O>(boolean linearizable, boolean exhausted, String partition, List<Operation<I, O>> counterexample,
      int operations) {
    public String describe() {
      if (exhausted) return "linearizability undecided: search budget exhausted on partition " + partition;
      if (linearizable) return operations + " operations linearizable";
      StringBuilder b = new StringBuilder("not linearizable" + (partition == null ? "" : " (partition " + partition + ")")
          + "; a minimal non-linearizable sub-history of " + counterexample.size() + " operations:");
      for (Operation<I, O> op : counterexample) b.append("\n    ").append(op);
      return b.toString();
    }
  }

  /** Steps of the search for a sequential order that ignores real time, while shrinking a counterexample. */
  static final long PLAUSIBILITY_BUDGET_STEPS = 50_000L;

  /** Steps of the search per partition before giving up (bounded loops). */
  public static final long DEFAULT_BUDGET_STEPS = 50_000_000L;

  private Linearizability() {}

  public static <S, I, O> Result<I, O> check(Model<S, I, O> model, List<Operation<I, O>> history) {
    return check(model, history, DEFAULT_BUDGET_STEPS);
  }

  public static <S, I, O> Result<I, O> check(Model<S, I, O> model, List<Operation<I, O>> history, long budgetSteps) {
    TreeMap<String, List<Operation<I, O>>> partitions = new TreeMap<>();
    List<Operation<I, O>> unpartitioned = new ArrayList<>();
    int count = 0;
    for (Operation<I, O> op : history) {
      if (op.outcome() == Operation.Outcome.FAIL) continue;
      count++;
      String key = model.partition(op.input());
      if (key == null) unpartitioned.add(op); else partitions.computeIfAbsent(key, k -> new ArrayList<>()).add(op);
    }
    if (!unpartitioned.isEmpty()) partitions.put("", unpartitioned);
    for (var e : partitions.entrySet()) {
      Verdict v = search(model, e.getValue(), budgetSteps);
      String name = e.getKey().isEmpty() ? null : e.getKey();
      if (v == Verdict.EXHAUSTED) return new Result<>(false, true, name, List.of(), count);
      if (v == Verdict.NO) return new Result<>(false, false, name, shrink(model, e.getValue(), budgetSteps), count);
    }
    return new Result<>(true, false, null, List.of(), count);
  }

  /** Whether one partition's operations are linearizable (no partitioning applied). */
  public static <S, I, O> boolean isLinearizable(Model<S, I, O> model, List<Operation<I, O>> ops) {
    return search(model, ops, DEFAULT_BUDGET_STEPS) == Verdict.YES;
  }

  private enum Verdict { YES, NO, EXHAUSTED }

  /** A call or return in the doubly linked list the search lifts operations out of. */
  private static final class Entry<I, O> {
    final Operation<I, O> op;
    final int index;
    final boolean call;
    Entry<I, O> match;
    Entry<I, O> prev;
    Entry<I, O> next;

    Entry(Operation<I, O> op, int index, boolean call) {
      this.op = op;
      this.index = index;
      this.call = call;
    }
  }

  /**
   * A configuration already explored: which operations are linearized, and the state they led to. The set's
   * hash is a Zobrist hash (the XOR of one random key per operation), kept up to date as operations are
   * linearized and undone: {@link BitSet#hashCode} folds bit i onto bit i + 32 and collides constantly on
   * the subsets a search produces.
   */
  private record Memo(long setHash, BitSet linearized, Object state) {
    @Override
    public int hashCode() {
      long h = setHash * 0x9E3779B97F4A7C15L + state.hashCode();
      return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Memo m && m.setHash == setHash && m.state.equals(state) && m.linearized.equals(linearized);
    }
  }

  /** The Zobrist key of operation {@code index}: SplitMix64 of the index, fixed so verdicts never vary. */
  private static long key(int index) {
    long z = (index + 1) * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private record Frame<I, O>(Entry<I, O> entry, Object state) {}

  @SuppressWarnings("unchecked")
  private static <S, I, O> Verdict search(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps) {
    Entry<I, O> head = list(ops);
    S state = model.init();
    BitSet linearized = new BitSet(ops.size());
    long setHash = 0;
    Set<Memo> cache = new HashSet<>();
    List<Frame<I, O>> stack = new ArrayList<>();
    Entry<I, O> entry = head.next;
    int knownLeft = 0;
    for (Operation<I, O> op : ops) if (op.returned()) knownLeft++;
    long steps = 0;
    // Once every operation that returned is linearized, the unknown ones left can all go last: each may take
    // effect or not, and nothing after them constrains them.
    while (knownLeft > 0) {
      if (++steps > budgetSteps) return Verdict.EXHAUSTED;
      if (entry.call) {
        Optional<S> next = entry.op.returned() ? model.step(state, entry.op.input(), entry.op.output())
            : unknownStep(model, state, entry.op.input());
        if (next.isPresent()) {
          BitSet with = (BitSet) linearized.clone();
          with.set(entry.index);
          long withHash = setHash ^ key(entry.index);
          if (cache.add(new Memo(withHash, with, next.get()))) {
            stack.add(new Frame<>(entry, state));
            state = next.get();
            linearized = with;
            setHash = withHash;
            lift(entry);
            if (entry.op.returned()) knownLeft--;
            entry = head.next;
            continue;
          }
        }
        entry = entry.next;
      } else {
        if (stack.isEmpty()) return Verdict.NO;
        Frame<I, O> top = stack.remove(stack.size() - 1);
        state = (S) top.state();
        linearized = (BitSet) linearized.clone();
        linearized.clear(top.entry().index);
        setHash ^= key(top.entry().index);
        unlift(top.entry());
        if (top.entry().op.returned()) knownLeft++;
        entry = top.entry().next;
      }
    }
    return Verdict.YES;
  }

  /**
   * An operation of unknown outcome that would change nothing here is not linearized here: placing it after
   * every returned operation instead is just as valid (its return is at the end of time, so nothing must
   * follow it, and it changed no state others saw). This keeps a history with many lost reads from
   * multiplying the search by two for each of them.
   */
  private static <S, I, O> Optional<S> unknownStep(Model<S, I, O> model, S state, I input) {
    S next = model.stepUnknown(state, input);
    return next.equals(state) ? Optional.empty() : Optional.of(next);
  }

  /** Calls and returns sorted by time; at equal times calls first (touching operations count as concurrent). */
  private static <I, O> Entry<I, O> list(List<Operation<I, O>> ops) {
    List<Entry<I, O>> entries = new ArrayList<>(ops.size() * 2);
    for (int i = 0; i < ops.size(); i++) {
      Operation<I, O> op = ops.get(i);
      Entry<I, O> call = new Entry<>(op, i, true);
      Entry<I, O> ret = new Entry<>(op, i, false);
      call.match = ret;
      ret.match = call;
      entries.add(call);
      entries.add(ret);
    }
    entries.sort((a, b) -> {
      int c = Long.compare(time(a), time(b));
      if (c != 0) return c;
      if (a.call != b.call) return a.call ? -1 : 1;
      return Integer.compare(a.index, b.index);
    });
    Entry<I, O> head = new Entry<>(null, -1, false);
    Entry<I, O> prev = head;
    for (Entry<I, O> e : entries) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
    return head;
  }

  private static long time(Entry<?, ?> e) {
    return e.call ? e.op.invokeNanos() : e.op.returnNanos();
  }

  private static <I, O> void lift(Entry<I, O> call) {
    remove(call);
    remove(call.match);
  }

  private static <I, O> void remove(Entry<I, O> e) {
    e.prev.next = e.next;
    if (e.next != null) e.next.prev = e.prev;
  }

  private static <I, O> void unlift(Entry<I, O> call) {
    Entry<I, O> ret = call.match;
    ret.prev.next = ret;
    if (ret.next != null) ret.next.prev = ret;
    call.prev.next = call;
    if (call.next != null) call.next.prev = call;
  }

  /**
   * Delta debugging: drop chunks of operations while what is left stays non-linearizable. When the whole
   * partition has some sequential order that ignores real time (the usual case: the failure is about
   * ordering), the shrunk history must keep one too, so it still explains every value it read and shows
   * the real-time order the system broke, rather than collapsing to a lone read of an unwritten value.
   * Finding that order is a search over every interleaving, so it gets a small budget of its own: a candidate
   * whose order is not found within it is kept out, and a history whose own order is not found is shrunk
   * without the condition.
   */
  private static <S, I, O> List<Operation<I, O>> shrink(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps) {
    long plausibleBudget = Math.min(budgetSteps, PLAUSIBILITY_BUDGET_STEPS);
    boolean keepPlausible = search(model, timeless(ops), plausibleBudget) == Verdict.YES;
    List<Operation<I, O>> current = new ArrayList<>(ops);
    int chunk = Math.max(1, current.size() / 2);
    int checks = 0;
    while (chunk >= 1 && checks < 5_000) {
      boolean removed = false;
      for (int from = 0; from < current.size() && checks < 5_000; ) {
        int to = Math.min(current.size(), from + chunk);
        List<Operation<I, O>> candidate = new ArrayList<>(current.subList(0, from));
        candidate.addAll(current.subList(to, current.size()));
        checks++;
        if (!candidate.isEmpty() && search(model, candidate, budgetSteps) == Verdict.NO
            && (!keepPlausible || search(model, timeless(candidate), plausibleBudget) == Verdict.YES)) {
          current = candidate;
          removed = true;
        } else {
          from = to;
        }
      }
      if (!removed) chunk /= 2;
    }
    return current;
  }

  /** The same operations, all concurrent: only the model's sequential rules constrain them. */
  private static <I, O> List<Operation<I, O>> timeless(List<Operation<I, O>> ops) {
    List<Operation<I, O>> out = new ArrayList<>(ops.size());
    for (Operation<I, O> op : ops) {
      out.add(op.returned() ? new Operation<>(op.id(), op.client(), op.input(), op.output(), 0, Long.MAX_VALUE - 1, op.outcome()) : op);
    }
    return out;
  }
}
