package sim.core.scenario;

import java.util.List;

/**
 * How a module makes its scenarios known: implement this and list the class in
 * {@code META-INF/services/sim.core.scenario.ScenarioProvider}.
 */
public interface ScenarioProvider {
  List<Scenario> scenarios();
}
