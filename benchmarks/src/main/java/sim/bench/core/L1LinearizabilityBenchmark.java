package sim.bench.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import sim.core.lin.Linearizability;
import sim.core.lin.Model;
import sim.core.lin.Models;
import sim.core.lin.Models.Read;
import sim.core.lin.Models.RegisterOp;
import sim.core.lin.Models.Write;
import sim.core.lin.Operation;

/**
 * L1: the linearizability checker on a 1,000-operation register history from 8 clients (goal: under 1 s),
 * against the brute-force definition — every order of the operations that respects real time, tried one by
 * one — on only 12 operations from the same 8 clients. Both histories end with one stale read, so neither
 * side can stop at the first order that works: the checker must rule every configuration out (and then
 * shrinks the counterexample), brute force every order. A linearizable 1,000-operation history is
 * measured too.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class L1LinearizabilityBenchmark {
  private List<Operation<RegisterOp, Object>> holds1000;
  private List<Operation<RegisterOp, Object>> stale1000;
  private List<Operation<RegisterOp, Object>> stale12;

  @Setup
  public void histories() {
    holds1000 = history(1000, 8, 42, false);
    stale1000 = history(1000, 8, 42, true);
    stale12 = history(12, 8, 42, true);
    if (!Linearizability.check(Models.register(), holds1000).linearizable()) throw new IllegalStateException("expected linearizable");
    if (Linearizability.check(Models.register(), stale1000).linearizable()) throw new IllegalStateException("expected a violation");
    if (bruteForce(Models.register(), stale12) != 0) throw new IllegalStateException("expected a violation");
  }

  @Benchmark
  public boolean linearizable1000Ops8Clients() {
    return Linearizability.check(Models.register(), holds1000).linearizable();
  }

  @Benchmark
  public boolean staleRead1000Ops8Clients() {
    return Linearizability.check(Models.register(), stale1000).linearizable();
  }

  @Benchmark
  public long baselineBruteForce12Ops8Clients() {
    return bruteForce(Models.register(), stale12);
  }

  /**
   * Each client runs operations one after another, at random linearization points inside random intervals;
   * writes have unique values; outputs are what that sequential run returned. With {@code stale}, a last
   * read, after everything else returned, answers the first value written.
   */
  static List<Operation<RegisterOp, Object>> history(int count, int clients, long seed, boolean stale) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] free = new long[clients];
    record Planned(int id, int client, RegisterOp op, long invoke, long ret, long point) {}
    List<Planned> planned = new ArrayList<>();
    int ops = stale ? count - 1 : count;
    for (int id = 0; id < ops; id++) {
      int c = id % clients;
      long invoke = free[c] + r.nextInt(20);
      long ret = invoke + 1 + r.nextInt(100);
      free[c] = ret;
      RegisterOp op = r.nextInt(2) == 0 || id < clients ? new Write("v" + id) : new Read();
      planned.add(new Planned(id, c, op, invoke, ret, invoke + r.nextLong(ret - invoke + 1)));
    }
    List<Planned> byPoint = new ArrayList<>(planned);
    byPoint.sort((a, b) -> Long.compare(a.point(), b.point()));
    String value = null;
    Object[] out = new Object[ops];
    for (Planned p : byPoint) {
      if (p.op() instanceof Write w) value = w.value();
      else out[p.id()] = value;
    }
    List<Operation<RegisterOp, Object>> history = new ArrayList<>();
    long end = 0;
    for (Planned p : planned) {
      history.add(new Operation<>(p.id(), p.client(), p.op(), out[p.id()], p.invoke(), p.ret(), Operation.Outcome.OK));
      end = Math.max(end, p.ret());
    }
    if (stale) history.add(new Operation<>(ops, 0, new Read(), "v0", end + 1, end + 2, Operation.Outcome.OK));
    return history;
  }

  /** The definition, executed with no memo and no pruning: counts the orders that respect real time and the model. */
  static <S, I, O> long bruteForce(Model<S, I, O> model, List<Operation<I, O>> ops) {
    return orders(model, ops, new boolean[ops.size()], model.init(), 0);
  }

  private static <S, I, O> long orders(Model<S, I, O> model, List<Operation<I, O>> ops, boolean[] placed, S state, int done) {
    if (done == ops.size()) return 1;
    long found = 0;
    for (int i = 0; i < ops.size(); i++) {
      if (placed[i] || !minimal(ops, placed, i)) continue;
      Optional<S> next = model.step(state, ops.get(i).input(), ops.get(i).output());
      if (next.isEmpty()) continue;
      placed[i] = true;
      found += orders(model, ops, placed, next.get(), done + 1);
      placed[i] = false;
    }
    return found;
  }

  private static <I, O> boolean minimal(List<Operation<I, O>> ops, boolean[] placed, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (j != i && !placed[j] && ops.get(j).returnNanos() < ops.get(i).invokeNanos()) return false;
    }
    return true;
  }
}
