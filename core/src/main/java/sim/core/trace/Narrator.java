package sim.core.trace;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import sim.core.Durations;

/**
 * Tells the story of a run for a person: write-path points, faults, crashes, elections. Plumbing (every send
 * and delivery, every disk write) and the final checks (the verdict block prints them) are left out, long
 * values are shortened, long details wrap, and a stretch that repeats itself is shown {@value
 * Repetitions#SHOWN} times and then summed up ("… 1,485 more redis.call → …, same shape"). {@code verbose}
 * shows every event whole. A {@link NarrationFilter} narrows what is told; call {@link #finish()} at the end.
 */
public final class Narrator implements TraceListener {
  private static final Set<String> PLUMBING = Set.of(
      "send", "deliver", "timer", "disk.write", "disk.create", "disk.fsync", "disk.truncate", "disk.rename",
      "disk.delete", "action");
  /** Prefixes of the kernel's own kinds: "fsync.wait → fsync.done" must not become "wait → done". */
  private static final Set<String> KERNEL_PREFIXES = Set.of("fsync.", "disk.", "conn.", "clock.", "lesson.", "invariant.");
  /** Told by the verdict block after the run, so not twice. */
  private static final Set<String> TOLD_AFTER = Set.of("check");

  private final PrintStream out;
  private final boolean verbose;
  private final EventFormat format;
  private final NarrationFilter filter;
  private final Repetitions repetitions;
  private long told;

  public Narrator(PrintStream out, boolean verbose) {
    this(out, verbose, verbose ? EventFormat.PLAIN : new EventFormat(8, EventFormat.DEFAULT_KIND_WIDTH, 0, true),
        NarrationFilter.ALL);
  }

  public Narrator(PrintStream out, boolean verbose, EventFormat format, NarrationFilter filter) {
    this.out = out;
    this.verbose = verbose;
    this.format = format;
    this.filter = filter;
    this.repetitions = verbose ? null : new Repetitions(new Repetitions.Sink() {
      @Override
      public void print(TraceEvent e) {
        tell(e);
      }

      @Override
      public void folded(Repetitions.Fold fold) {
        out.println(foldLine(fold));
      }
    });
  }

  public static boolean isPlumbing(String kind) {
    return PLUMBING.contains(kind);
  }

  @Override
  public void onEvent(TraceEvent e) {
    if (!filter.matches(e, verbose)) return;
    if (!verbose && filter.only().isEmpty() && TOLD_AFTER.contains(e.kind())) return;
    if (repetitions == null) tell(e); else repetitions.accept(e);
  }

  /** Prints what a fold in progress holds back; the run is over. */
  public void finish() {
    if (repetitions != null) repetitions.flush();
    out.flush();
  }

  /** How many event lines were printed (folded events not counted). */
  public long told() {
    return told;
  }

  private void tell(TraceEvent e) {
    out.println(format.format(e));
    told++;
  }

  private String foldLine(Repetitions.Fold fold) {
    return String.format("[%9s] ", Durations.format(fold.lastTimeNanos())) + wrapAfterTime(foldSummary(fold));
  }

  /** "… 97 more call → aof.write, same shape" for whole cycles; "… 1 more event of …" for a stretch of events. */
  static String foldSummary(Repetitions.Fold fold) {
    if (fold.exact()) return String.format(Locale.ROOT, "… %,d more %s, same shape (--verbose shows them)", fold.cycles(), label(fold.kinds()));
    boolean one = fold.events() == 1;
    return String.format(Locale.ROOT, "… %,d more %s of %s, same %s (--verbose shows them)", fold.events(),
        one ? "event" : "events", label(fold.kinds()), one ? "shape" : "shapes");
  }

  private String wrapAfterTime(String what) {
    if (format.width() <= 0) return what;
    String indent = " ".repeat(EventFormat.TIME_WIDTH + 2);
    List<String> lines = Text.wrap(what, Math.max(20, format.width() - EventFormat.TIME_WIDTH - 2), "");
    return String.join("\n" + indent, lines);
  }

  /** "call → aof.write → aof.fsync": the kinds of one cycle, their common system prefix dropped, repeats as ×n. */
  static String label(List<String> kinds) {
    String prefix = commonSystemPrefix(kinds);
    List<String> parts = new ArrayList<>();
    String previous = null;
    int run = 0;
    for (String k : kinds) {
      String name = k.substring(prefix.length());
      if (name.equals(previous)) {
        run++;
        continue;
      }
      if (previous != null) parts.add(previous + (run > 1 ? " ×" + run : ""));
      previous = name;
      run = 1;
    }
    if (previous != null) parts.add(previous + (run > 1 ? " ×" + run : ""));
    return String.join(" → ", parts);
  }

  private static String commonSystemPrefix(List<String> kinds) {
    if (kinds.isEmpty()) return "";
    String first = kinds.get(0);
    int dot = first.indexOf('.');
    if (dot < 0) return "";
    String prefix = first.substring(0, dot + 1);
    if (KERNEL_PREFIXES.contains(prefix)) return "";
    for (String k : kinds) if (!k.startsWith(prefix)) return "";
    return prefix;
  }
}
