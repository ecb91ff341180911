package sim.redis.command;

import java.util.List;
import sim.redis.config.RedisConfig;

/**
 * The narrow view of the server that command handlers get: its configuration, its clocks and random
 * source, its persistence controls, its role and its INFO text. The keyspace, the lazy expire and propagation
 * come with the {@link Call}.
 */
public interface CommandHost {
  RedisConfig config();

  long nowMs();

  /** ustime(): TIME's clock. */
  default long nowMicros() {
    return nowMs() * 1000;
  }

  /** The server's random source (RANDOMKEY, SPOP, SRANDMEMBER, HRANDFIELD, ZRANDMEMBER): seeded, deterministic. */
  long randomLong();

  Persistence persistence();

  /** True when this server replicates from a master: it never expires keys itself, its master sends DELs. */
  default boolean isReplica() {
    return replication() != null && replication().isReplica();
  }

  /** The server's replication (replication.c), or null where there is none. */
  default ReplicationControl replication() {
    return null;
  }

  /** "master" or "replica" (HELLO, ROLE). */
  default String role() {
    return isReplica() ? "replica" : "master";
  }

  /**
   * CONFIG SET applied these parameters to {@link #config()}; the server acts on them (appendonly yes starts
   * an AOF rewrite, hz...). Returns an error text when it cannot, else null.
   */
  default String configApplied(List<String> changed) {
    return null;
  }

  /**
   * CONFIG REWRITE (rewriteConfig): writes the running configuration into the config file. Returns null when
   * done, else the strerror text of the failure. Only called when {@code config().configfile} is set.
   */
  default String configRewrite() {
    return "Operation not supported";
  }

  /** genRedisInfoString: the INFO text for these section names (none: the default sections; "all", "everything"). */
  String info(List<String> sections);
}
