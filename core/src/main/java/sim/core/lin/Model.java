package sim.core.lin;

import java.util.Optional;

/**
 * A sequential specification: what one operation does to the state, and which outputs it may return.
 * States must have value equality ({@code equals}/{@code hashCode}): the checker memoises (state, set of
 * linearized operations) pairs, as Lowe's refinement of Wing & Gong's algorithm does.
 *
 * @param <S> the state (immutable)
 * @param <I> an operation's input
 * @param <O> an operation's output
 */
public interface Model<S, I, O> {
  S init();

  /**
   * The state after applying {@code input} to {@code state}, if returning {@code output} is allowed there;
   * empty if not. {@code output} may be null where null is a real answer (a read of a missing key).
   */
  Optional<S> step(S state, I input, O output);

  /**
   * The state after an operation of unknown outcome takes effect on {@code state}: its output was never
   * seen, so any output is allowed.
   */
  S stepUnknown(S state, I input);

  /**
   * P-compositionality: operations on different partitions (keys) are independent, so each partition is
   * checked on its own, which keeps the search small. Null puts every operation in one partition.
   */
  default String partition(I input) {
    return null;
  }

  /** How a state reads in a counterexample. */
  default String describe(S state) {
    return String.valueOf(state);
  }
}
