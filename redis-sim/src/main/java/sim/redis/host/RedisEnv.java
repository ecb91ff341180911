package sim.redis.host;

/**
 * What the server model needs from its host: a clock, a random source, write-path points and a log. The
 * simulation implements it on the NodeContext (kernel clock, seeded stream, traced points); the TCP adapter
 * on the wall clock.
 */
public interface RedisEnv {
  /** Unix time in milliseconds, as Redis's mstime(). */
  long nowMs();

  int randomInt(int bound);

  /**
   * A write-path point ("redis.aof.fsync"): traced and a breakpoint for {@code ./sim step}, with structured
   * attributes as key, value pairs ({@code "file", "appendonly.aof.1.incr.aof", "bytes", 30}).
   */
  void point(String name, String detail, Object... attributes);

  /** False when nobody records points (the TCP edge, benchmarks): hot paths then skip building details. */
  default boolean pointsEnabled() {
    return true;
  }

  /** A server log line (what redis-server prints to its log). */
  void log(String line);
}
