package sim.core.explore;

import java.util.ArrayList;
import java.util.List;
import sim.core.check.CheckResult;
import sim.core.scenario.RunResult;

/**
 * One explored seed, kept small so thousands fit in memory: whether it held, which check failed, which
 * lessons its faults kept from happening, which excuses it used. The full {@link RunResult} is kept only
 * for a failing seed (to shrink and report it).
 */
public record SeedOutcome(long seed, String failedCheck, long events, List<String> notDemonstrated,
    List<String> excuses, RunResult failingRun) {

  public SeedOutcome {
    notDemonstrated = List.copyOf(notDemonstrated);
    excuses = List.copyOf(excuses);
  }

  static SeedOutcome of(RunResult r) {
    String failed = r.failedCheck();
    List<String> lessons = r.notDemonstrated().stream().map(CheckResult::name).toList();
    List<String> excuses = r.expectedAnomalies().stream().flatMap(c -> excuseKeys(c).stream()).toList();
    return new SeedOutcome(r.seed(), failed, r.events(), lessons, excuses, failed == null ? null : r);
  }

  /** Whether the seed held: no invariant broken, no model exception, no failed final check. */
  public boolean held() {
    return failedCheck == null;
  }

  /**
   * The rules an excused check leaned on, each as "check: rule". A rule is named by its own words up to the
   * first ": " (what follows are the specifics of one run: which partition, which records), without its
   * bracketed parts and with numbers written N, so that the same rule in different runs is counted once.
   */
  static List<String> excuseKeys(CheckResult c) {
    if (c.excuse() == null) return List.of(c.name() + ": (no excuse)");
    List<String> keys = new ArrayList<>();
    for (String rule : topLevelRules(c.excuse().rule())) {
      String key = c.name() + ": " + ruleName(rule);
      if (!keys.contains(key)) keys.add(key);
    }
    return keys;
  }

  static String ruleName(String rule) {
    int colon = rule.indexOf(": ");
    String name = (colon > 0 ? rule.substring(0, colon) : rule)
        .replaceAll("\\[[^\\]]*\\]|\\([^)]*\\)", "") // bracketed specifics: [orders-0], (covers 3)
        .replaceAll("[0-9]+", "N")
        .replaceAll("\\s+", " ")
        .replaceAll("(\\s*(\\.\\.\\.|…))+$", "") // an abbreviated list's ellipsis
        .strip();
    return name.length() > 100 ? name.substring(0, 100) + "…" : name;
  }

  /** The rules {@code CheckResult.losses} joined with "; ", split again outside brackets and parentheses. */
  private static List<String> topLevelRules(String joined) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < joined.length(); i++) {
      char ch = joined.charAt(i);
      if (ch == '(' || ch == '[') depth++;
      else if ((ch == ')' || ch == ']') && depth > 0) depth--;
      else if (depth == 0 && ch == ';' && i + 1 < joined.length() && joined.charAt(i + 1) == ' ') {
        out.add(joined.substring(start, i));
        start = i + 2;
      }
    }
    out.add(joined.substring(start));
    return out;
  }
}
