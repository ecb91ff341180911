package sim.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sim.core.check.SimulationFailure;
import sim.core.cli.CommandPlugin;
import sim.zk.script.HumanFormat;
import sim.zk.script.OutputFormat;
import sim.zk.script.ScriptBackend;
import sim.zk.script.ScriptException;
import sim.zk.script.ScriptFormat;
import sim.zk.script.ScriptLine;
import sim.zk.script.ScriptParser;
import sim.zk.script.ScriptRunner;
import sim.zk.script.SimBackend;
import sim.zk.script.TreeBackend;

/** {@code ./sim zk --script FILE [--json] [--servers N] [--seed S] [--normalize]}: client scripts on an ensemble. */
public final class ZkCommand implements CommandPlugin {
  @Override
  public String name() {
    return "zk";
  }

  @Override
  public String summary() {
    return "run a ZooKeeper client script on a simulated ensemble, printed as zkCli.sh would (or as JSON lines)";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Script script = new Script(out, err);
    CommandLine cl = new CommandLine(script);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setParameterExceptionHandler((e, rest) -> {
      err.println("zk: " + e.getMessage());
      err.println("usage: " + e.getCommandLine().getHelp().synopsis(0).strip() + "   (--help for more)");
      return 2;
    });
    return cl.execute(args);
  }

  @Command(name = "./sim zk", sortOptions = false, usageHelpAutoWidth = true,
      description = {"Runs a ZooKeeper client script (lines 'client: command', see zk-sim/README.md) on a simulated ensemble.",
          "Each client name is a session connected round robin (c1 -> zk1, c2 -> zk2, ...). Exit 2 on a bad argument or a malformed script."})
  static final class Script implements Callable<Integer> {
    private final PrintStream out;
    private final PrintStream err;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Print this help and exit.")
    boolean help;

    @Option(names = "--script", required = true, paramLabel = "FILE", description = "The script to run.")
    Path file;

    @Option(names = "--json", description = "One JSON line per operation and watch event (the form the agreement tests compare) instead of zkCli's words.")
    boolean json;

    @Option(names = "--normalize", description = "Name zxids z1, z2, ... and sessions s1, s2, ... in order of first appearance; times as T.")
    boolean normalize;

    @Option(names = "--servers", paramLabel = "N", converter = ServersConverter.class, defaultValue = "3",
        description = "Ensemble size: 1, 3 or 5 (default ${DEFAULT-VALUE}); 0 runs the data tree alone, without servers.")
    int servers;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "The simulation's seed (default ${DEFAULT-VALUE}).")
    long seed;

    Script(PrintStream out, PrintStream err) {
      this.out = out;
      this.err = err;
    }

    @Override
    public Integer call() {
      List<ScriptLine> lines;
      try {
        lines = ScriptParser.parse(Files.readString(file));
      } catch (NoSuchFileException e) {
        err.println("zk: --script " + file + ": no such file");
        return 2;
      } catch (IOException e) {
        err.println("zk: --script " + file + ": cannot read it: " + e.getMessage());
        return 2;
      } catch (ScriptException e) {
        err.println("zk: " + file + ": " + e.getMessage());
        return 2;
      }
      try {
        ScriptBackend backend = servers == 0 ? new TreeBackend() : new SimBackend(seed, servers);
        ScriptFormat format = json ? new OutputFormat(normalize) : new HumanFormat(normalize);
        for (String line : ScriptRunner.run(lines, backend, format)) out.println(line);
        return 0;
      } catch (SimulationFailure f) {
        err.println(f.getMessage());
        return 1;
      }
    }
  }

  /** Only the ensemble sizes the help names. */
  static final class ServersConverter implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a number (1, 3 or 5; 0 = the data tree alone)");
      }
      if (n != 0 && n != 1 && n != 3 && n != 5) {
        throw new CommandLine.TypeConversionException(n + " servers: an ensemble here has 1, 3 or 5 servers (0 = the data tree alone)");
      }
      return n;
    }
  }
}
