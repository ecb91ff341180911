package sim.core.lin;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

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

  /** Operations peeled off a history, at most, to find a witness order for its shrink. */
  static final int WITNESS_ROUNDS = 8;

  /** Without a witness: the longest counterexample candidate whose sequential plausibility is searched for. */
  static final int PLAUSIBILITY_MAX_OPS = 14;

  /** Steps of the search for a sequential order that ignores real time, for one such candidate. */
  static final long PLAUSIBILITY_BUDGET_STEPS = 1_000_000L;

  /** Steps of the search per partition before giving up (bounded loops). */
  public static final long DEFAULT_BUDGET_STEPS = 50_000_000L;

  /**
   * Configurations memoised per search before giving up: the memo is what the search keeps, so this bounds
   * its memory as the step budget bounds its time (a history with many operations of unknown outcome can
   * reach millions of configurations well within the step budget; the heap ran out before the steps did).
   */
  public static final int MAX_MEMO_ENTRIES = 2_000_000;

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

  private static <S, I, O> Verdict search(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps) {
    return search(model, ops, budgetSteps, null);
  }

  /**
   * The search; on YES, {@code order} (if given) receives a linearization: every operation, in order; on NO,
   * it receives the operation whose return the deepest configuration could not get past.
   */
  @SuppressWarnings("unchecked")
  private static <S, I, O> Verdict search(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps,
      List<Operation<I, O>> order) {
    int deepest = -1;
    Operation<I, O> stuck = null;
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
            if (cache.size() > MAX_MEMO_ENTRIES) return Verdict.EXHAUSTED;
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
        if (stack.size() > deepest) {
          deepest = stack.size();
          stuck = entry.op;
        }
        if (stack.isEmpty()) {
          if (order != null) order.add(stuck);
          return Verdict.NO;
        }
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
    if (order != null) {
      for (Frame<I, O> f : stack) order.add(f.entry().op);
      for (int i = 0; i < ops.size(); i++) if (!linearized.get(i)) order.add(ops.get(i)); // unknown ones, last
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
   * Delta debugging: drop chunks of operations while what is left stays non-linearizable. The shrunk history
   * must also stay <em>sequentially plausible</em> — one order ignoring real time explains it — so it still
   * explains every value it read and shows the real-time order the system broke, rather than collapsing to
   * a lone read of an unwritten value.
   *
   * <p>Searching every interleaving for such an order is exponential, so the shrink carries one: a
   * <em>witness</em>, built once by peeling off the operation the search could not place (again, while the
   * rest is not linearizable), taking the rest's linearization, and inserting each peeled operation where
   * the model accepts it.
   * A candidate is plausible when the witness, restricted to it, is still a legal sequential run: one pass.
   * Without a witness (a value nothing wrote), plausibility is searched for in candidates of at most
   * {@link #PLAUSIBILITY_MAX_OPS} operations, and failing that the history is shrunk without the condition.
   */
  private static <S, I, O> List<Operation<I, O>> shrink(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps) {
    List<Operation<I, O>> witness = witness(model, ops, budgetSteps);
    if (witness != null) return ddmin(model, ops, budgetSteps, c -> legalPart(model, restrict(witness, c)));
    List<Operation<I, O>> plausible = ddmin(model, ops, budgetSteps,
        c -> c.size() > PLAUSIBILITY_MAX_OPS || isPlausible(model, c) ? c : null);
    if (plausible.size() <= PLAUSIBILITY_MAX_OPS && isPlausible(model, plausible)) return plausible;
    return ddmin(model, plausible, budgetSteps, c -> c);
  }

  /** A sequential order of all of {@code ops} the model accepts, ignoring real time; null if none is found. */
  private static <S, I, O> List<Operation<I, O>> witness(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps) {
    List<Operation<I, O>> rest = new ArrayList<>(ops);
    List<Operation<I, O>> peeled = new ArrayList<>();
    List<Operation<I, O>> order = new ArrayList<>();
    for (int round = 0; round < WITNESS_ROUNDS; round++) {
      order.clear();
      Verdict v = search(model, rest, budgetSteps, order);
      if (v == Verdict.YES) break;
      if (v == Verdict.EXHAUSTED || round == WITNESS_ROUNDS - 1) return null;
      Operation<I, O> stuck = order.get(0); // what the deepest configuration could not place: peel it off
      peeled.add(stuck);
      rest.remove(stuck);
    }
    for (Operation<I, O> op : peeled) {
      if (!insertWherever(model, order, op)) return null;
    }
    return order;
  }

  /** Puts {@code op} at the first place in {@code order} where the run stays legal; false if there is none. */
  private static <S, I, O> boolean insertWherever(Model<S, I, O> model, List<Operation<I, O>> order, Operation<I, O> op) {
    for (int at = 0; at <= order.size(); at++) {
      order.add(at, op);
      if (legalRun(model, order)) return true;
      order.remove(at);
    }
    return false;
  }

  /**
   * The operations of {@code order} the model accepts run one after another, dropping each one it does not
   * (a read of a write that was removed goes with it): a legal run, by construction.
   */
  private static <S, I, O> List<Operation<I, O>> legalPart(Model<S, I, O> model, List<Operation<I, O>> order) {
    List<Operation<I, O>> out = new ArrayList<>(order.size());
    S state = model.init();
    for (Operation<I, O> op : order) {
      if (!op.returned()) {
        state = model.stepUnknown(state, op.input());
        out.add(op);
        continue;
      }
      Optional<S> next = model.step(state, op.input(), op.output());
      if (next.isEmpty()) continue;
      state = next.get();
      out.add(op);
    }
    return out;
  }

  /** Whether the model accepts these operations run one after another, in this order. */
  private static <S, I, O> boolean legalRun(Model<S, I, O> model, List<Operation<I, O>> order) {
    S state = model.init();
    for (Operation<I, O> op : order) {
      if (!op.returned()) {
        state = model.stepUnknown(state, op.input());
        continue;
      }
      Optional<S> next = model.step(state, op.input(), op.output());
      if (next.isEmpty()) return false;
      state = next.get();
    }
    return true;
  }

  private static <I, O> List<Operation<I, O>> byId(List<Operation<I, O>> ops) {
    List<Operation<I, O>> out = new ArrayList<>(ops);
    out.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return out;
  }

  private static <I, O> List<Operation<I, O>> restrict(List<Operation<I, O>> order, List<Operation<I, O>> keep) {
    Set<Integer> ids = new HashSet<>();
    for (Operation<I, O> op : keep) ids.add(op.id());
    List<Operation<I, O>> out = new ArrayList<>(keep.size());
    for (Operation<I, O> op : order) if (ids.contains(op.id())) out.add(op);
    return out;
  }

  /**
   * Drops chunks of operations, halving the chunk, while the rest stays non-linearizable. {@code admit} turns
   * what is left into the candidate to try (possibly dropping more with it), or null to skip it.
   */
  private static <S, I, O> List<Operation<I, O>> ddmin(Model<S, I, O> model, List<Operation<I, O>> ops, long budgetSteps,
      UnaryOperator<List<Operation<I, O>>> admit) {
    List<Operation<I, O>> current = new ArrayList<>(ops);
    int chunk = Math.max(1, current.size() / 2);
    int checks = 0;
    while (chunk >= 1 && checks < 5_000) {
      boolean removed = false;
      for (int from = 0; from < current.size() && checks < 5_000; ) {
        int to = Math.min(current.size(), from + chunk);
        List<Operation<I, O>> rest = new ArrayList<>(current.subList(0, from));
        rest.addAll(current.subList(to, current.size()));
        List<Operation<I, O>> candidate = admit.apply(rest);
        checks++;
        if (candidate != null && !candidate.isEmpty() && search(model, candidate, budgetSteps) == Verdict.NO) {
          current = byId(candidate);
          removed = true;
        } else {
          from = to;
        }
      }
      if (!removed) chunk /= 2;
    }
    return current;
  }

  private static <S, I, O> boolean isPlausible(Model<S, I, O> model, List<Operation<I, O>> ops) {
    return search(model, timeless(ops), PLAUSIBILITY_BUDGET_STEPS) == Verdict.YES;
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
