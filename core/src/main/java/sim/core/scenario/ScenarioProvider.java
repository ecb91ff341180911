package sim.core.scenario;

import java.util.List;
import sim.core.check.BreakRule;

/**
 * How a module makes its scenarios known: implement this and list the class in
 * {@code META-INF/services/sim.core.scenario.ScenarioProvider}.
 */
public interface ScenarioProvider {
  List<Scenario> scenarios();

  /** The real-system rules this module's models can switch off with {@code --break}. */
  default List<BreakRule> breakRules() {
    return List.of();
  }
}
