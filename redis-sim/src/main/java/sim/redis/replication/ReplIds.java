package sim.redis.replication;

import sim.redis.host.RedisEnv;

/**
 * The PSYNC2 identity of a dataset's history (server.replid, replid2, master_repl_offset, second_replid_offset)
 * and its backlog. A master's writes move the offset; a replica's offset moves with the stream it applies, so
 * a replica's (replid, offset) names the same history as its master's. A promotion keeps the old id as replid2,
 * valid up to second_replid_offset, so the other replicas of the old master can still +CONTINUE.
 */
final class ReplIds {
  static final String NONE = "0".repeat(40);

  private final RedisEnv env;
  String replid;
  String replid2 = NONE;
  long masterReplOffset;
  long secondReplidOffset = -1;
  Backlog backlog;

  ReplIds(RedisEnv env, String replid) {
    this.env = env;
    this.replid = replid;
  }

  /** getRandomHexChars(CONFIG_RUN_ID_SIZE). */
  static String randomId(RedisEnv env) {
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) sb.append(Character.forDigit(env.randomInt(16), 16));
    return sb.toString();
  }

  /** changeReplicationId. */
  void changeReplicationId() {
    replid = randomId(env);
  }

  /** clearReplicationId2. */
  void clearReplicationId2() {
    replid2 = NONE;
    secondReplidOffset = -1;
  }

  /**
   * shiftReplicationId (a promotion): the history so far stays reachable as replid2 up to offset + 1, since a
   * replica of the old master at that offset has exactly this dataset.
   */
  void shiftReplicationId() {
    replid2 = replid;
    secondReplidOffset = masterReplOffset + 1;
    changeReplicationId();
  }

  /** Appends stream bytes: the offset moves, the backlog (if any) keeps them. */
  void feed(byte[] p, int from, int len) {
    if (backlog != null) backlog.feed(p, from, len);
    masterReplOffset += len;
  }

  void createBacklog(long size) {
    backlog = new Backlog(size, masterReplOffset);
  }
}
