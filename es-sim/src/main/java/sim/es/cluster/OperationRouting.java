package sim.es.cluster;

import sim.core.Check;

/**
 * Which shard a document lives on, exactly as Elasticsearch computes it (OperationRouting):
 * {@code shard = floorMod(murmur3_x86_32(routing as UTF-16LE bytes, seed 0), routing_num_shards) / routing_factor},
 * where the routing is the {@code _id} unless a custom routing is given, {@code routing_factor} is
 * {@code routing_num_shards / number_of_shards}, and {@code routing_num_shards} defaults to the largest
 * {@code number_of_shards * 2^k <= 1024} (at least one split), so an index can later be split without moving
 * documents between the new shards' parents.
 */
public final class OperationRouting {
  private OperationRouting() {}

  /** MetadataCreateIndexService.calculateNumRoutingShards for indices created on 7.0 or later. */
  public static int defaultRoutingNumShards(int numberOfShards) {
    Check.argument(numberOfShards >= 1 && numberOfShards <= 1024, "number_of_shards must be between 1 and 1024, got %s", numberOfShards);
    int log2MaxNumShards = 10; // 1024
    int log2NumShards = 32 - Integer.numberOfLeadingZeros(numberOfShards - 1); // ceil(log2(numberOfShards))
    int numSplits = Math.max(1, log2MaxNumShards - log2NumShards);
    return numberOfShards << numSplits;
  }

  public static int shardId(String routing, int numberOfShards) {
    return shardId(routing, numberOfShards, defaultRoutingNumShards(numberOfShards));
  }

  public static int shardId(String routing, int numberOfShards, int routingNumShards) {
    int routingFactor = routingNumShards / numberOfShards;
    return Math.floorMod(hash(routing), routingNumShards) / routingFactor;
  }

  /** Murmur3HashFunction.hash: the routing string's UTF-16 code units as little-endian bytes, murmur3 x86_32, seed 0. */
  public static int hash(String routing) {
    byte[] bytes = new byte[routing.length() * 2];
    for (int i = 0; i < routing.length(); i++) {
      char c = routing.charAt(i);
      bytes[i * 2] = (byte) c;
      bytes[i * 2 + 1] = (byte) (c >>> 8);
    }
    return murmur3x86_32(bytes, 0, bytes.length, 0);
  }

  /** MurmurHash3 x86 32-bit (Austin Appleby's), as Lucene's StringHelper.murmurhash3_x86_32. */
  public static int murmur3x86_32(byte[] data, int offset, int len, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h1 = seed;
    int roundedEnd = offset + (len & 0xfffffffc);
    for (int i = offset; i < roundedEnd; i += 4) {
      int k1 = (data[i] & 0xff) | ((data[i + 1] & 0xff) << 8) | ((data[i + 2] & 0xff) << 16) | (data[i + 3] << 24);
      k1 *= c1;
      k1 = Integer.rotateLeft(k1, 15);
      k1 *= c2;
      h1 ^= k1;
      h1 = Integer.rotateLeft(h1, 13);
      h1 = h1 * 5 + 0xe6546b64;
    }
    int k1 = 0;
    switch (len & 0x03) {
      case 3:
        k1 = (data[roundedEnd + 2] & 0xff) << 16;
        // fall through
      case 2:
        k1 |= (data[roundedEnd + 1] & 0xff) << 8;
        // fall through
      case 1:
        k1 |= data[roundedEnd] & 0xff;
        k1 *= c1;
        k1 = Integer.rotateLeft(k1, 15);
        k1 *= c2;
        h1 ^= k1;
        break;
      default:
        break;
    }
    h1 ^= len;
    h1 ^= h1 >>> 16;
    h1 *= 0x85ebca6b;
    h1 ^= h1 >>> 13;
    h1 *= 0xc2b2ae35;
    h1 ^= h1 >>> 16;
    return h1;
  }
}
