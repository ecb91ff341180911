package sim.cli;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.check.BreakRule;
import sim.core.Durations;
import sim.core.fault.FaultPlan;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.trace.NarrationFilter;
import sim.core.trace.Text;

/** Turns what the user typed into scenarios and options, or a usage error that says what is wrong. */
final class Scenarios {
  private Scenarios() {}

  static Scenario find(String name) {
    ScenarioRegistry registry = ScenarioRegistry.load();
    return registry.find(name).orElseThrow(() -> {
      List<String> close = registry.suggest(name);
      return new Main.UsageError("unknown scenario '" + name + "'"
          + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
          + " ('sim list' shows them all)");
    });
  }

  /** Parses the plan now, so a typo is a usage error before anything runs. */
  static String checkedFaults(String plan) {
    if (plan == null) return null;
    try {
      FaultPlan.parse(plan);
      return plan;
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError(e.getMessage() + "\nfault plan grammar:\n" + FaultPlan.GRAMMAR);
    }
  }

  /** Each {@code --break} must name a known rule; a typo suggests close names. */
  static Set<String> breaks(List<String> names) {
    if (names == null || names.isEmpty()) return Set.of();
    ScenarioRegistry registry = ScenarioRegistry.load();
    Set<String> out = new TreeSet<>();
    for (String n : names) {
      if (registry.findBreak(n).isEmpty()) {
        List<String> known = registry.breakRules().stream().map(BreakRule::name).toList();
        List<String> close = Text.closeNames(n, known, 3);
        throw new Main.UsageError("--break: unknown rule '" + n + "'"
            + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?") + " ('sim list --breaks' shows them all)");
      }
      out.add(n);
    }
    return out;
  }

  /** The width to wrap at: {@code --width}, else $COLUMNS (the {@code sim.columns} property first: tests), else 100. */
  static int width(Integer option) {
    if (option != null) {
      if (option < 0) throw new Main.UsageError("--width must be 0 (no wrapping) or positive, got " + option);
      return option;
    }
    String env = System.getProperty("sim.columns", System.getenv("COLUMNS"));
    try {
      int cols = env == null ? 0 : Integer.parseInt(env.strip());
      return cols >= 40 ? cols : DEFAULT_WIDTH;
    } catch (NumberFormatException e) {
      return DEFAULT_WIDTH;
    }
  }

  static final int DEFAULT_WIDTH = 100;

  /** The narration filter the user asked for; a node the scenario does not have is a usage error. */
  static NarrationFilter filter(List<String> only, List<String> nodes, String from, String until, List<String> known) {
    Set<String> named = new TreeSet<>();
    if (nodes != null) {
      List<String> all = new java.util.ArrayList<>(known);
      all.add("sim");
      for (String n : nodes) {
        if (!all.contains(n)) {
          List<String> close = Text.closeNames(n, all, 3);
          throw new Main.UsageError("--node: this scenario has no node '" + n + "'"
              + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?") + " (nodes: " + String.join(", ", all) + ")");
        }
        named.add(n);
      }
    }
    List<String> kinds = only == null ? List.of() : only.stream().map(String::strip).filter(k -> !k.isEmpty()).toList();
    long fromNanos = from == null ? 0 : time("--from", from);
    long untilNanos = until == null ? Long.MAX_VALUE : time("--until", until);
    if (fromNanos > untilNanos) throw new Main.UsageError("--from " + from + " is after --until " + until);
    return new NarrationFilter(kinds, named, fromNanos, untilNanos);
  }

  private static long time(String option, String text) {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError(option + ": " + e.getMessage());
    }
  }

  static Long duration(String text) {
    if (text == null) return null;
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new Main.UsageError("--for: " + e.getMessage());
    }
  }
}
