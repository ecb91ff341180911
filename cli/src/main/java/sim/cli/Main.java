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
import sim.core.trace.Text;

/**
 * {@code ./sim}: lists, runs, steps and explores scenarios; module commands ({@code pg}, {@code zk},
 * {@code redis-server}) are found through {@link CommandPlugin}.
 */
@Command(name = "sim", mixinStandardHelpOptions = true, version = "internals-sim 0.1.0",
    description = "Deterministic simulator of the internals of Kafka, PostgreSQL, Redis and ZooKeeper.",
    subcommands = {ListCommand.class, RunCommand.class, StepCommand.class, ExploreCommand.class, UiCommand.class,
        CheckDeterminismCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Exit codes: 0 ok, 1 violation, 2 usage error. 'sim COMMAND --help' explains each command."})
public final class Main implements Runnable {
  public static void main(String[] args) {
    System.exit(execute(args, System.in, System.out, System.err));
  }

  /** Runs one command line; the streams are parameters so tests can drive it without a process. */
  public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
    List<CommandPlugin> plugins = plugins(err);
    if (args.length > 0) {
      if (args[0].equals("plugins")) {
        for (CommandPlugin p : plugins) out.printf("%-14s %s%n", p.name(), p.summary());
        return 0;
      }
      if (args[0].equals("bench")) {
        err.println("sim: benchmarks run through the launcher, which builds their jar: ./sim bench [pattern]");
        return 2;
      }
      if (args.length == 2 && args[0].equals("help") && plugins.stream().anyMatch(p -> p.name().equals(args[1]))) {
        return execute(new String[] {args[1], "--help"}, in, out, err);
      }
      Optional<CommandPlugin> plugin = plugins.stream().filter(p -> p.name().equals(args[0])).findFirst();
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
    for (CommandLine sub : cli.getSubcommands().values()) sub.getCommandSpec().mixinStandardHelpOptions(true);
    cli.getCommandSpec().usageMessage().footer(footer(plugins, cli.getCommandSpec().usageMessage().footer()));
    cli.setUsageHelpWidth(USAGE_WIDTH);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, strings) -> {
      String unknown = unknownCommand(ex, cli);
      if (unknown != null) {
        List<String> names = new ArrayList<>(cli.getSubcommands().keySet());
        plugins.forEach(p -> names.add(p.name()));
        names.add("plugins");
        names.add("bench");
        List<String> close = Text.closeNames(unknown, names, 2);
        err.println("sim: unknown command '" + unknown + "'" + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?")
            + " ('sim help' lists the commands)");
        return 2;
      }
      err.println("sim: " + ex.getMessage());
      ex.getCommandLine().usage(ex.getCommandLine().getErr());
      return 2;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof UsageError || ex instanceof InvalidFaultPlanException || ex instanceof InvalidRunOptionsException) {
        err.println("sim: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  /** The first word, when it names no command at all (not a bad option of a known command). */
  private static String unknownCommand(CommandLine.ParameterException ex, CommandLine top) {
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getCommandLine() != top) return null;
    List<String> unmatched = u.getUnmatched();
    if (unmatched.isEmpty() || unmatched.get(0).startsWith("-")) return null;
    return unmatched.get(0);
  }

  /** The usage footer: the module commands, the launcher's bench, then the exit codes. */
  private static String[] footer(List<CommandPlugin> plugins, String[] tail) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("Module commands ('sim help NAME' or 'sim NAME --help' explains each):");
    for (CommandPlugin p : plugins) lines.add(entry(p.name(), p.summary()));
    lines.add(entry("plugins", "List the module commands."));
    lines.add(entry("bench [pattern]", "JMH benchmarks against their baselines (through the ./sim launcher)."));
    lines.addAll(Arrays.asList(tail));
    return lines.toArray(String[]::new);
  }

  private static String entry(String name, String summary) {
    return String.format("  %-17s ", name) + Text.wrapped(summary, USAGE_WIDTH - 20, " ".repeat(20));
  }

  private static final int USAGE_WIDTH = 100;

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
