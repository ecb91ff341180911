package sim.redis.keyspace;

import sim.redis.resp.Numbers;

/**
 * A string value. Redis stores canonical integers as "int", short strings as "embstr", others "raw"; a
 * string modified in place (APPEND to an existing key) is unshared into a "raw" sds and stays raw.
 */
public record RString(String value, boolean raw) implements RedisObject {
  public static final int EMBSTR_SIZE_LIMIT = 44;

  public RString(String value) {
    this(value, false);
  }

  @Override
  public String typeName() {
    return "string";
  }

  @Override
  public String encoding() {
    if (raw) return "raw";
    if (value.length() <= 20 && Numbers.isCanonicalLong(value)) return "int";
    return value.length() <= EMBSTR_SIZE_LIMIT ? "embstr" : "raw";
  }

  @Override
  public String toString() {
    return value;
  }

  @Override
  public RedisObject deepCopy() {
    return this; // immutable
  }
}
