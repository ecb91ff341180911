package sim.cassandra;

import java.io.PrintStream;
import sim.cassandra.scenario.ConsistencyExperiment;

/** {@code ./sim cassandra consistency-table [--seeds N] [--rf R]}: the measured R + W > RF table. */
final class ConsistencyTable {
  private ConsistencyTable() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    int seeds = 50;
    int only = 0;
    for (int i = 0; i < args.length; i++) {
      try {
        switch (args[i]) {
          case "--seeds" -> seeds = Integer.parseInt(args[++i]);
          case "--rf" -> only = Integer.parseInt(args[++i]);
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        err.println("cassandra consistency-table: " + args[i - 1 < 0 ? 0 : i - 1] + " needs a number");
        return 2;
      } catch (IllegalArgumentException e) {
        err.println("cassandra consistency-table: " + e.getMessage());
        return 2;
      }
    }
    if (seeds < 1 || only < 0 || only > 5) {
      err.println("cassandra consistency-table: --seeds must be positive and --rf 1..5");
      return 2;
    }
    for (int rf = 1; rf <= 5; rf++) {
      if (only != 0 && rf != only) continue;
      out.println(ConsistencyExperiment.render(rf, ConsistencyExperiment.measure(rf, seeds)));
    }
    return 0;
  }
}
