package sim.zk;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import sim.core.check.SimulationFailure;
import sim.core.cli.CommandPlugin;
import sim.zk.script.ScriptBackend;
import sim.zk.script.ScriptException;
import sim.zk.script.ScriptLine;
import sim.zk.script.ScriptParser;
import sim.zk.script.ScriptRunner;
import sim.zk.script.SimBackend;
import sim.zk.script.TreeBackend;

/** {@code ./sim zk --script FILE --json [--servers N] [--seed S] [--normalize]}: client scripts on an ensemble. */
public final class ZkCommand implements CommandPlugin {
  private static final String USAGE = "usage: ./sim zk --script FILE --json [--servers 1|3|5 (default 3; 0 = data tree only)] [--seed N] [--normalize]";

  @Override
  public String name() {
    return "zk";
  }

  @Override
  public String summary() {
    return "run a ZooKeeper client script on a simulated ensemble, one JSON line per operation and watch event";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    String script = null;
    boolean json = false;
    boolean normalize = false;
    int servers = 3;
    long seed = 1;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--script" -> script = value(args, ++i, "--script");
          case "--json" -> json = true;
          case "--normalize" -> normalize = true;
          case "--servers" -> servers = (int) number(value(args, ++i, "--servers"), "--servers");
          case "--seed" -> seed = number(value(args, ++i, "--seed"), "--seed");
          case "-h", "--help" -> {
            out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (script == null) throw new IllegalArgumentException("--script FILE is required");
      if (!json) throw new IllegalArgumentException("only --json output is implemented; add --json");
      if (servers < 0 || servers > 9) throw new IllegalArgumentException("--servers must be 0..9, got " + servers);
    } catch (IllegalArgumentException e) {
      err.println("zk: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    List<ScriptLine> lines;
    try {
      lines = ScriptParser.parse(Files.readString(Path.of(script)));
    } catch (NoSuchFileException e) {
      err.println("zk: no such script file: " + script);
      return 2;
    } catch (IOException e) {
      err.println("zk: cannot read " + script + ": " + e.getMessage());
      return 2;
    } catch (ScriptException e) {
      err.println("zk: " + script + ": " + e.getMessage());
      return 2;
    }
    try {
      ScriptBackend backend = servers == 0 ? new TreeBackend() : new SimBackend(seed, servers);
      for (String line : ScriptRunner.run(lines, backend, normalize)) out.println(line);
      return 0;
    } catch (SimulationFailure f) {
      err.println(f.getMessage());
      return 1;
    }
  }

  private static long number(String text, String flag) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " needs a number, got '" + text + "'");
    }
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) throw new IllegalArgumentException(flag + " needs a value");
    return args[i];
  }
}
