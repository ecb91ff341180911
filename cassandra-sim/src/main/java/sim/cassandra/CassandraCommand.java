package sim.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sim.cassandra.ring.Murmur3Partitioner;
import sim.core.cli.CommandPlugin;

/**
 * {@code ./sim cassandra token KEY… | --file F} prints each text key's Murmur3Partitioner token;
 * {@code ./sim cassandra --script FILE [--json] [--nodes N --rf R]} runs a CQL script.
 */
public final class CassandraCommand implements CommandPlugin {
  static final String USAGE = """
      usage: ./sim cassandra token KEY... | --file F      print KEY<TAB>TOKEN (Murmur3Partitioner, text keys)
             ./sim cassandra --script FILE [--json] [--nodes N --rf R] [--seed S] [--export-sstables DIR]
                                                         (DIR/<ks>/<table>-<id>/nb-1-big-*: n1's tables as Cassandra 5.0 SSTables)
             ./sim cassandra compaction                   write/read/space amplification of STCS, LCS, TWCS, UCS on one workload
             ./sim cassandra consistency-table [--seeds N] [--rf R]   how often a read returns the last acknowledged write""";

  @Override
  public String name() {
    return "cassandra";
  }

  @Override
  public String summary() {
    return "Cassandra: Murmur3 tokens of keys (token), or a CQL script on a simulated cluster (--script F --json)";
  }

  @Override
  public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    if (args[0].equals("token")) return token(Arrays.copyOfRange(args, 1, args.length), out, err);
    if (args[0].equals("compaction")) {
      out.print(sim.cassandra.compaction.Amplification.table(1, 20_000, 2_000, 500, 100, 16 << 10));
      return 0;
    }
    if (args[0].equals("consistency-table")) return ConsistencyTable.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    return ScriptCommand.run(args, out, err);
  }

  private static int token(String[] args, PrintStream out, PrintStream err) {
    List<String> keys = new ArrayList<>();
    if (args.length == 2 && args[0].equals("--file")) {
      try {
        keys.addAll(Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8));
      } catch (NoSuchFileException e) {
        err.println("cassandra token: no such file: " + args[1]);
        return 2;
      } catch (IOException e) {
        err.println("cassandra token: cannot read " + args[1] + ": " + e.getMessage());
        return 2;
      }
    } else {
      for (String a : args) {
        if (a.startsWith("--")) {
          err.println("cassandra token: unknown option '" + a + "' (give keys, or --file F alone)");
          err.println(USAGE);
          return 2;
        }
        keys.add(a);
      }
    }
    if (keys.isEmpty()) {
      err.println("cassandra token: give at least one key, or --file F");
      err.println(USAGE);
      return 2;
    }
    for (String k : keys) out.println(k + "\t" + Murmur3Partitioner.token(k));
    return 0;
  }
}
