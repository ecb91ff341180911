package sim.lab.server;

/**
 * When a fault clicked in the lab happens, as a plan item: the roundest simulated time after the event just
 * shown and no later than the next event due, so that replaying the plan from the seed puts the fault exactly
 * between what the learner saw and what comes next. A plan item scheduled at setup runs before any event
 * scheduled later for the same instant, so "no later than the next event" is enough.
 */
final class ActionTime {
  private static final long[] GRAINS = {1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L,
      1_000L, 100L, 10L, 1L};

  private ActionTime() {}

  /**
   * The time for a fault after {@code nowNanos}, at most {@code nextEventNanos} (Long.MAX_VALUE: nothing
   * pending) and at most {@code endNanos} (the end of the fault phase); -1 when there is none.
   */
  static long choose(long nowNanos, long nextEventNanos, long endNanos) {
    long upper = Math.min(nextEventNanos, endNanos);
    if (upper <= nowNanos) return -1;
    for (long g : GRAINS) {
      long t = (nowNanos / g + 1) * g;
      if (t <= upper) return t;
    }
    return -1; // unreachable: the 1 ns grain always fits
  }
}
