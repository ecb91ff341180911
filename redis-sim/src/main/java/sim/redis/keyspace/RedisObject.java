package sim.redis.keyspace;

/** A value in the keyspace (Redis's robj): one of the five data types. */
public sealed interface RedisObject permits RString, RList, RHash, RSet, RZSet, RStream {
  /** The TYPE command's answer: string, list, hash, set, zset. */
  String typeName();

  /** OBJECT ENCODING's answer under Redis 7.0's default thresholds. */
  String encoding();

  /** An independent copy: what a forked child sees (copy-on-write, done eagerly here). */
  RedisObject deepCopy();
}
