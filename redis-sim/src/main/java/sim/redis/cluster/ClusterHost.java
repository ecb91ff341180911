package sim.redis.cluster;

/** What the cluster logic needs from the node it runs in: the clock, the bus, randomness, replication, nodes.conf. */
interface ClusterHost {
  /** mstime(). */
  long nowMs();

  /** Whether a cluster node listens at {@code host:port} (a connect there succeeds). */
  boolean listening(String host, int port);

  /** Writes a message to a node's cluster bus link. */
  void send(String node, ClusterMessage m);

  /** random() % bound, from the node's seeded stream. */
  int random(int bound);

  void point(String name, String detail, Object... attributes);

  /** replicationSetMaster(ip, port): replicate from {@code master}. */
  void replicateFrom(String master);

  /** replicationUnsetMaster: stop replicating and become a master (a new replication ID). */
  void stopReplicating();

  /** Whether replication is turned on (server.masterhost != NULL). */
  boolean replicating();

  /** replicationGetSlaveOffset / master_repl_offset. */
  long replOffset();

  /** The keys of db 0 hashing to {@code slot} (the slot-to-keys index behind COUNTKEYSINSLOT and GETKEYSINSLOT). */
  java.util.List<String> keysInSlot(int slot);

  /**
   * pauseClients(PAUSE_DURING_FAILOVER, untilMs, CLIENT_PAUSE_WRITE): client commands that write wait, unanswered,
   * until {@link #unpauseWrites} or {@code untilMs}; the master also stops its replication PINGs (which would move
   * the offset it announced).
   */
  default void pauseWrites(long untilMs) {}

  /** unpauseClients(PAUSE_DURING_FAILOVER): the commands that waited run now, each checked again (-MOVED). */
  default void unpauseWrites() {}

  /** clusterSaveConfigOrDie(do_fsync): nodes.conf written and fsynced before anything else happens. */
  void saveConfig();
}
