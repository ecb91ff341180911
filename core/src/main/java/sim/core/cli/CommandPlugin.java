package sim.core.cli;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * A top-level {@code ./sim} command contributed by a module ({@code ./sim pg --schedule F}, {@code ./sim zk
 * --script F}). Listed in {@code META-INF/services/sim.core.cli.CommandPlugin}.
 */
public interface CommandPlugin {
  /** The word after {@code ./sim}. */
  String name();

  /** One line for {@code ./sim help}. */
  String summary();

  /**
   * Runs the command. Exit codes: 0 ok, 1 the simulation found a violation or the command failed, 2 bad
   * usage or bad input (say what and where on {@code err}).
   */
  int run(String[] args, InputStream in, PrintStream out, PrintStream err);
}
