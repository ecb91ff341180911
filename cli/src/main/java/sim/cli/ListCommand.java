package sim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sim.core.check.BreakRule;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.trace.Text;

@Command(name = "list", description = "List the scenarios, with their one-line explanation.")
final class ListCommand extends Main.Streams implements Callable<Integer> {
  @Option(names = "--long", description = "Print each scenario's full explanation, fault plan, nodes and write-path points (found by a run of seed 1: takes a few seconds).")
  boolean verbose;

  @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN", description = "Only scenarios whose name contains this, e.g. kafka.")
  String pattern;

  @Option(names = "--width", paramLabel = "COLS", description = "Wrap at this width (default: $COLUMNS, else 100).")
  Integer width;

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
    int cols = Scenarios.width(width);
    List<Scenario> shown = ScenarioRegistry.load().all().stream().filter(s -> pattern == null || s.name().contains(pattern)).toList();
    if (shown.isEmpty()) throw new Main.UsageError("no scenario name contains '" + pattern + "' ('sim list' shows them all)");
    for (Scenario s : shown) {
      out.printf("%-44s %s%n", s.name(), s.summary());
      if (verbose) {
        out.println(Text.wrapped("    " + s.explanation(), cols, "    "));
        if (!s.faultPlan().isEmpty()) out.println(Text.wrapped("    faults: " + s.faultPlan(), cols, "      "));
        KnownPoints k = KnownPoints.of(s, RunOptions.seed(1));
        out.println(Text.wrapped("    nodes: " + String.join(", ", k.nodes()), cols, "      "));
        out.println(Text.wrapped("    points: " + String.join(", ", k.points()), cols, "      "));
        out.println();
        out.flush();
      }
    }
    return 0;
  }
}
