package sim.core.check;

import java.util.List;
import sim.core.Check;

/**
 * Why a loss or anomaly is what the real system does, and exactly which records that rule covers. An excuse
 * that covers everything ("some partition had an unclean election sometime") would let a real bug pass, so
 * an excuse always names the rule and lists the records it covers; a check excuses a loss only when every
 * lost record is among them.
 *
 * @param rule the real system's rule that allows it, in its own words ("unclean.leader.election.enable=true:
 *     t-0 epoch 3 elected b2, out of sync, at 5.2s"); several rules read joined with "; "
 * @param records the records (writes, offsets, commits) the rule covers, as the check names them
 * @param rules each rule on its own, as {@code rule} joins them: a rule's own words may hold "; " too, so
 *     the joined text cannot be split back (explore counts the rules one by one)
 */
public record Excuse(String rule, List<String> records, List<String> rules) {
  public Excuse {
    Check.argument(rule != null && !rule.isBlank(), "an excuse names the rule that allows it");
    records = List.copyOf(records);
    rules = List.copyOf(rules);
    Check.argument(rule.equals(String.join("; ", rules)), "an excuse's rule is its rules joined with '; '");
  }

  public static Excuse of(String rule, List<String> records) {
    return new Excuse(rule, records, List.of(rule));
  }

  /** Several rules, each covering some of {@code records}. */
  public static Excuse ofRules(List<String> rules, List<String> records) {
    return new Excuse(String.join("; ", rules), records, rules);
  }

  /** "rule (covers 3: a, b, c)", long lists abbreviated. */
  public String render() {
    return rule + " (covers " + records.size() + (records.isEmpty() ? ")" : ": " + abbreviate(records, 8) + ")");
  }

  static String abbreviate(List<String> items, int max) {
    if (items.size() <= max) return String.join(", ", items);
    return String.join(", ", items.subList(0, max)) + ", … " + (items.size() - max) + " more";
  }
}
