package sim.core.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Folds a stream of narrated events that repeats itself. An event's <em>shape</em> is its node, kind and
 * detail with numbers and values masked ({@link Text#shape}), so {@code b1 … offsets 3..3} and
 * {@code b2 … offsets 4..4} are alike. A <em>cycle</em> is the run of events from one event of some shape
 * (the anchor) up to the next event of that shape. When the last {@link #SHOWN} cycles held the same shapes
 * (in any order and number: interleavings and batch sizes vary), the next cycles made of those shapes are
 * held back and reported as one summary. An event of any other shape ends the fold: the summary, the
 * held-back tail, then that event. A cycle folded once is folded again at its next anchor without being
 * shown {@link #SHOWN} more times; a longer cycle found in the raw stream (inserts, then an update) replaces
 * a shorter one when the shorter one breaks.
 */
final class Repetitions {
  /** How many cycles are shown before the rest are folded. */
  static final int SHOWN = 3;
  /** The longest cycle recognised, in events. */
  static final int MAX_CYCLE = 40;

  /**
   * What a fold hid: {@code cycles} cycles of {@code events} events in all ({@code exact}: each as long as
   * the ones shown); {@code kinds} are the cycle's kinds in order of appearance.
   */
  record Fold(int cycles, int events, boolean exact, List<String> kinds, long lastTimeNanos) {}

  interface Sink {
    void print(TraceEvent e);

    void folded(Fold fold);
  }

  /** Faults, lifecycle and verdicts: always shown, never folded, never learned into a cycle. */
  private static final Set<String> SALIENT = Set.of("start", "crash", "restart", "pause", "resume", "partition",
      "heal", "fault", "swarm", "phase", "panic", "disk.crash", "conn.reset", "fsync.failed", "invariant.violated",
      "lesson.departed", "break", "clock.skew", "slow", "check");

  private record Cycle(String anchor, Set<String> shapes, int length, List<String> kinds) {}

  private record Seen(String shape, String kind, long timeNanos) {}

  private final Sink sink;
  private final ArrayDeque<Seen> raw = new ArrayDeque<>();
  private Cycle cycle;
  private boolean folding;
  private final List<TraceEvent> held = new ArrayList<>();
  private final List<String> heldShapes = new ArrayList<>();
  /** Shapes shown since the last fold broke: variants of the cycle if its anchor comes back soon. */
  private final Set<String> sinceFold = new HashSet<>();
  private int shownSinceFold;
  private int foldedCycles;
  private int foldedEvents;
  private boolean exact;
  private long lastTimeNanos;

  Repetitions(Sink sink) {
    this.sink = sink;
  }

  void accept(TraceEvent e) {
    String s = shapeOf(e);
    remember(new Seen(s, e.kind(), e.timeNanos()));
    route(e, s);
  }

  private void route(TraceEvent e, String s) {
    if (SALIENT.contains(e.kind())) {
      if (folding) {
        if (heldIsOneCycle()) foldHeld();
        endFold();
      }
      show(e, s);
      sinceFold.clear();
      shownSinceFold = MAX_CYCLE + 1; // a fault is no variant of the cycle
      return;
    }
    if (folding) {
      if (s.equals(cycle.anchor)) {
        if (heldIsOneCycle()) {
          foldHeld();
          hold(e, s);
          return;
        }
        endFold();
        route(e, s);
        return;
      }
      if (!cycle.shapes.contains(s) || held.size() >= 2 * cycle.length) {
        if (heldIsOneCycle()) foldHeld();
        endFold();
        Cycle longer = detect(s);
        if (longer != null) {
          cycle = longer;
          startFold(e, s);
          return;
        }
        route(e, s);
        return;
      }
      hold(e, s);
      return;
    }
    if (cycle != null && s.equals(cycle.anchor)) {
      if (shownSinceFold <= MAX_CYCLE) cycle.shapes.addAll(sinceFold); // seen once now, folded from here on
      startFold(e, s);
      return;
    }
    Cycle found = detect(s);
    if (found != null) {
      cycle = found;
      startFold(e, s);
      return;
    }
    show(e, s);
  }

  private void show(TraceEvent e, String s) {
    sink.print(e);
    sinceFold.add(s);
    shownSinceFold++;
  }

  /** Ends any fold in progress: its summary, then what it held back. */
  void flush() {
    if (!folding) return;
    if (heldIsOneCycle()) foldHeld();
    endFold();
  }

  private void remember(Seen seen) {
    raw.addLast(seen);
    if (raw.size() > SHOWN * MAX_CYCLE + 1) raw.removeFirst();
  }

  private void startFold(TraceEvent e, String s) {
    folding = true;
    foldedCycles = 0;
    foldedEvents = 0;
    exact = true;
    held.clear();
    heldShapes.clear();
    hold(e, s);
  }

  private void hold(TraceEvent e, String s) {
    held.add(e);
    heldShapes.add(s);
  }

  /** What is held back is one more cycle: count it instead of showing it. */
  private void foldHeld() {
    foldedCycles++;
    foldedEvents += held.size();
    exact &= held.size() == cycle.length;
    lastTimeNanos = held.get(held.size() - 1).timeNanos();
    held.clear();
    heldShapes.clear();
  }

  private void endFold() {
    folding = false;
    if (foldedCycles > 0) sink.folded(new Fold(foldedCycles, foldedEvents, exact, cycle.kinds, lastTimeNanos));
    List<TraceEvent> tail = new ArrayList<>(held);
    List<String> tailShapes = new ArrayList<>(heldShapes);
    held.clear();
    heldShapes.clear();
    sinceFold.clear();
    shownSinceFold = 0;
    for (int i = 0; i < tail.size(); i++) show(tail.get(i), tailShapes.get(i));
  }

  private boolean heldIsOneCycle() {
    return !held.isEmpty() && held.size() <= 2 * cycle.length && cycle.shapes.containsAll(heldShapes);
  }

  /**
   * Whether the raw stream before this event (of shape {@code s}) ends in {@link #SHOWN} cycles delimited by
   * events of shape {@code s} with the same shapes.
   */
  private Cycle detect(String s) {
    List<Seen> h = new ArrayList<>(raw);
    h.remove(h.size() - 1); // the event itself
    int[] starts = new int[SHOWN + 1];
    starts[0] = h.size();
    int found = 0;
    for (int i = h.size() - 1; i >= 0 && found < SHOWN; i--) {
      if (h.get(i).shape.equals(s)) starts[++found] = i;
      if (starts[0] - i > SHOWN * MAX_CYCLE) return null;
    }
    if (found < SHOWN) return null;
    Set<String> shapes = shapes(h.subList(starts[1], starts[0]));
    int longest = 0;
    for (int k = 1; k <= SHOWN; k++) {
      List<Seen> segment = h.subList(starts[k], starts[k - 1]);
      if (segment.size() > MAX_CYCLE || !shapes(segment).equals(shapes)) return null;
      longest = Math.max(longest, segment.size());
    }
    List<Seen> last = h.subList(starts[1], starts[0]);
    long gapBefore = starts[1] == 0 ? 0 : h.get(starts[1]).timeNanos - h.get(starts[1] - 1).timeNanos;
    return new Cycle(s, new HashSet<>(shapes), longest, kinds(last, gapBefore));
  }

  /**
   * The cycle's kinds in the order they appear, starting where it waits longest (the stimulus: a request
   * arriving, not the middle of its handling), each kind once.
   */
  private static List<String> kinds(List<Seen> segment, long gapBefore) {
    int start = 0;
    long widest = gapBefore;
    for (int i = 1; i < segment.size(); i++) {
      long gap = segment.get(i).timeNanos - segment.get(i - 1).timeNanos;
      if (gap > widest) {
        widest = gap;
        start = i;
      }
    }
    Set<String> kinds = new LinkedHashSet<>();
    for (int i = 0; i < segment.size(); i++) kinds.add(segment.get((start + i) % segment.size()).kind);
    return List.copyOf(kinds);
  }

  private static Set<String> shapes(List<Seen> segment) {
    Set<String> out = new HashSet<>();
    for (Seen s : segment) out.add(s.shape);
    return out;
  }

  /** Node, kind and detail with numbers and values masked. */
  static String shapeOf(TraceEvent e) {
    return Text.shape(e.node()) + '\u0000' + e.kind() + '\u0000' + Text.shape(e.detail());
  }
}
