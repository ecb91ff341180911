package sim.kafka.scenario;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;

class TraceDumpTest {
  @Test
  void dump() {
    String name = System.getProperty("scenario");
    if (name == null) return;
    Scenario s = new KafkaScenarios().scenarios().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    String filter = System.getProperty("kinds", "kafka.,crash,restart,note,swarm,fault,partition,heal,pause,resume,check");
    RunOptions o = RunOptions.seed(Long.getLong("seed", 1)).withSwarm(Boolean.getBoolean("swarm")).withListeners(List.of(e -> {
      for (String k : filter.split(",")) if (e.kind().startsWith(k) || e.detail().contains(System.getProperty("grep", "\u0000"))) {
        System.out.println(e.narrate());
        return;
      }
    }));
    RunResult r = ScenarioRunner.run(s, o);
    System.out.println(r.ok() + " " + (r.failure() == null ? "" : r.failure().getMessage().lines().limit(3).toList()));
  }
}
