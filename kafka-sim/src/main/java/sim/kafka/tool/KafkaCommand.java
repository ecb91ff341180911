package sim.kafka.tool;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import sim.core.cli.CommandPlugin;

/**
 * {@code ./sim kafka ...}: tools that speak Kafka's own artifacts. {@code dump-log} reads segment files (ours
 * or a real broker's) like {@code kafka-dump-log.sh}; {@code export} writes a scenario's broker disks as Kafka
 * log directories. Arguments are parsed by picocli: {@code --help} everywhere, exit 2 with what was wrong
 * and where on bad input.
 */
public final class KafkaCommand implements CommandPlugin {
  @Command(name = "kafka", mixinStandardHelpOptions = true, version = "internals-sim kafka 0.1.0",
      description = "Kafka tools over real artifacts: segment files and exported log directories.",
      subcommands = {DumpLogCommand.class, ExportCommand.class, AssignCommand.class, CommandLine.HelpCommand.class})
  static final class Root implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: dump-log, export, assign (see ./sim kafka --help)");
    }
  }

  @Override
  public String name() {
    return "kafka";
  }

  @Override
  public String summary() {
    return "dump-log: validate Kafka segment files or log directories; export: write a scenario's broker log directories; assign: run a consumer-group assignor";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Root());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      if (ex instanceof BadInput b) {
        commandLine.getErr().println("kafka " + commandLine.getCommandName() + ": " + b.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  /** Input the command cannot use (a missing file, an index instead of a segment): exit 2 with what and where. */
  static final class BadInput extends RuntimeException {
    BadInput(String message) {
      super(message);
    }
  }
}
