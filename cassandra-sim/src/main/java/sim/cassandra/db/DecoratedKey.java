package sim.cassandra.db;

import sim.cassandra.ring.Murmur3Partitioner;

/** A partition key with its token: partitions sort by token, then by the key's bytes. */
public record DecoratedKey(long token, Bytes key) implements Comparable<DecoratedKey> {
  public static DecoratedKey of(Bytes key) {
    return new DecoratedKey(Murmur3Partitioner.token(key.unsafeArray()), key);
  }

  @Override
  public int compareTo(DecoratedKey o) {
    int c = Long.compare(token, o.token);
    return c != 0 ? c : key.compareTo(o.key);
  }

  @Override
  public String toString() {
    return key + "@" + token;
  }
}
