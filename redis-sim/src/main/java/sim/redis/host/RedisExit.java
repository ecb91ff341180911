package sim.redis.host;

/** Redis calls exit(1): the host must stop serving this incarnation (the simulation fail-stops the node). */
public final class RedisExit extends RuntimeException {
  public RedisExit(String message) {
    super(message);
  }
}
