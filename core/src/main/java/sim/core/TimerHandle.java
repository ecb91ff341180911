package sim.core;

/** A timer that was set; cancelling it means it will not fire. Crashes cancel every timer of the node. */
public final class TimerHandle {
  private boolean cancelled;

  public void cancel() {
    cancelled = true;
  }

  public boolean isCancelled() {
    return cancelled;
  }
}
