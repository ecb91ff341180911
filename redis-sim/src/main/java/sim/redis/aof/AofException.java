package sim.redis.aof;

/** An AOF that must not be loaded (Redis exits with this message). */
public final class AofException extends RuntimeException {
  public AofException(String message) {
    super(message);
  }
}
