package sim.cli;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.check.BreakRule;
import sim.core.Durations;
import sim.core.fault.FaultPlan;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;

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
        List<String> close = known.stream().filter(k -> k.contains(n) || ScenarioRegistry.editDistance(k, n) <= Math.max(2, n.length() / 3)).limit(3).toList();
        throw new Main.UsageError("--break: unknown rule '" + n + "'"
            + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?") + " ('sim list --breaks' shows them all)");
      }
      out.add(n);
    }
    return out;
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
