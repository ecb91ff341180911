package sim.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sim.core.Durations;
import sim.core.cli.CommandPlugin;
import sim.postgres.inspect.Inspect;
import sim.postgres.schedule.Schedule;
import sim.postgres.schedule.ScheduleRunner;

/** {@code ./sim pg --schedule FILE [--json] [--deadlock-timeout 100ms]}: plays a concurrency schedule. */
public final class PgCommand implements CommandPlugin {
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
    Options options = new Options(out, err);
    CommandLine cli = new CommandLine(options);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, argv) -> {
      err.println("pg: " + ex.getMessage());
      err.println("try './sim pg --help'");
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (!(ex instanceof BadInput)) throw ex;
      err.println("pg: " + ex.getMessage());
      return 2;
    });
    return cli.execute(args);
  }

  /** Input the command cannot use (a missing file, a malformed schedule): exit 2 with what and where. */
  static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message);
    }
  }

  @Command(name = "pg", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Plays a multi-session SQL schedule on the simulated PostgreSQL 15, one line per step, in the",
          "format of the JDBC reference runner (postgres-sim/schedules/*/*.sched and their .expected goldens)."},
      footer = {"", "Exit codes: 0 ok, 2 bad usage or bad input (the message names the file and line)."})
  static final class Options implements Callable<Integer> {
    private final PrintStream out;

    @Option(names = "--schedule", required = true, paramLabel = "FILE", description = "The schedule file to play.")
    Path schedule;

    @Option(names = "--json", description = "Print the oracle's JSON lines (what the goldens hold).")
    boolean json;

    @Option(names = "--deadlock-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "deadlock_timeout (default ${DEFAULT-VALUE}, the oracle cluster's).", defaultValue = "100ms")
    long deadlockTimeoutNanos;

    @Option(names = "--seed", description = "Seed of the simulated clock's tie-breaking (default ${DEFAULT-VALUE}).",
        defaultValue = "1")
    long seed;

    @Option(names = "--heap", paramLabel = "TABLE", description = "After the last step, print \\heap TABLE (not with --json).")
    String heap;

    @Option(names = "--locks", description = "After the last step, print \\locks (not with --json).")
    boolean locks;

    Options(PrintStream out, PrintStream err) {
      this.out = out;
    }

    @Override
    public Integer call() {
      Schedule parsed = parse(read(schedule));
      ScheduleRunner runner = new ScheduleRunner(seed);
      runner.database().setDeadlockTimeoutNanos(deadlockTimeoutNanos);
      String setupError = runner.setup(parsed);
      if (setupError != null) throw new BadInput(schedule + ": " + setupError);
      List<String> lines = runner.run(parsed);
      if (json) {
        lines.forEach(out::println);
        return 0;
      }
      for (String l : lines) out.println(human(l, parsed));
      if (heap != null) out.print(Inspect.heap(runner.database(), heap));
      if (locks) out.print(Inspect.locks(runner.database()));
      return 0;
    }

    private Schedule parse(String text) {
      try {
        return Schedule.parse(text);
      } catch (IllegalArgumentException e) {
        throw new BadInput(schedule + ": " + e.getMessage());
      }
    }
  }

  /** The file's text, or what the operating system said, in its words ("no such file"). */
  static String read(Path file) {
    try {
      if (Files.isDirectory(file)) throw new BadInput("--schedule " + file + ": is a directory, not a schedule file");
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new BadInput("--schedule " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new BadInput("--schedule " + file + ": permission denied");
    } catch (IOException e) {
      throw new BadInput("--schedule " + file + ": cannot read: " + e.getMessage());
    }
  }

  static final class DurationConverter implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (try 100ms or 1s)");
      }
    }
  }

  /** "step 4  T2  update test set ... -> blocked" for people; the JSON line carries the details. */
  private static String human(String json, Schedule schedule) {
    int step = Integer.parseInt(json.substring(8, json.indexOf(',')));
    Schedule.Step s = schedule.steps().get(step - 1);
    String rest = json.substring(json.indexOf("\"status\""), json.length() - 1);
    return String.format("step %-3d %-4s %-55s -> %s", step, s.session(), s.sql(), rest);
  }
}
