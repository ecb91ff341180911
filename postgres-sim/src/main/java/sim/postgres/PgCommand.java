package sim.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import sim.core.Durations;
import sim.core.cli.CommandPlugin;
import sim.postgres.inspect.Inspect;
import sim.postgres.schedule.Schedule;
import sim.postgres.schedule.ScheduleRunner;

/** {@code ./sim pg --schedule FILE [--json] [--deadlock-timeout 100ms]}: plays a concurrency schedule. */
public final class PgCommand implements CommandPlugin {
  static final String USAGE = "usage: ./sim pg --schedule FILE [--json] [--deadlock-timeout 100ms] [--seed N]"
      + " [--heap TABLE] [--locks]\n  --heap/--locks print \\heap TABLE / \\locks after the last step (not with --json)";

  @Override
  public String name() {
    return "pg";
  }

  @Override
  public String summary() {
    return "run a multi-session SQL schedule on the simulated PostgreSQL (--schedule FILE --json)";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String file = null;
    boolean json = false;
    long seed = 1;
    Long deadlockTimeout = null;
    String heap = null;
    boolean locks = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--schedule" -> file = value(args, ++i, "--schedule");
          case "--json" -> json = true;
          case "--heap" -> heap = value(args, ++i, "--heap");
          case "--locks" -> locks = true;
          case "--seed" -> seed = Long.parseLong(value(args, ++i, "--seed"));
          case "--deadlock-timeout" -> deadlockTimeout = Durations.parse(value(args, ++i, "--deadlock-timeout"));
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (file == null) throw new IllegalArgumentException("--schedule FILE is required");
    } catch (RuntimeException e) {
      err.println("pg: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    Schedule schedule;
    try {
      schedule = Schedule.parse(Files.readString(Path.of(file)));
    } catch (IOException e) {
      err.println("pg: cannot read schedule " + file + ": " + e.getMessage());
      return 2;
    } catch (IllegalArgumentException e) {
      err.println("pg: " + file + ": " + e.getMessage());
      return 2;
    }
    ScheduleRunner runner = new ScheduleRunner(seed);
    if (deadlockTimeout != null) runner.database().setDeadlockTimeoutNanos(deadlockTimeout);
    String setupError = runner.setup(schedule);
    if (setupError != null) {
      err.println("pg: " + file + ": " + setupError);
      return 2;
    }
    List<String> lines = runner.run(schedule);
    if (json) {
      lines.forEach(out::println);
    } else {
      for (String l : lines) out.println(human(l, schedule));
      if (heap != null) out.print(Inspect.heap(runner.database(), heap));
      if (locks) out.print(Inspect.locks(runner.database()));
    }
    return 0;
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }

  /** "step 4  T2  update test set ... -> blocked" for people; the JSON line carries the details. */
  private static String human(String json, Schedule schedule) {
    int step = Integer.parseInt(json.substring(8, json.indexOf(',')));
    Schedule.Step s = schedule.steps().get(step - 1);
    String rest = json.substring(json.indexOf("\"status\""), json.length() - 1);
    return String.format("step %-3d %-4s %-55s -> %s", step, s.session(), s.sql(), rest);
  }
}
