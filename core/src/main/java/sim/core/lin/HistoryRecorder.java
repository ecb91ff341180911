package sim.core.lin;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.Check;

/**
 * What a workload writes down while it runs: each invocation, and how it ended. Operations still open when
 * the history is taken count as {@link Operation.Outcome#UNKNOWN}: they may have taken effect.
 */
public final class HistoryRecorder<I, O> {
  private record Open<I>(int client, I input, long invokeNanos) {}

  private final TreeMap<Integer, Open<I>> open = new TreeMap<>();
  private final List<Operation<I, O>> done = new ArrayList<>();
  private int nextId;

  /** A client invokes an operation now; returns its id for {@link #ok}/{@link #fail}/{@link #unknown}. */
  public int invoke(int client, I input, long nowNanos) {
    int id = nextId++;
    open.put(id, new Open<>(client, input, nowNanos));
    return id;
  }

  public void ok(int id, O output, long nowNanos) {
    Open<I> o = take(id);
    done.add(new Operation<>(id, o.client(), o.input(), output, o.invokeNanos(), nowNanos, Operation.Outcome.OK));
  }

  /** The operation definitely did not take effect (the server refused it before applying anything). */
  public void fail(int id, long nowNanos) {
    Open<I> o = take(id);
    done.add(new Operation<>(id, o.client(), o.input(), null, o.invokeNanos(), nowNanos, Operation.Outcome.FAIL));
  }

  /** A timeout or a lost connection: the operation may or may not have taken effect. */
  public void unknown(int id) {
    Open<I> o = take(id);
    done.add(new Operation<>(id, o.client(), o.input(), null, o.invokeNanos(), Long.MAX_VALUE, Operation.Outcome.UNKNOWN));
  }

  public boolean isOpen(int id) {
    return open.containsKey(id);
  }

  private Open<I> take(int id) {
    Open<I> o = open.remove(id);
    Check.argument(o != null, "operation %s is not open", id);
    return o;
  }

  /** Everything so far, in id order; still-open operations as unknown. */
  public List<Operation<I, O>> history() {
    List<Operation<I, O>> all = new ArrayList<>(done);
    for (var e : open.entrySet()) {
      Open<I> o = e.getValue();
      all.add(new Operation<>(e.getKey(), o.client(), o.input(), null, o.invokeNanos(), Long.MAX_VALUE, Operation.Outcome.UNKNOWN));
    }
    all.sort((a, b) -> Integer.compare(a.id(), b.id()));
    return all;
  }
}
