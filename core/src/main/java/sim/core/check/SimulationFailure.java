package sim.core.check;

import java.util.List;
import sim.core.trace.TraceEvent;

/**
 * A run that must stop: an invariant was violated or a model threw. The message carries everything needed
 * to reproduce it: the seed, the command that replays it, and the last events of the trace.
 */
public final class SimulationFailure extends RuntimeException {
  private final String invariant;
  private final long seed;
  private final String replayCommand;
  private final List<TraceEvent> lastEvents;

  public SimulationFailure(String invariant, String detail, long seed, String replayCommand,
      List<TraceEvent> lastEvents, Throwable cause) {
    super(render(invariant, detail, seed, replayCommand, lastEvents), cause);
    this.invariant = invariant;
    this.seed = seed;
    this.replayCommand = replayCommand;
    this.lastEvents = List.copyOf(lastEvents);
  }

  public String invariant() {
    return invariant;
  }

  public long seed() {
    return seed;
  }

  public String replayCommand() {
    return replayCommand;
  }

  public List<TraceEvent> lastEvents() {
    return lastEvents;
  }

  private static String render(String invariant, String detail, long seed, String replay, List<TraceEvent> last) {
    StringBuilder b = new StringBuilder();
    b.append("invariant violated: ").append(invariant).append("\n  ").append(detail);
    b.append("\n  seed: ").append(seed);
    b.append("\n  replay: ").append(replay);
    b.append("\n  last ").append(last.size()).append(" events:");
    for (TraceEvent e : last) b.append("\n    ").append(e.narrate());
    return b.toString();
  }
}
