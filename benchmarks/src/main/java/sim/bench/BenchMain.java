package sim.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * {@code ./sim bench [pattern] [jmh options]}: runs the JMH benchmarks and reports each against its
 * baseline in the same run. Convention: in each benchmark class, the method whose name starts with
 * {@code baseline} is the baseline (the real system's code, or the naive approach); every other method of
 * the class (with the same parameters) is reported as a ratio to it, where higher is faster.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    Options fromCli = new CommandLineOptions(args);
    OptionsBuilder builder = new OptionsBuilder();
    builder.parent(fromCli);
    if (fromCli.getIncludes().isEmpty()) builder.include("sim\\.bench\\..*");
    Collection<RunResult> results = new Runner(builder.build()).run();
    System.out.println();
    System.out.println(ratios(results));
  }

  /** The ratio table, one row per benchmark that has a baseline. */
  static String ratios(Collection<RunResult> results) {
    Map<String, List<RunResult>> byGroup = new LinkedHashMap<>();
    for (RunResult r : results) {
      String label = r.getParams().getBenchmark();
      String cls = label.substring(0, label.lastIndexOf('.'));
      byGroup.computeIfAbsent(cls + params(r), k -> new ArrayList<>()).add(r);
    }
    StringBuilder out = new StringBuilder("Ratios against the baseline of the same run (higher is faster):\n");
    for (List<RunResult> group : byGroup.values()) {
      RunResult baseline = group.stream().filter(r -> method(r).startsWith("baseline")).findFirst().orElse(null);
      if (baseline == null) continue;
      for (RunResult r : group) {
        if (r == baseline) continue;
        double ratio = speed(r) / speed(baseline);
        out.append(String.format(Locale.ROOT, "  %-60s %8.2fx  vs %s%n", shortName(r) + params(r), ratio, method(baseline)));
      }
    }
    return out.toString();
  }

  /** Operations per unit time, whatever mode the benchmark measured in. */
  private static double speed(RunResult r) {
    double score = r.getPrimaryResult().getScore();
    boolean timePerOp = switch (r.getParams().getMode()) {
      case AverageTime, SampleTime, SingleShotTime -> true;
      default -> false;
    };
    return timePerOp ? 1.0 / score : score;
  }

  private static String method(RunResult r) {
    String label = r.getParams().getBenchmark();
    return label.substring(label.lastIndexOf('.') + 1);
  }

  private static String shortName(RunResult r) {
    String label = r.getParams().getBenchmark();
    String[] parts = label.split("\\.");
    return parts[parts.length - 2] + "." + parts[parts.length - 1];
  }

  private static String params(RunResult r) {
    StringBuilder b = new StringBuilder();
    for (String key : r.getParams().getParamsKeys()) b.append(' ').append(key).append('=').append(r.getParams().getParam(key));
    return b.toString();
  }
}
