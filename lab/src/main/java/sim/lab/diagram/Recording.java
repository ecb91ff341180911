package sim.lab.diagram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import sim.core.Node;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.Narrator;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;

/**
 * A run as the diagram draws it: every trace event, and each node's state summary ({@link Node#describeState})
 * after every kernel step that touched the node.
 *
 * <p>Why snapshots are recorded rather than computed on demand: the diagram is one static file, with no
 * simulation behind it to ask, and replaying to an event on every click would need the whole simulator in the
 * page. A snapshot is taken once the step is over (never in the middle of a handler), only for the nodes the
 * step touched, and kept only when it differs from that node's previous one; identical summaries share one
 * string. Past {@link #FULL_BUDGET_CHARS} of distinct summaries, only steps with a write-path point, a fault or a
 * lifecycle event are snapshotted, and past {@link #HARD_BUDGET_CHARS} none: a huge run keeps its diagram
 * small, and the panel says which event a summary is from.
 *
 * <p>Snapshots read model state; {@code describeState} must not change it (the stepper's {@code state} relies on
 * the same), and a test shows that recording leaves every scenario's trace hash as it was.
 */
public final class Recording implements TraceListener {
  static final long FULL_BUDGET_CHARS = 8_000_000;
  static final long HARD_BUDGET_CHARS = 24_000_000;

  private final List<TraceEvent> events = new ArrayList<>();
  private final List<String> states = new ArrayList<>();
  private final Map<String, Integer> stateIds = new HashMap<>();
  /** Per node: (first event index of the step, state id), in event order. */
  private final Map<String, List<long[]>> snaps = new TreeMap<>();
  private final Map<String, Integer> lastState = new HashMap<>();
  private final Set<String> touched = new LinkedHashSet<>();
  private boolean touchedByStory;
  private long stepStart;
  private long stepRun = -1;
  private long stateChars;
  private Simulation sim;

  /** Reads node states from {@code sim} from now on (call before its first event). */
  public void attach(Simulation sim) {
    this.sim = sim;
    this.stepRun = sim.eventsRun();
    // The state after setup holds from the first event on: every node starts with a snapshot.
    this.stepStart = events.isEmpty() ? 0 : events.get(0).index();
    for (NodeId id : sim.nodeIds()) touched.add(id.name());
    touchedByStory = true;
  }

  @Override
  public void onEvent(TraceEvent e) {
    if (sim != null && sim.eventsRun() != stepRun) {
      snapshotTouched();
      stepRun = sim.eventsRun();
      stepStart = e.index();
    }
    events.add(e);
    if (sim != null && !e.node().equals("sim")) {
      touched.add(e.node());
      if (!Narrator.isPlumbing(e.kind())) touchedByStory = true;
    }
  }

  /** Takes the last step's snapshots; call when the run is over (or paused, before reading). */
  public void finish() {
    snapshotTouched();
  }

  private void snapshotTouched() {
    if (sim == null || touched.isEmpty()) return;
    boolean take = stateChars < FULL_BUDGET_CHARS || (touchedByStory && stateChars < HARD_BUDGET_CHARS);
    if (take) {
      for (String node : touched) snapshot(node);
    }
    touched.clear();
    touchedByStory = false;
  }

  private void snapshot(String name) {
    NodeId id = NodeId.of(name);
    if (!sim.hasNode(id)) return;
    String text = describe(sim, id);
    Integer sid = stateIds.get(text);
    if (sid == null) {
      sid = states.size();
      states.add(text);
      stateIds.put(text, sid);
      stateChars += text.length();
    }
    Integer before = lastState.put(name, sid);
    if (before != null && before.equals(sid)) return;
    snaps.computeIfAbsent(name, k -> new ArrayList<>()).add(new long[] {stepStart, sid});
  }

  /** "[up] …describeState…", "[PAUSED] …", "[CRASHED]": what the stepper's {@code state} prints. */
  public static String describe(Simulation sim, NodeId id) {
    Node n = sim.node(id);
    if (n == null) return "[CRASHED]";
    String status = sim.isPaused(id) ? "[PAUSED] " : "[up] ";
    try {
      return status + n.describeState();
    } catch (RuntimeException ex) {
      return status + "(describeState threw " + ex + ")";
    }
  }

  public List<TraceEvent> events() {
    return Collections.unmodifiableList(events);
  }

  public List<String> states() {
    return Collections.unmodifiableList(states);
  }

  /** Per node, the snapshots as (first event index of the step after which it holds, index into {@link #states}). */
  public Map<String, List<long[]>> snapshots() {
    return Collections.unmodifiableMap(snaps);
  }

  /** How many events were recorded. */
  public int size() {
    return events.size();
  }
}
