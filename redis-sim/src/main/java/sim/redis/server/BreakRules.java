package sim.redis.server;

/**
 * Rules real Redis depends on, which {@code ./sim run S --break RULE} switches off so a learner sees why they
 * exist (and so exploration proves the invariants bite). Never a redis.conf setting.
 */
public final class BreakRules {
  private BreakRules() {}

  /** Under appendfsync always, reply after write(2) and fsync in the background instead of before replying. */
  public static final String ALWAYS_ACKS_BEFORE_FSYNC = "redis.always-acks-before-fsync";

  /** Load a truncated AOF tail without trimming the partial command off the file. */
  public static final String LOAD_TRUNCATED_AOF_SILENTLY = "redis.load-truncated-aof-silently";

  /** Rename temp-&lt;pid&gt;.rdb over dump.rdb before its bytes were fsynced. */
  public static final String RDB_RENAME_BEFORE_FSYNC = "redis.rdb-rename-before-fsync";

  /** PSYNC continues from the backlog whenever the offset fits, whatever history the replica's replid names. */
  public static final String PSYNC_IGNORES_REPLID = "redis.psync-ignores-replid";

  /** WAIT counts every connected replica, whether or not it acknowledged the client's offset. */
  public static final String WAIT_COUNTS_UNACKED = "redis.wait-counts-unacked";

  /** A read-only replica executes clients' writes instead of answering -READONLY. */
  public static final String REPLICA_ACCEPTS_WRITES = "redis.replica-accepts-writes";
}
