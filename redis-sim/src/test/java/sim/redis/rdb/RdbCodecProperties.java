package sim.redis.rdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import sim.redis.aof.AofCommandReader;
import sim.redis.aof.AofException;
import sim.redis.aof.AofManifest;
import sim.redis.keyspace.Keyspace;
import sim.redis.testing.Datasets;
import sim.redis.testing.LocalRedis;

class RdbCodecProperties {
  @Example
  void crc64JonesCheckValue() {
    assertEquals(0xe9c6d914c4b8d9caL, Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
  }

  @Property(tries = 300)
  void lzfRoundTrips(@ForAll("compressible") byte[] data) {
    byte[] c = Lzf.compress(data, data.length + 64);
    if (c == null) return;
    assertArrayEquals(data, Lzf.decompress(c, 0, c.length, data.length));
  }

  @Provide
  Arbitrary<byte[]> compressible() {
    return Arbitraries.of("abc", "abcabc", "x", "hello world ", "\u0000", "1234567890").list().ofMinSize(1).ofMaxSize(300)
        .map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 300)
  void listpackRoundTrips(@ForAll("entries") List<String> entries) {
    assertEquals(entries, Listpack.decode(Listpack.encode(entries)));
  }

  @Provide
  Arbitrary<List<String>> entries() {
    Arbitrary<String> ints = Arbitraries.longs().map(v -> Long.toString(v));
    Arbitrary<String> strs = Arbitraries.strings().withCharRange((char) 0, (char) 255).ofMaxLength(5000);
    return Arbitraries.oneOf(ints, strs, Arbitraries.of("0", "-1", "127", "128", "4095", "-4096", "4096", "")).list().ofMaxSize(40);
  }

  /** Our writer's file, read back, gives the same dataset; and any single flipped byte is caught cleanly. */
  @Property(tries = 200)
  void rdbLoaderNeverCrashesOnDamage(@ForAll @IntRange(min = 0, max = 1_000_000) int where, @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] file = sampleRdb();
    byte[] damaged = file.clone();
    int at = where % damaged.length;
    damaged[at] ^= (byte) mask;
    try {
      RdbReader.read(damaged, "dump.rdb");
    } catch (RdbException e) {
      assertTrue(e.getMessage().contains("dump.rdb"), e.getMessage());
    }
  }

  @Property(tries = 200)
  void truncatedRdbIsRefused(@ForAll @IntRange(min = 0, max = 1_000_000) int cut) {
    byte[] file = sampleRdb();
    int len = cut % file.length;
    byte[] prefix = java.util.Arrays.copyOf(file, len);
    try {
      RdbReader.read(prefix, "dump.rdb");
      throw new AssertionError("a truncated RDB of " + len + " bytes loaded");
    } catch (RdbException e) {
      assertTrue(e.getMessage().contains("dump.rdb"));
    }
  }

  @Example
  void ourRdbRoundTrips() {
    LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
    for (List<String> cmd : Datasets.richWorkload()) ours.call(cmd);
    Keyspace loaded = RdbReader.read(RdbWriter.write(ours.server.keyspace(), 0, false, true, true), "x").keyspace();
    assertEquals(ours.server.keyspace().describe(), loaded.describe());
  }

  private static byte[] sample;

  private static byte[] sampleRdb() {
    if (sample == null) {
      LocalRedis ours = LocalRedis.started(LocalRedis.noPersistence());
      for (List<String> cmd : Datasets.richWorkload()) ours.call(cmd);
      sample = RdbWriter.write(ours.server.keyspace(), 0, false, true, true);
    }
    return sample;
  }

  /** The AOF command reader on random bytes: commands, a truncation, or a format error; never an exception. */
  @Property(tries = 1000)
  void aofReaderClassifiesAnyBytes(@ForAll("aofish") byte[] bytes) {
    AofCommandReader.Parsed p = AofCommandReader.parse(bytes, 0);
    assertTrue(p.validUpTo() <= bytes.length);
    assertTrue(p.formatError() == null || !p.truncated());
  }

  @Provide
  Arbitrary<byte[]> aofish() {
    return Arbitraries.of("*2\r\n", "$3\r\n", "SET\r\n", "$1\r\n", "a\r\n", "*", "$", "\r\n", "MULTI", "*1\r\n$5\r\nMULTI\r\n",
        "*1\r\n$4\r\nEXEC\r\n", "#note\n", "x", "-3").list().ofMaxSize(20).map(l -> String.join("", l).getBytes(StandardCharsets.ISO_8859_1));
  }

  @Property(tries = 300)
  void manifestParserNeverCrashes(@ForAll("manifestish") String text) {
    try {
      AofManifest m = AofManifest.parse(text, "m");
      assertEquals(m.format(), AofManifest.parse(m.format(), "m").format());
    } catch (AofException e) {
      assertTrue(e.getMessage().contains("(m"), e.getMessage());
    }
  }

  @Provide
  Arbitrary<String> manifestish() {
    return Arbitraries.of("file ", "a.aof ", "seq ", "1 ", "2 ", "type ", "b", "i", "h", "\n", "x ", "# c\n", "\"q ").list().ofMaxSize(30)
        .map(l -> String.join("", l));
  }

  @Example
  void manifestFormatMatchesRedis() {
    AofManifest m = new AofManifest();
    m.newBase("appendonly.aof", true);
    m.newIncr("appendonly.aof");
    assertEquals("file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n", m.format());
  }
}
