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
 * @param observers how many of the last servers are observers
 */
public record ZkConfig(List<NodeId> servers, int tickTimeMs, int initLimit, int syncLimit, int finalizeWaitMs,
    int maxNotificationIntervalMs, int snapCount, int commitLogCount, int snapRetainCount, int observers) {

  public ZkConfig {
    servers = List.copyOf(servers);
    Check.argument(!servers.isEmpty(), "an ensemble needs servers");
  }

  public static ZkConfig of(int n) {
    List<NodeId> ids = new java.util.ArrayList<>();
    for (int i = 1; i <= n; i++) ids.add(NodeId.of("zk" + i));
    return new ZkConfig(ids, 2000, 10, 5, 200, 60_000, 100, 500, 3, 0);
  }

  public ZkConfig withSnapCount(int snapCount) {
    return new ZkConfig(servers, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, maxNotificationIntervalMs, snapCount, commitLogCount, snapRetainCount, observers);
  }

  public ZkConfig withCommitLogCount(int commitLogCount) {
    return new ZkConfig(servers, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, maxNotificationIntervalMs, snapCount, commitLogCount, snapRetainCount, observers);
  }

  public ZkConfig withMaxNotificationIntervalMs(int ms) {
    return new ZkConfig(servers, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, ms, snapCount, commitLogCount, snapRetainCount, observers);
  }

  /**
   * Adds {@code count} observers after the voting servers ({@code peerType=observer}): they learn every
   * commit but neither vote in elections nor count toward any quorum.
   */
  public ZkConfig withObservers(int count) {
    List<NodeId> ids = new java.util.ArrayList<>(servers);
    for (int i = 1; i <= count; i++) ids.add(NodeId.of("zk" + (servers.size() + i)));
    return new ZkConfig(ids, tickTimeMs, initLimit, syncLimit, finalizeWaitMs, maxNotificationIntervalMs, snapCount, commitLogCount, snapRetainCount, observers + count);
  }

  public int voters() {
    return servers.size() - observers;
  }

  /** A majority of the voting servers. */
  public int quorum() {
    return voters() / 2 + 1;
  }

  public boolean isObserver(long sid) {
    return sid > voters();
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
