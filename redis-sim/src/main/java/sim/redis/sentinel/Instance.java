package sim.redis.sentinel;

/**
 * What a sentinel knows of one monitored Redis server (sentinelRedisInstance of a master or a slave, and its
 * instanceLink): the PING bookkeeping SDOWN is computed from, and what the last INFO reported.
 */
final class Instance {
  static final int ROLE_NONE = 0;
  static final int ROLE_MASTER = 1;
  static final int ROLE_SLAVE = 2;

  final String host;
  final int port;
  String runId;
  boolean sdown;
  long sdownSince;
  /** act_ping_time: when the oldest unanswered PING was sent (0: none pending). */
  long actPingTime;
  long lastPingTime;
  long lastPongTime;
  long lastAvailTime;
  long infoRefresh;
  long lastInfoSent;
  int roleReported = ROLE_NONE;
  long roleReportedTime;
  String slaveMasterHost;
  int slaveMasterPort;
  boolean slaveLinkUp;
  long slaveConfChangeTime;
  int priority = 100;
  long replOffset;
  long masterLinkDownTime;
  boolean promoted;
  boolean reconfSent;
  boolean reconfInprog;
  boolean reconfDone;
  long reconfSentTime;

  Instance(String host, int port, long now) {
    this.host = host;
    this.port = port;
    // createSentinelRedisInstance: the link starts as if just answered; a master that never answers goes SDOWN
    this.actPingTime = now;
    this.lastAvailTime = now;
    this.lastPongTime = now;
    this.roleReportedTime = now;
  }

  String addr() {
    return host + " " + port;
  }

  void clearReconf() {
    promoted = false;
    reconfSent = false;
    reconfInprog = false;
    reconfDone = false;
  }
}
