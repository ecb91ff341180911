package sim.redis.rdb;

/** A malformed or unsupported RDB (or AOF base) file; the message says what and where. */
public final class RdbException extends RuntimeException {
  public RdbException(String message) {
    super(message);
  }
}
