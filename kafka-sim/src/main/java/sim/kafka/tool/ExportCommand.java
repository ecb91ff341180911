package sim.kafka.tool;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.NodeId;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.scenario.KafkaCluster;
import sim.kafka.scenario.KafkaScenarios;
import sim.kafka.tool.KafkaCommand.BadInput;

/** {@code ./sim kafka export SCENARIO DIR [--seed N]}: runs a scenario and writes every broker's disk to DIR/&lt;broker&gt;/. */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Run a kafka scenario and write each broker's log directory (segments, indexes, leader-epoch-checkpoint) to DIR/<broker>/.")
final class ExportCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SCENARIO", description = "A kafka.* scenario (./sim list).")
  String scenario;

  @Parameters(index = "1", paramLabel = "DIR", description = "Where to write the broker directories.")
  Path dir;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The seed (default ${DEFAULT-VALUE}).")
  long seed;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Scenario s = new KafkaScenarios().scenarios().stream().filter(x -> x.name().equals(scenario)).findFirst()
        .orElseThrow(() -> new BadInput("no kafka scenario named '" + scenario + "' (see ./sim list)"));
    PrintWriter out = spec.commandLine().getOut();
    ScenarioRunner.run(s, RunOptions.seed(seed), sim -> {
      for (NodeId id : sim.serverIds()) {
        if (id.equals(KafkaCluster.CONTROLLER)) continue;
        sim.disk(id).exportTo(dir.resolve(id.name()));
        out.println("wrote " + dir.resolve(id.name()) + " (" + sim.disk(id).list("").size() + " files)");
      }
    });
    return 0;
  }
}
