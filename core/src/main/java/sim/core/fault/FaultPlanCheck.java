package sim.core.fault;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.trace.Text;

/**
 * Whether each item of a plan can act: it names nodes the scenario has, comes before the fault phase ends,
 * and finds its node in a state it can change (a restart needs a node that is down, a resume one that is
 * paused). Items are replayed in the order the kernel runs them (time, then the order written).
 */
final class FaultPlanCheck {
  private enum State { UP, DOWN, PAUSED, MAYBE_DOWN }

  /** A node's state and the item that put it there. */
  private record Since(State state, long atNanos) {}

  private FaultPlanCheck() {}

  static void check(String text, List<TimedFault> items, List<Integer> columns, Collection<NodeId> nodes,
      long endNanos, boolean randomFaults) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) order.add(i);
    order.sort(Comparator.comparingLong((Integer i) -> items.get(i).atNanos()).thenComparingInt(i -> i));
    Map<NodeId, Since> states = new HashMap<>();
    Map<Integer, String> problems = new TreeMap<>(); // by item index: in the order written
    TreeSet<NodeId> known = new TreeSet<>(nodes);
    for (int i : order) {
      TimedFault f = items.get(i);
      String problem = unknownNode(f, known);
      if (problem == null && f.atNanos() > endNanos) {
        problem = " comes after the fault phase ends at " + Durations.format(endNanos)
            + " (every fault is healed then); make the run longer (--for " + Durations.format(f.atNanos())
            + ") or the time earlier";
      }
      if (problem == null && !randomFaults) problem = transition(f, states);
      if (problem != null) problems.put(i, "column " + columns.get(i) + ": '" + f + "'" + problem);
    }
    if (problems.isEmpty()) return;
    StringBuilder b = new StringBuilder("fault plan: ")
        .append(problems.size() == 1 ? "an item cannot act in this run" : problems.size() + " items cannot act in this run");
    for (String m : problems.values()) b.append("\n  ").append(m);
    char[] carets = " ".repeat(text.length()).toCharArray();
    for (int i : problems.keySet()) carets[columns.get(i) - 1] = '^';
    b.append("\n  ").append(text.replace('\n', ' ')).append("\n  ").append(new String(carets).stripTrailing());
    throw new InvalidFaultPlanException(b.toString());
  }

  /**
   * The items that can act, in the order the kernel runs them: each one {@link #check} would refuse (a crash
   * of a node already down, a resume of one not paused, an unknown node, a time after the end) is left out.
   * A refused item never changes the node states, so leaving it out leaves every later item's verdict as is.
   */
  static List<TimedFault> acting(List<TimedFault> items, Collection<NodeId> nodes, long endNanos) {
    List<TimedFault> sorted = items.stream().sorted(Comparator.comparingLong(TimedFault::atNanos)).toList();
    Map<NodeId, Since> states = new HashMap<>();
    TreeSet<NodeId> known = new TreeSet<>(nodes);
    List<TimedFault> out = new ArrayList<>();
    for (TimedFault f : sorted) {
      if (unknownNode(f, known) == null && f.atNanos() <= endNanos && transition(f, states) == null) out.add(f);
    }
    return out;
  }

  private static String unknownNode(TimedFault f, TreeSet<NodeId> known) {
    for (NodeId n : f.action().nodes()) {
      if (known.contains(n)) continue;
      List<String> close = Text.closeNames(n.name(), known.stream().map(NodeId::name).toList(), 3);
      return " names node " + n + ", which this scenario does not have"
          + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?") + " (nodes: " + known + ")";
    }
    return null;
  }

  /** Applies the item to the node states; returns why it cannot act, or null. */
  private static String transition(TimedFault f, Map<NodeId, Since> states) {
    long t = f.atNanos();
    String at = " at " + Durations.format(t);
    FaultAction a = f.action();
    if (a instanceof FaultAction.Crash c) {
      Since s = state(states, c.node());
      if (s.state == State.DOWN) return ": " + c.node() + " is already down" + at + " (crashed at " + Durations.format(s.atNanos) + ")";
      states.put(c.node(), new Since(State.DOWN, t));
    } else if (a instanceof FaultAction.Restart r) {
      Since s = state(states, r.node());
      if (s.state == State.UP || s.state == State.PAUSED) {
        return ": " + r.node() + " is not down" + at + " ("
            + (s.atNanos < 0 ? "no crash of " + r.node() + " before it" : "it is running again since " + Durations.format(s.atNanos)) + ")";
      }
      states.put(r.node(), new Since(State.UP, t));
    } else if (a instanceof FaultAction.Pause p) {
      Since s = state(states, p.node());
      if (s.state == State.DOWN) return ": " + p.node() + " is down" + at + " (crashed at " + Durations.format(s.atNanos) + "); only a running node can pause";
      if (s.state == State.PAUSED) return ": " + p.node() + " is already paused" + at + " (since " + Durations.format(s.atNanos) + ")";
      states.put(p.node(), new Since(State.PAUSED, t));
    } else if (a instanceof FaultAction.Resume r) {
      Since s = state(states, r.node());
      if (s.state == State.DOWN) return ": " + r.node() + " is down" + at + " (crashed at " + Durations.format(s.atNanos) + "), not paused";
      if (s.state == State.UP) {
        return ": " + r.node() + " is not paused" + at + " ("
            + (s.atNanos < 0 ? "no pause of " + r.node() + " before it" : "running since " + Durations.format(s.atNanos)) + ")";
      }
      states.put(r.node(), new Since(State.UP, t));
    } else if (mayStopTheNode(a)) {
      NodeId n = a.nodes().get(0);
      if (state(states, n).state != State.DOWN) states.put(n, new Since(State.MAYBE_DOWN, t));
    }
    return null;
  }

  /** Disk errors and corruption can make a model fail-stop (panic), so a later restart may act. */
  private static boolean mayStopTheNode(FaultAction a) {
    return a instanceof FaultAction.DiskEio || a instanceof FaultAction.DiskFsyncEio || a instanceof FaultAction.DiskFull
        || a instanceof FaultAction.DiskCorrupt || a instanceof FaultAction.DiskCorruptReads;
  }

  private static Since state(Map<NodeId, Since> states, NodeId n) {
    return states.getOrDefault(n, new Since(State.UP, -1));
  }
}
