package sim.cassandra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.cassandra.dht.Murmur3Partitioner.LongToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return new CassandraCommand().run(args, new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static long real(String key) {
    ByteBuffer b = ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8));
    return ((LongToken) org.apache.cassandra.dht.Murmur3Partitioner.instance.getToken(b)).token;
  }

  @Test
  void printsKeyTabTokenAsCassandraComputesIt() {
    assertEquals(0, run("token", "alice", "bob", "zoë"));
    String expected = "alice\t" + real("alice") + "\nbob\t" + real("bob") + "\nzoë\t" + real("zoë") + "\n";
    assertEquals(expected, out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void readsKeysFromAFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("keys.txt");
    Files.writeString(f, "k1\nk2\n");
    assertEquals(0, run("token", "--file", f.toString()));
    assertEquals("k1\t" + real("k1") + "\nk2\t" + real("k2") + "\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void badUsageExitsTwoWithAMessage() {
    assertEquals(2, run("token"));
    assertEquals(2, run("token", "--file", "/no/such/file"));
    assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such file: /no/such/file"));
    assertEquals(2, run("token", "--bogus"));
  }
}
