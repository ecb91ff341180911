package sim.postgres.engine;

/** Time and deferred work for the engine; the schedule runner backs it with the kernel's Simulation. */
public interface Clock {
  long nowNanos();

  void schedule(long delayNanos, String label, Runnable action);
}
