package sim.zk.server;

import java.util.List;
import sim.core.Check;
import sim.core.NodeId;

/**
 * An ensemble's configuration with ZooKeeper's names and defaults ({@code zoo.cfg}). Server {@code i} of
 * {@link #servers} has {@code myid = i + 1}.
 *
 * @param snapCount txns between snapshots (real default 100000; small here so snapshots happen)
 * @param commitLogCount committed txns the leader keeps in memory for DIFF (real default 500)
 * @param snapRetainCount snapshots autopurge keeps, with the logs after the oldest (real: autopurge off by
 *     default; 3 when enabled)
 */
public record ZkConfig(List<NodeId> servers, int tickTimeMs, int initLimit, int syncLimit, int finalizeWaitMs,
    int maxNotificationIntervalMs, int snapCount, int commitLogCount, int snapRetainCount) {

  public ZkConfig {
    servers = List.copyOf(servers);
    Check.argument(!servers.isEmpty(), "an ensemble needs servers");
  }

  public static ZkConfig of(int n) {
    List<NodeId> ids = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) ids.add(NodeId.of("zk" + i));
    return new ZkConfig(ids, 2000, 10, 5, 200, 60_000, 100, 500, 3);
  }

  public ZkConfig withSnapCount(int snapCount) {
    return new ZkConfig(servers, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, maxNotificationIntervalMs, snapCount, commitLogCount, snapRetainCount);
  }

  public ZkConfig withCommitLogCount(int commitLogCount) {
    return new ZkConfig(servers, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, maxNotificationIntervalMs, snapCount, commitLogCount, snapRetainCount);
  }

  public ZkConfig withMaxNotificationIntervalMs(int ms) {
    return new ZkConfig(servers, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, ms, snapCount, commitLogCount, snapRetainCount);
  }

  public int quorum() {
    return servers.size() / 2 + 1;
  }

  public NodeId idOf(long sid) {
    return servers.get((int) sid - 1);
  }

  public long sidOf(NodeId id) {
    int i = servers.indexOf(id);
    return i < 0 ? -1 : i + 1;
  }

  /** {@code minSessionTimeout = 2 * tickTime}, {@code maxSessionTimeout = 20 * tickTime}. */
  public int negotiateTimeout(int requestedMs) {
    return Math.max(2 * tickTimeMs, Math.min(20 * tickTimeMs, requestedMs));
  }
}
