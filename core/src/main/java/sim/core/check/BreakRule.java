package sim.core.check;

import sim.core.Check;

/**
 * A rule the real system depends on, which {@code --break} switches off so a learner can see why it exists
 * (and so exploration proves the invariants bite). The model consults it with {@code sim.isBroken(name)}.
 *
 * @param name module-qualified: {@code kafka.hw-before-follower-fetch}
 * @param scenario the scenario that shows the break best
 * @param whatBreaks one line: what goes wrong without the rule, and which invariant catches it
 */
public record BreakRule(String name, String scenario, String whatBreaks) {
  public BreakRule {
    Check.argument(name != null && name.matches("[a-z0-9]+\\.[a-z0-9-]+"), "break rule '%s' should look like 'system.rule-name'", name);
    Check.argument(scenario != null && !scenario.isBlank(), "break rule %s names the scenario that shows it", name);
    Check.argument(whatBreaks != null && !whatBreaks.isBlank(), "break rule %s says what breaks", name);
  }
}
