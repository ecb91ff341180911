package sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sim.core.check.BreakRule;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;

@Command(name = "list", description = "List the scenarios, with their one-line explanation.")
final class ListCommand extends Main.Streams implements Callable<Integer> {
  @Option(names = "--long", description = "Print each scenario's full explanation and default faults too.")
  boolean verbose;

  @Option(names = "--breaks", description = "List the real-system rules that --break can switch off, with the scenario that shows each best.")
  boolean breaks;

  @Override
  public Integer call() {
    if (breaks) {
      for (BreakRule b : ScenarioRegistry.load().breakRules()) {
        out.printf("%-40s %-40s %s%n", b.name(), b.scenario(), b.whatBreaks());
      }
      return 0;
    }
    for (Scenario s : ScenarioRegistry.load().all()) {
      out.printf("%-44s %s%n", s.name(), s.summary());
      if (verbose) {
        out.println("    " + s.explanation());
        if (!s.faultPlan().isEmpty()) out.println("    faults: " + s.faultPlan());
        out.println();
      }
    }
    return 0;
  }
}
