package sim.core.lin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;
import sim.core.lin.LogModel.Append;
import sim.core.lin.LogModel.Fetch;
import sim.core.lin.LogModel.LogOp;
import sim.core.lin.Models.Cas;
import sim.core.lin.Models.KeyOp;
import sim.core.lin.Models.Read;
import sim.core.lin.Models.RegisterOp;
import sim.core.lin.Models.Write;
import sim.core.lin.ZnodeModel.Znode;
import sim.core.lin.ZnodeModel.ZnodeOp;

/**
 * The checker (Wing &amp; Gong with Lowe's memo, P-compositional, pruned) and the brute-force definition agree on
 * random small histories: up to 8 operations from up to 4 clients, each client's operations one after
 * another, with overlapping and touching intervals, some outcomes unknown and some failed. Histories come
 * from a real sequential run at random linearization points, then a third get one output changed, so
 * both verdicts occur often.
 */
class CheckerAgreesWithBruteForceProperties {
  /** What one model needs for random histories: an input, and the output it really gives in a state. */
  private record Spec<S, I, O>(Model<S, I, O> model, Function<SplittableRandom, I> input, BiFunction<S, I, O> output,
      BiFunction<SplittableRandom, O, O> corrupt) {}

  private static final String[] VALUES = {"a", "b", "c"};

  private static String value(SplittableRandom r) {
    return VALUES[r.nextInt(VALUES.length)];
  }

  private static final Spec<Optional<String>, RegisterOp, Object> REGISTER = new Spec<>(Models.register(),
      r -> switch (r.nextInt(3)) {
        case 0 -> new Read();
        case 1 -> new Write(value(r));
        default -> new Cas(r.nextBoolean() ? null : value(r), value(r));
      },
      (s, op) -> op instanceof Read ? s.orElse(null) : op instanceof Cas c ? (Object) java.util.Objects.equals(s.orElse(null), c.expect()) : null,
      (r, out) -> out instanceof Boolean b ? (Object) !b : r.nextInt(4) == 0 ? null : value(r));

  private static final Spec<Optional<String>, KeyOp, Object> KV = new Spec<>(Models.kv(),
      r -> new KeyOp(r.nextBoolean() ? "k1" : "k2", REGISTER.input().apply(r)),
      (s, op) -> REGISTER.output().apply(s, op.op()),
      REGISTER.corrupt());

  private static final Spec<LogModel.Log, LogOp, Object> LOG = new Spec<>(Models.log(),
      r -> r.nextInt(2) == 0 ? new Append(r.nextBoolean() ? "p0" : "p1", value(r)) : new Fetch(r.nextBoolean() ? "p0" : "p1", r.nextInt(4)),
      (log, op) -> {
        if (op instanceof Append) return (long) log.size();
        long from = ((Fetch) op).offset();
        if (from > log.size()) return LogModel.OUT_OF_RANGE;
        List<String> values = new ArrayList<>();
        for (long o = from; o < log.size(); o++) values.add(log.get(o));
        return values;
      },
      (r, out) -> {
        if (out instanceof Long n) return n + (r.nextBoolean() ? 1 : -1);
        if (out instanceof List<?> l && !l.isEmpty()) return r.nextBoolean() ? List.of() : List.of(value(r));
        return List.of(value(r));
      });

  private static final Spec<Optional<Znode>, ZnodeOp, Object> ZNODES = new Spec<>(Models.znodes(),
      r -> {
        String path = r.nextBoolean() ? "/a" : "/b";
        int version = r.nextInt(3) - 1;
        return switch (r.nextInt(4)) {
          case 0 -> new ZnodeModel.Create(path, value(r));
          case 1 -> new ZnodeModel.SetData(path, value(r), version);
          case 2 -> new ZnodeModel.Delete(path, version);
          default -> new ZnodeModel.GetData(path);
        };
      },
      ZnodeModel::reply,
      (r, out) -> out instanceof Znode z ? new Znode(z.data(), z.version() + 1)
          : out instanceof Integer v ? (Object) (v + 1) : r.nextBoolean() ? ZnodeModel.OK : ZnodeModel.NONODE);

