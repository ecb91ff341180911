package sim.es.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.hash.Hashing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Our routing equals Elasticsearch's formula with Guava's murmur3_32_fixed as the reference hash. */
class RoutingProperties {
  static int reference(String id, int shards) {
    ByteBuffer utf16le = ByteBuffer.allocate(id.length() * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (char c : id.toCharArray()) utf16le.putChar(c);
    int hash = Hashing.murmur3_32_fixed(0).hashBytes(utf16le.array()).asInt();
    // Elasticsearch's default index.number_of_routing_shards for 1..8 primaries (largest shards * 2^k <= 1024)
    int routingNumShards = new int[] {0, 1024, 1024, 768, 1024, 640, 768, 896, 1024}[shards];
    return Math.floorMod(hash, routingNumShards) / (routingNumShards / shards);
  }

  @Property(tries = 3000)
  void shardOfRandomIdsEqualsReference(@ForAll String id, @ForAll @IntRange(min = 1, max = 8) int shards) {
    assertEquals(reference(id, shards), OperationRouting.shardId(id, shards), id);
  }

  @Property(tries = 1000)
  void hashEqualsGuava(@ForAll byte[] bytes) {
    assertEquals(Hashing.murmur3_32_fixed(0).hashBytes(bytes).asInt(), OperationRouting.murmur3x86_32(bytes, 0, bytes.length, 0));
  }

  @Test
  void defaultRoutingNumShardsAsElasticsearch() {
    // numShards * 2^k <= 1024 with at least one split: 1 -> 1024, 3 -> 768, 5 -> 640, 8 -> 1024, 600 -> 1200
    assertEquals(1024, OperationRouting.defaultRoutingNumShards(1));
    assertEquals(1024, OperationRouting.defaultRoutingNumShards(2));
    assertEquals(768, OperationRouting.defaultRoutingNumShards(3));
    assertEquals(640, OperationRouting.defaultRoutingNumShards(5));
    assertEquals(1024, OperationRouting.defaultRoutingNumShards(8));
    assertEquals(1200, OperationRouting.defaultRoutingNumShards(600));
  }
}
