package sim.redis.sentinel;

import java.util.ArrayList;
import java.util.List;

/**
 * One sentinel's sentinel.conf: {@code sentinel monitor <name> <host> <port> <quorum>} and the per-master
 * settings with Redis 7.0's defaults (sentinel.c: sentinel_default_down_after 30000, failover-timeout
 * 60*3*1000, parallel-syncs 1). {@code sentinels} stands in for the hello discovery: the other sentinels'
 * node names (real sentinels find each other through {@code __sentinel__:hello} on the monitored servers).
 */
public final class SentinelConfig {
  public String masterName = "mymaster";
  public String masterHost;
  public int masterPort = 6379;
  public int quorum = 2;
  public long downAfterMs = 30_000;
  public long failoverTimeoutMs = 180_000;
  public int parallelSyncs = 1;
  public List<String> sentinels = new ArrayList<>();
  /** {@code sentinel known-replica <name> <host> <port>} lines: replicas known before the first INFO. */
  public List<String> knownReplicas = new ArrayList<>();

  public static SentinelConfig monitor(String name, String host, int port, int quorum) {
    SentinelConfig c = new SentinelConfig();
    c.masterName = name;
    c.masterHost = host;
    c.masterPort = port;
    c.quorum = quorum;
    return c;
  }
}