  @Property(tries = 1500)
  void onRegisters(@ForAll long seed) {
    agree(REGISTER, seed);
  }

  @Property(tries = 800)
  void onKeyValueMaps(@ForAll long seed) {
    agree(KV, seed);
  }

  @Property(tries = 800)
  void onPartitionedLogs(@ForAll long seed) {
    agree(LOG, seed);
  }

  @Property(tries = 800)
  void onVersionedZnodes(@ForAll long seed) {
    agree(ZNODES, seed);
  }

  private static <S, I, O> void agree(Spec<S, I, O> spec, long seed) {
    List<Operation<I, O>> history = history(spec, new SplittableRandom(seed));
    boolean expected = BruteForce.linearizable(spec.model(), history);
    Linearizability.Result<I, O> result = Linearizability.check(spec.model(), history);
    Statistics.collect(expected ? "linearizable" : "not linearizable");
    assertEquals(expected, result.linearizable(), "history " + history + "\n" + result.describe());
    if (!expected) {
      assertEquals(false, BruteForce.linearizable(spec.model(), result.counterexample()),
          "the counterexample is itself not linearizable: " + result.describe());
      if (BruteForce.linearizable(spec.model(), timeless(history))) {
        assertEquals(true, BruteForce.linearizable(spec.model(), timeless(result.counterexample())),
            "the history had a sequential order ignoring real time, so the counterexample keeps one: " + result.describe());
      }
    }
  }

  /** All operations concurrent: only the model's sequential rules constrain them. */
  private static <I, O> List<Operation<I, O>> timeless(List<Operation<I, O>> ops) {
    List<Operation<I, O>> out = new ArrayList<>();
    for (Operation<I, O> op : ops) {
      out.add(op.returned() ? new Operation<>(op.id(), op.client(), op.input(), op.output(), 0, 1_000, op.outcome()) : op);
    }
    return out;
  }

  /** A real run at random linearization points, some outcomes hidden, maybe one output changed. */
  private static <S, I, O> List<Operation<I, O>> history(Spec<S, I, O> spec, SplittableRandom r) {
    int clients = 1 + r.nextInt(4);
    int count = 1 + r.nextInt(8);
    long[] clientFree = new long[clients];
    record Planned<I>(int id, int client, I input, long invoke, long ret, long point, int fate) {}
    List<Planned<I>> planned = new ArrayList<>();
    for (int id = 0; id < count; id++) {
      int c = r.nextInt(clients);
      long invoke = clientFree[c] + r.nextInt(3);
      long ret = invoke + r.nextInt(6);
      clientFree[c] = ret; // the client's next operation may touch this one's return
      int fate = r.nextInt(10); // 0: unknown and applied, 1: unknown and not applied, 2: failed, else ok
      planned.add(new Planned<>(id, c, spec.input().apply(r), invoke, ret, invoke + r.nextLong(ret - invoke + 1), fate));
    }
    List<Planned<I>> byPoint = new ArrayList<>(planned);
    byPoint.sort((a, b) -> a.point() != b.point() ? Long.compare(a.point(), b.point()) : Integer.compare(a.id(), b.id()));
    S state = spec.model().init();
    Object[] outputs = new Object[count];
    for (Planned<I> p : byPoint) {
      if (p.fate() == 1 || p.fate() == 2) continue; // never took effect
      outputs[p.id()] = spec.output().apply(state, p.input());
      state = spec.model().stepUnknown(state, p.input());
    }
    int corrupted = r.nextInt(3) == 0 ? r.nextInt(count) : -1;
    List<Operation<I, O>> ops = new ArrayList<>();
    for (Planned<I> p : planned) {
      Operation.Outcome outcome = p.fate() <= 1 ? Operation.Outcome.UNKNOWN : p.fate() == 2 ? Operation.Outcome.FAIL : Operation.Outcome.OK;
      @SuppressWarnings("unchecked")
      O out = (O) outputs[p.id()];
      if (p.id() == corrupted && outcome == Operation.Outcome.OK) out = spec.corrupt().apply(r, out);
      ops.add(new Operation<>(p.id(), p.client(), p.input(), out, p.invoke(), p.ret(), outcome));
    }
    return ops;
  }
}
