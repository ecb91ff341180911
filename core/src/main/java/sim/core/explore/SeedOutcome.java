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
   * first ": " (what follows are the specifics of one run: which partition, which records), without the
   * bracketed specifics and with numbers written N, so that the same rule in different runs is counted once.
   */
  static List<String> excuseKeys(CheckResult c) {
    if (c.excuse() == null) return List.of(c.name() + ": (no excuse)");
    List<String> keys = new ArrayList<>();
    for (String rule : c.excuse().rules()) {
      String key = c.name() + ": " + ruleName(rule);
      if (!keys.contains(key)) keys.add(key);
    }
    return keys;
  }

  /**
   * A rule's name: square brackets ([orders-0]) and parentheses that say something about one run ((covers 3),
   * (fault at 1.2s)) go; a parenthesised single word that names the rule itself ((KIP-360),
   * (flushAppendOnlyFile), (min.insync.replicas)) stays as written, digits and all.
   */
  static String ruleName(String rule) {
    int colon = topLevelIndexOf(rule, ": ");
    String head = colon > 0 ? rule.substring(0, colon) : rule;
    StringBuilder name = new StringBuilder();
    int plainFrom = 0;
    for (int[] g : topLevelGroups(head)) {
      name.append(numbersAsN(head.substring(plainFrom, g[0])));
      String group = head.substring(g[0], g[1]);
      if (namesTheRule(group)) name.append(group);
      plainFrom = g[1];
    }
    name.append(numbersAsN(head.substring(plainFrom)));
    String out = name.toString()
        .replaceAll("\\s+", " ")
        .replaceAll(" ([,.;])", "$1") // where a dropped group stood before punctuation
        .replaceAll("(\\s*(\\.\\.\\.|…))+$", "") // an abbreviated list's ellipsis
        .strip();
    return out.length() > 100 ? out.substring(0, 100) + "…" : out;
  }

  /** "(KIP-360)" names a rule; "(covers 3)", "(the server was paused 2s)" and any "[...]" are one run's. */
  private static boolean namesTheRule(String group) {
    return group.startsWith("(") && group.substring(1, group.length() - 1).matches("[A-Za-z][^\\s()\\[\\]]*");
  }

  private static String numbersAsN(String plain) {
    return plain.replaceAll("[0-9]+", "N");
  }

  /** The [start, end) of each outermost (...) or [...] group; an unclosed one runs to the end. */
  private static List<int[]> topLevelGroups(String s) {
    List<int[]> out = new ArrayList<>();
    int depth = 0;
    int start = -1;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '(' || ch == '[') {
        if (depth++ == 0) start = i;
      } else if ((ch == ')' || ch == ']') && depth > 0 && --depth == 0) {
        out.add(new int[] {start, i + 1});
      }
    }
    if (depth > 0) out.add(new int[] {start, s.length()});
    return out;
  }

  private static int topLevelIndexOf(String s, String what) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '(' || ch == '[') depth++;
      else if ((ch == ')' || ch == ']') && depth > 0) depth--;
      else if (depth == 0 && s.startsWith(what, i)) return i;
    }
    return -1;
  }
}
