package sim.cli;

import java.io.PrintStream;
import java.util.Locale;
import sim.core.explore.SeedOutcome;

/**
 * The progress bar on stderr: seeds done, seeds per second (wall clock: this is the edge), and the first
 * failure as soon as a worker finds it. Redrawn at most every 100 ms, from whichever thread finished a seed.
 */
final class ExploreProgress implements ExploreRunner.Listener {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;
  /** Without a terminal (a CI log), a line now and then instead of a bar redrawn in place. */
  private static final long LOG_LINE_NANOS = 10_000_000_000L;

  private final PrintStream err;
  private final boolean enabled;
  private final boolean terminal;
  private final long startNanos = System.nanoTime();
  private long lastDrawNanos;
  private int seedsDone;
  private String failure = "";

  ExploreProgress(PrintStream err, boolean enabled, boolean terminal) {
    this.err = err;
    this.enabled = enabled;
    this.terminal = terminal;
  }

  @Override
  public synchronized void seedDone(String scenario, int done, int total) {
    seedsDone++;
    long now = System.nanoTime();
    if (!enabled || (now - lastDrawNanos < (terminal ? REDRAW_NANOS : LOG_LINE_NANOS) && done < total)) return;
    lastDrawNanos = now;
    double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
    int filled = (int) ((long) done * WIDTH / total);
    err.printf(Locale.ROOT, "%s%s [%s%s] %d/%d %.1f seeds/s%s%s", terminal ? "\r" : "", scenario, "#".repeat(filled),
        " ".repeat(WIDTH - filled), done, total, seedsDone / seconds, failure, terminal ? "" : "\n");
    err.flush();
  }

  @Override
  public synchronized void failureFound(String scenario, SeedOutcome f) {
    failure = "  first failure: seed " + f.seed() + " (" + f.failedCheck() + ")";
    if (!enabled) return;
    err.printf("%nseed %d broke %s: %s; finishing the seeds before it, then shrinking%n", f.seed(), scenario, f.failedCheck());
    err.flush();
  }

  /** Ends the bar's line before the report is printed. */
  synchronized void finish() {
    if (enabled && terminal) err.println();
    failure = "";
  }

  /** Seeds per second over the whole exploration so far. */
  synchronized double seedsPerSecond() {
    return seedsDone / Math.max(1e-9, (System.nanoTime() - startNanos) / 1e9);
  }
}
