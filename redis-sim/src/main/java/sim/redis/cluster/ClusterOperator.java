package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.redis.node.RedisMessage;

/**
 * An operator at a redis-cli prompt: at a given time it sends one command (CLUSTER FAILOVER to a replica, say) to one
 * node, once, and keeps the reply. It does not retry: a second CLUSTER FAILOVER would start the manual failover over.
 */
public final class ClusterOperator implements Node {
  private record Go() implements Timer {}

  private final String node;
  private final List<String> command;
  private final long atNanos;
  private final List<String> replies = new ArrayList<>();

  public ClusterOperator(String node, List<String> command, long atNanos) {
    this.node = node;
    this.command = List.copyOf(command);
    this.atNanos = atNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    if (ctx.localTimeNanos() < atNanos) ctx.setTimer(new Go(), atNanos - ctx.localTimeNanos());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (!(timer instanceof Go)) return;
    ctx.point("redis.cluster.operator", String.join(" ", command) + " to " + node, "node", node, "command", String.join(" ", command));
    ctx.send(NodeId.of(node), new RedisMessage.Request(1, command));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply r)) return;
    replies.add(r.resp().trim());
    ctx.point("redis.cluster.operator-reply", from.name() + " answered " + r.resp().trim(), "node", from.name(), "reply", r.resp().trim());
  }

  /** The replies received, in order. */
  public List<String> replies() {
    return replies;
  }

  @Override
  public String describeState() {
    return String.join(" ", command) + " to " + node + ": " + (replies.isEmpty() ? "no reply" : String.join(", ", replies));
  }
}
