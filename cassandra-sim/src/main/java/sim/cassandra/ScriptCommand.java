package sim.cassandra;

import java.io.PrintStream;

/** {@code ./sim cassandra --script FILE [--json]}: CQL scripts (see the module README). */
final class ScriptCommand {
  private ScriptCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    err.println("cassandra: unknown command '" + args[0] + "'");
    err.println(CassandraCommand.USAGE);
    return 2;
  }
}
