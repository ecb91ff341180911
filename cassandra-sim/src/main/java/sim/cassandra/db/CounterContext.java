package sim.cassandra.db;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;

/**
 * A counter's value as Cassandra keeps it: shards, one per replica that led an increment, each
 * {@code (counterId, clock, count)}. Merging keeps, per counter id, the shard with the higher clock (a
 * replica's later view of its own shard), so re-applying or re-merging a context never counts twice; the
 * value is the sum of the counts. (Cassandra also has local and remote shard kinds from the pre-2.1 design;
 * only global shards are modelled.)
 */
public final class CounterContext {
  private CounterContext() {}

  public record Shard(long clock, long count) {}

  public static Bytes of(long counterId, long clock, long count) {
    TreeMap<Long, Shard> m = new TreeMap<>();
    m.put(counterId, new Shard(clock, count));
    return encode(m);
  }

  public static TreeMap<Long, Shard> decode(Bytes context) {
    TreeMap<Long, Shard> shards = new TreeMap<>();
    ByteBuffer b = context.buffer();
    while (b.remaining() >= 24) shards.put(b.getLong(), new Shard(b.getLong(), b.getLong()));
    return shards;
  }

  public static Bytes encode(Map<Long, Shard> shards) {
    ByteBuffer b = ByteBuffer.allocate(24 * shards.size());
    for (Map.Entry<Long, Shard> e : shards.entrySet()) b.putLong(e.getKey()).putLong(e.getValue().clock()).putLong(e.getValue().count());
    return Bytes.wrap(b.array());
  }

  public static Bytes merge(Bytes a, Bytes b) {
    TreeMap<Long, Shard> m = decode(a);
    for (Map.Entry<Long, Shard> e : decode(b).entrySet()) {
      m.merge(e.getKey(), e.getValue(), (x, y) -> x.clock() != y.clock() ? (x.clock() > y.clock() ? x : y) : (x.count() >= y.count() ? x : y));
    }
    return encode(m);
  }

  public static long total(Bytes context) {
    long sum = 0;
    for (Shard s : decode(context).values()) sum += s.count();
    return sum;
  }
}
