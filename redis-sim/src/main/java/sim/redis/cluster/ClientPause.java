package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;
import sim.core.NodeId;
import sim.redis.command.Command;
import sim.redis.command.CommandTable;
import sim.redis.node.RedisMessage;

/**
 * pauseClients(PAUSE_DURING_FAILOVER, end, CLIENT_PAUSE_WRITE) as a master runs it for a manual failover: a client
 * command flagged write or may-replicate that passed the cluster's redirection is postponed (blockPostponeClient),
 * unanswered, until the pause ends; reads are served. The held requests are handed back in arrival order.
 */
final class ClientPause {
  /** A postponed client command. */
  record Held(NodeId from, RedisMessage.Request request) {}

  private long untilMs; // 0: not paused
  private final List<Held> held = new ArrayList<>();

  void pause(long endMs) {
    untilMs = endMs;
  }

  boolean paused() {
    return untilMs != 0;
  }

  /** is_may_replicate_command while paused for writes. */
  boolean holds(List<String> argv) {
    if (untilMs == 0) return false;
    Command c = CommandTable.get().lookup(argv);
    return c != null && (c.write() || c.hasFlag("MAY_REPLICATE"));
  }

  void hold(NodeId from, RedisMessage.Request request) {
    held.add(new Held(from, request));
  }

  /** unpauseClients: the pause is over; the postponed commands, oldest first. */
  List<Held> release() {
    untilMs = 0;
    List<Held> out = List.copyOf(held);
    held.clear();
    return out;
  }

  int size() {
    return held.size();
  }
}
