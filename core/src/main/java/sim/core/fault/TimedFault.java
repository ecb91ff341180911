package sim.core.fault;

import sim.core.Durations;

/** A fault and when it happens, in simulated time from the start of the run; prints as plan text that parses back to it. */
public record TimedFault(long atNanos, FaultAction action) {
  @Override
  public String toString() {
    return "at " + Durations.formatExact(atNanos) + " " + action;
  }
}
