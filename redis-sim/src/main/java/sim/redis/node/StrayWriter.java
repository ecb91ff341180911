package sim.redis.node;

import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import java.util.List;

/**
 * A misconfigured application that writes {@code SET stray:<n> <n>} to a server every {@code intervalNanos}
 * (here: to a replica, which must answer -READONLY). Counts what came back.
 */
public final class StrayWriter implements Node {
  private final NodeId server;
  private final long intervalNanos;
  private long next;
  private int accepted;
  private int readonly;

  public StrayWriter(NodeId server, long intervalNanos) {
    this.server = server;
    this.intervalNanos = intervalNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new RedisTimer.NextCommand(), intervalNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply reply)) return;
    if (reply.resp().equals("+OK\r\n")) accepted++;
    else if (reply.resp().startsWith("-READONLY You can't write against a read only replica.")) readonly++;
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    long n = next++;
    ctx.send(server, new RedisMessage.Request(n, List.of("SET", "stray:" + n, Long.toString(n))));
    ctx.setTimer(new RedisTimer.NextCommand(), intervalNanos);
  }

  /** Writes the server executed. */
  public int accepted() {
    return accepted;
  }

  /** Writes refused with -READONLY. */
  public int refusedReadonly() {
    return readonly;
  }

  @Override
  public String describeState() {
    return "sent=" + next + " accepted=" + accepted + " readonly=" + readonly;
  }
}
