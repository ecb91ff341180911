package sim.core.trace;

import java.io.PrintStream;
import java.util.Set;

/**
 * Tells the story of a run for a person: write-path points, faults, crashes, elections. Plumbing
 * (every send and delivery, every disk write) is left out unless {@code verbose}.
 */
public final class Narrator implements TraceListener {
  private static final Set<String> PLUMBING = Set.of(
      "send", "deliver", "timer", "disk.write", "disk.create", "disk.fsync", "disk.truncate", "disk.rename",
      "disk.delete", "action");
  private final PrintStream out;
  private final boolean verbose;

  public Narrator(PrintStream out, boolean verbose) {
    this.out = out;
    this.verbose = verbose;
  }

  public static boolean isPlumbing(String kind) {
    return PLUMBING.contains(kind);
  }

  @Override
  public void onEvent(TraceEvent e) {
    if (verbose || !isPlumbing(e.kind())) out.println(e.narrate());
  }
}
