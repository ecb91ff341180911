package sim.cassandra;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import sim.cassandra.script.ScriptException;
import sim.cassandra.script.ScriptLine;
import sim.cassandra.script.ScriptParser;
import sim.cassandra.script.ScriptRunner;
import sim.cassandra.script.SimBackend;
import sim.core.check.SimulationFailure;

/** {@code ./sim cassandra --script FILE [--json] [--nodes N --rf R] [--seed S] [--export-sstables DIR]}: a CQL script on a simulated cluster. */
final class ScriptCommand {
  private ScriptCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    String script = null;
    boolean json = false;
    String export = null;
    int nodes = 1;
    Integer rf = null;
    long seed = 1;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--script" -> script = value(args, ++i, "--script");
          case "--json" -> json = true;
          case "--nodes" -> nodes = (int) number(value(args, ++i, "--nodes"), "--nodes");
          case "--rf" -> rf = (int) number(value(args, ++i, "--rf"), "--rf");
          case "--export-sstables" -> export = value(args, ++i, "--export-sstables");
          case "--seed" -> seed = number(value(args, ++i, "--seed"), "--seed");
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
      if (script == null) throw new IllegalArgumentException("--script FILE is required");
      if (nodes < 1 || nodes > 32) throw new IllegalArgumentException("--nodes must be 1..32, got " + nodes);
      if (rf != null && (rf < 1 || rf > nodes)) throw new IllegalArgumentException("--rf must be 1.." + nodes + " (at most --nodes), got " + rf);
    } catch (IllegalArgumentException e) {
      err.println("cassandra: " + e.getMessage());
      err.println(CassandraCommand.USAGE);
      return 2;
    }
    List<ScriptLine> lines;
    try {
      lines = ScriptParser.parse(Files.readString(Path.of(script), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      err.println("cassandra: no such script file: " + script);
      return 2;
    } catch (IOException e) {
      err.println("cassandra: cannot read " + script + ": " + e.getMessage());
      return 2;
    } catch (ScriptException e) {
      err.println(script + ": " + e.getMessage());
      return 2;
    }
    try {
      SimBackend backend = new SimBackend(seed, nodes, rf);
      List<String> results = ScriptRunner.run(lines, backend);
      for (int i = 0; i < results.size(); i++) out.println(json ? results.get(i) : ScriptRunner.plain(results.get(i)));
      if (export != null) return exportSSTables(backend, Path.of(export), err);
      return 0;
    } catch (SimulationFailure f) {
      err.println(f.getMessage());
      return 1;
    }
  }

  /**
   * Writes node n1's replica of every user table as a {@code big}-format SSTable under
   * {@code DIR/<keyspace>/<table>-<id>/}, the layout Cassandra's tools ({@code sstabledump}) read.
   */
  private static int exportSSTables(SimBackend backend, Path dir, PrintStream err) {
    sim.cassandra.storage.StorageEngine storage = backend.simulation().node(sim.core.NodeId.of("n1"), sim.cassandra.cluster.CassandraNode.class).storage();
    long nowInSec = backend.simulation().nowNanos() / 1_000_000_000L;
    try {
      for (sim.cassandra.storage.TableStore store : storage.stores().values()) {
        sim.cassandra.schema.TableMetadata t = store.metadata();
        String id = java.util.UUID.nameUUIDFromBytes(t.qualifiedName().getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        Path tableDir = Files.createDirectories(dir.resolve(t.keyspace()).resolve(t.name() + "-" + id));
        for (java.util.Map.Entry<String, byte[]> e : store.writeBigFormat(1, nowInSec).entrySet()) Files.write(tableDir.resolve(e.getKey()), e.getValue());
      }
      return 0;
    } catch (IOException e) {
      err.println("cassandra: cannot write SSTables to " + dir + ": " + e.getMessage());
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
