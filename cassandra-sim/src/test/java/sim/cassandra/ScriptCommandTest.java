package sim.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new CassandraCommand().run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void runsAScriptOnThreeNodesWithRf3(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.cql");
    Files.writeString(f, "CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}\nUSE k\n"
        + "CREATE TABLE t (k int PRIMARY KEY, v text);\nCONSISTENCY ALL\nINSERT INTO t (k, v) VALUES (1, 'a')\nSELECT * FROM t\n");
    assertEquals(0, run("--script", f.toString(), "--json", "--nodes", "3", "--rf", "3"));
    String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(5, lines.length);
    assertEquals("{\"stmt\":5,\"status\":\"ok\",\"columns\":[\"k\",\"v\"],\"rows\":[[\"1\",\"'a'\"]]}", lines[4]);
  }

  @Test
  void aBadDirectiveNamesTheFileAndLine(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.cql");
    Files.writeString(f, "# comment\nCONSISTENCY SOMETIMES\n");
    assertEquals(2, run("--script", f.toString(), "--json"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains(f + ": line 2: unknown consistency level 'SOMETIMES'"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badArgumentsExitTwo() {
    assertEquals(2, run("--script"));
    assertEquals(2, run("--script", "/no/such.cql"));
    assertEquals(2, run("--nodes", "0", "--script", "x"));
  }
}
