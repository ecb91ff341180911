package sim.core.trace;

/** Hears every trace event as it is recorded (JSONL writer, narrator, stepper breakpoints). */
@FunctionalInterface
public interface TraceListener {
  void onEvent(TraceEvent event);
}
