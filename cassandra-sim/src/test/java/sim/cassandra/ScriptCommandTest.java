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
  void exportsEveryTableAsABigFormatSSTable(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.cql");
    Files.writeString(f, "CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}\nUSE k\n"
        + "CREATE TABLE t (k int PRIMARY KEY, v text);\nINSERT INTO t (k, v) VALUES (1, 'a')\nINSERT INTO t (k, v) VALUES (2, 'b')\n");
    Path export = dir.resolve("out");
    assertEquals(0, run("--script", f.toString(), "--export-sstables", export.toString()));
    Path tableDir;
    try (java.util.stream.Stream<Path> s = Files.list(export.resolve("k"))) {
      tableDir = s.findFirst().orElseThrow();
    }
    assertEquals(true, tableDir.getFileName().toString().matches("t-[0-9a-f]{32}"), tableDir.toString());
    for (String c : java.util.List.of("Data.db", "Index.db", "Summary.db", "Filter.db", "Statistics.db", "CRC.db", "Digest.crc32", "TOC.txt")) {
      assertEquals(true, Files.exists(tableDir.resolve("nb-1-big-" + c)), c);
    }
    sim.cassandra.sstable.SerializationHeader h = sim.cassandra.sstable.BigTableReader.readHeader(Files.readAllBytes(tableDir.resolve("nb-1-big-Statistics.db")), "Statistics.db");
    assertEquals("org.apache.cassandra.db.marshal.Int32Type", h.keyType());
    assertEquals("v", h.columns(false).get(0).name());
    // per partition: the key's 2-byte length and 4 bytes, its Data.db position and a 0 (no promoted index) as 1-byte vints
    assertEquals(2 * 8, Files.readAllBytes(tableDir.resolve("nb-1-big-Index.db")).length);
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
