package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * Every operation the clients of a run invoked, in invocation order, with how each ended. It lives outside
 * the simulated nodes (it is the test's observer, like a Jepsen history), so a client crash does not erase it.
 */
public final class History {
  private final List<Op> ops = new ArrayList<>();
  private final sim.core.Simulation sim;

  public History(sim.core.Simulation sim) {
    this.sim = sim;
  }

  /** Times are the simulation's, not a client's skewed clock: the history is judged in real time. */
  long now() {
    return sim.nowNanos();
  }

  Op invoke(Op op) {
    ops.add(op);
    return op;
  }

  void ok(Op op, long nowNanos) {
    op.status = Op.Status.OK;
    op.completedNanos = nowNanos;
  }

  void fail(Op op, long nowNanos, String error) {
    op.status = Op.Status.FAILED;
    op.completedNanos = nowNanos;
    op.error = error;
  }

  void unknown(Op op, String error) {
    if (op.status != Op.Status.PENDING) return;
    op.status = Op.Status.UNKNOWN;
    op.error = error;
  }

  public List<Op> ops() {
    return ops;
  }

  long count(String client) {
    return ops.stream().filter(o -> o.client.equals(client)).count();
  }
}
