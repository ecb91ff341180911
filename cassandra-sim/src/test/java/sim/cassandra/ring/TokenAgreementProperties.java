package sim.cassandra.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import org.apache.cassandra.dht.Murmur3Partitioner.LongToken;
import org.apache.cassandra.utils.MurmurHash;

/** Our tokens against cassandra-all's own MurmurHash and Murmur3Partitioner, for random keys of every length. */
class TokenAgreementProperties {
  private static final org.apache.cassandra.dht.Murmur3Partitioner REAL = org.apache.cassandra.dht.Murmur3Partitioner.instance;

  @Property(tries = 2000)
  void hashEqualsCassandrasForRandomBytes(@ForAll("keys") byte[] key) {
    long[] real = new long[2];
    MurmurHash.hash3_x64_128(ByteBuffer.wrap(key), 0, key.length, 0, real);
    long[] ours = MurmurHash3.hash3x64x128(key, 0, key.length, 0);
    assertEquals(real[0], ours[0], "h1");
    assertEquals(real[1], ours[1], "h2");
  }

  @Property(tries = 2000)
  void tokenEqualsMurmur3PartitionersForRandomBytes(@ForAll("keys") byte[] key) {
    long real = ((LongToken) REAL.getToken(ByteBuffer.wrap(key))).token;
    assertEquals(real, Murmur3Partitioner.token(key));
  }

  /** Non-ASCII tails: the sign-extension quirk only shows when a tail byte is ≥ 0x80. */
  @Property(tries = 2000)
  void tokenEqualsCassandrasForUnicodeText(@ForAll("text") String key) {
    long real = ((LongToken) REAL.getToken(ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))).token;
    assertEquals(real, Murmur3Partitioner.token(key));
  }

  @Example
  void differsFromTheReferenceForNonAsciiTails() {
    // Guava's murmur3_128 (the reference algorithm) reads the tail unsigned; for "é" the two part.
    byte[] key = "é".getBytes(StandardCharsets.UTF_8);
    long reference = com.google.common.hash.Hashing.murmur3_128(0).hashBytes(key).asLong();
    long[] ours = MurmurHash3.hash3x64x128(key, 0, key.length, 0);
    org.junit.jupiter.api.Assertions.assertNotEquals(reference, ours[0]);
  }

  @Example
  void minimumTokenIsNormalizedToMaximum() {
    assertEquals(Long.MAX_VALUE, Murmur3Partitioner.normalize(Long.MIN_VALUE));
    assertEquals(-5L, Murmur3Partitioner.normalize(-5L));
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(80);
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().all().ofMinLength(0).ofMaxLength(40);
  }
}
