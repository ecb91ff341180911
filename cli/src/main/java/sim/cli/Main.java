package sim.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import sim.core.cli.CommandPlugin;
import sim.core.fault.InvalidFaultPlanException;
import sim.core.scenario.InvalidRunOptionsException;

/**
 * {@code ./sim}: lists, runs, steps and explores scenarios; module commands ({@code pg}, {@code zk},
 * {@code redis-server}) are found through {@link CommandPlugin}.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, version = "internals-sim 0.1.0",
    description = "Deterministic simulator of the internals of Kafka, PostgreSQL, Redis and ZooKeeper.",
    subcommands = {ListCommand.class, RunCommand.class, StepCommand.class, ExploreCommand.class,
        CheckDeterminismCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Module commands: see 'sim plugins'. Exit codes: 0 ok, 1 violation, 2 usage error."})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(execute(args, System.in, System.out, System.err));
  }

  /** Runs one command line; the streams are parameters so tests can drive it without a process. */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length > 0) {
      if (args[0].equals("plugins")) {
        for (CommandPlugin p : plugins(err)) out.printf("%-14s %s%n", p.name(), p.summary());
        return 0;
      }
      Optional<CommandPlugin> plugin = plugins(err).stream().filter(p -> p.name().equals(args[0])).findFirst();
      if (plugin.isPresent()) {
        try {
          return plugin.get().run(Arrays.copyOfRange(args, 1, args.length), in, out, err);
        } catch (RuntimeException e) {
          err.println("sim " + args[0] + ": " + e.getMessage());
          return 1;
        }
      }
    }
    CommandLine cli = new CommandLine(new Main(), new Factory(in, out, err));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof UsageError || ex instanceof InvalidFaultPlanException || ex instanceof InvalidRunOptionsException) {
        err.println("sim: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  /** Every module command on the class path; one that fails to load is reported, not fatal to the rest. */
  static List<CommandPlugin> plugins(PrintStream err) {
    List<CommandPlugin> found = new ArrayList<>();
    Iterator<CommandPlugin> it = ServiceLoader.load(CommandPlugin.class).iterator();
    while (true) {
      try {
        if (!it.hasNext()) break;
        found.add(it.next());
      } catch (ServiceConfigurationError e) {
        err.println("warning: a module command could not be loaded: " + e.getMessage());
      }
    }
    found.sort(Comparator.comparing(CommandPlugin::name));
    return found;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "missing command: try 'sim list' or 'sim help'");
  }

  /** A mistake in what the user typed (unknown scenario, bad fault plan): exit 2 with the message. */
  static final class UsageError extends RuntimeException {
    UsageError(String message) {
      super(message);
    }
  }

  /** Hands each command the streams of this invocation. */
  private record Factory(InputStream in, PrintStream out, PrintStream err) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (Streams.class.isAssignableFrom(cls)) {
        K k = CommandLine.defaultFactory().create(cls);
        ((Streams) k).bind(in, out, err);
        return k;
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  /** Commands that print take their streams from the invocation, not from System. */
  abstract static class Streams {
    InputStream in;
    PrintStream out;
    PrintStream err;

    void bind(InputStream in, PrintStream out, PrintStream err) {
      this.in = in;
      this.out = out;
      this.err = err;
    }
  }
}
