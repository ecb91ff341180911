package sim.zk.debug;

import java.util.List;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.zk.scenario.ZkScenarios;

public class Peek {
  public static void main(String[] a) {
    var sc = new ZkScenarios().scenarios().stream().filter(s -> s.name().equals(a[0])).findFirst().orElseThrow();
    var r = ScenarioRunner.run(sc, RunOptions.seed(Long.parseLong(a[1])).withListeners(List.of(ev -> {
      if (ev.kind().matches(a[2])) System.out.println(ev.narrate());
    })));
    System.out.println(r);
  }
}
