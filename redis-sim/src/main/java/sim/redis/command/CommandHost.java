package sim.redis.command;

import sim.redis.config.RedisConfig;

/**
 * The narrow view of the server that command handlers get: its configuration, its clock, its persistence
 * controls and its INFO text. The keyspace, the lazy expire and propagation come with the {@link Call}.
 */
public interface CommandHost {
  RedisConfig config();

  long nowMs();

  Persistence persistence();

  /** genRedisInfoString: the INFO text for these section names (none: the default sections; "all", "everything"). */
  String info(java.util.List<String> sections);
}
