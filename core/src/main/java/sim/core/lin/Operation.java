package sim.core.lin;

import sim.core.Check;

/**
 * One client operation as a workload saw it: invoked at {@code invokeNanos}, and either returned at
 * {@code returnNanos} with {@code output} ({@link Outcome#OK}), definitely did not take effect
 * ({@link Outcome#FAIL}: dropped from the history before checking), or its fate is unknown
 * ({@link Outcome#UNKNOWN}: a timeout, a crash of the server; it may take effect at any point after its
 * invocation, so it is treated as returning at the end of time with any output).
 */
public record Operation<I, O>(int id, int client, I input, O output, long invokeNanos, long returnNanos, Outcome outcome) {
  public enum Outcome { OK, FAIL, UNKNOWN }

  public Operation {
    Check.argument(input != null, "an operation needs an input");
    Check.argument(outcome != Outcome.OK || returnNanos >= invokeNanos, "operation %s returned before it was invoked", id);
    if (outcome == Outcome.UNKNOWN) {
      returnNanos = Long.MAX_VALUE;
      output = null;
    }
  }

  /** The output is known: the operation returned. */
  public boolean returned() {
    return outcome == Outcome.OK;
  }

  @Override
  public String toString() {
    String end = outcome == Outcome.UNKNOWN ? "?" : String.valueOf(returnNanos);
    return "#" + id + " c" + client + " " + input + (outcome == Outcome.OK ? " -> " + output : " -> " + outcome)
        + " [" + invokeNanos + ", " + end + "]";
  }
}
