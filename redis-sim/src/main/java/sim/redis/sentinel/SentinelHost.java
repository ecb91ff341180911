package sim.redis.sentinel;

/** What a monitored master's state machine needs from its sentinel process. */
interface SentinelHost {
  /** mstime(): the sentinel's clock in milliseconds. */
  long now();

  /** rand() % bound, from the sentinel's seeded stream. */
  int random(int bound);

  /** sentinel.myid: the 40-character run id this sentinel votes and is voted by. */
  String myId();

  long currentEpoch();

  void currentEpoch(long epoch);

  /** sentinelFlushConfig: sentinel.conf is rewritten and fsynced before anything this event sends leaves. */
  void flushConfig();

  /** sentinelEvent: the log line and the pub/sub message {@code type} (+sdown, +switch-master ...). */
  void event(String type, String detail);

  /** Sends PING or INFO to a monitored server. */
  void ask(Instance target, String command);

  /** sentinelSendSlaveOf: REPLICAOF host port, or REPLICAOF NO ONE when host is null. */
  void replicaof(Instance target, String host, int port);

  /** Sends SENTINEL is-master-down-by-addr to another sentinel. */
  void askPeer(PeerSentinel peer, String masterHost, int masterPort, long epoch, String runId);

  /** Sends our hello to the other sentinels now (sentinelForceHelloUpdateForMaster). */
  void helloNow();

  boolean broken(String rule);
}
