package sim.redis.keyspace;

import sim.redis.resp.Numbers;

/**
 * A string value (a byte string, one Java char per byte). Its OBJECT ENCODING depends on how Redis made it:
 * {@link #TRY_ENCODING} (SET, MSET, APPEND to a new key, RDB load: tryObjectEncoding — canonical integers
 * are "int", up to 44 bytes "embstr", else "raw"), {@link #CREATED} (createStringObject, as INCRBYFLOAT's
 * result: "embstr" up to 44 bytes, else "raw") or {@link #RAW} (modified in place: APPEND, SETRANGE, SETBIT,
 * HLLs, BITOP results).
 */
public record RString(String value, byte kind) implements RedisObject {
  public static final int EMBSTR_SIZE_LIMIT = 44;
  public static final byte TRY_ENCODING = 0;
  public static final byte CREATED = 1;
  public static final byte RAW = 2;

  public RString(String value) {
    this(value, TRY_ENCODING);
  }

  public RString(String value, boolean raw) {
    this(value, raw ? RAW : TRY_ENCODING);
  }

  public boolean raw() {
    return kind == RAW;
  }

  @Override
  public String typeName() {
    return "string";
  }

  @Override
  public String encoding() {
    if (kind == RAW) return "raw";
    if (kind == TRY_ENCODING && value.length() <= 20 && Numbers.isCanonicalLong(value)) return "int";
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
