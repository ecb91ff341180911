package sim.redis.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * One client connection writing {@code SET k<i> <i>} for i = 0, 1, 2, ... one at a time (like a
 * redis-cli loop). A write is acknowledged when its +OK arrives; an unanswered write is resent after a
 * timeout (SET is idempotent), so the acknowledged writes are always exactly k0..k(acked-1). Extra
 * commands (BGSAVE, BGREWRITEAOF, SAVE) can be slotted in after a given number of writes.
 */
public final class WorkloadClient implements Node {
  private final NodeId server;
  private final long meanIntervalNanos;
  private final TreeMap<Integer, List<String>> extras;
  private final long timeoutNanos = 300_000_000L;

  private long nextRequestId;
  private long outstanding = -1;
  private List<String> outstandingArgv;
  private int nextWrite;
  private int acked;
  private final List<Long> ackTimesNanos = new ArrayList<>();
  private final List<String> extraReplies = new ArrayList<>();
  private int refused;
  private String lastRefusal = "";

  public WorkloadClient(NodeId server, long meanIntervalNanos, Map<Integer, List<String>> extras) {
    this.server = server;
    this.meanIntervalNanos = meanIntervalNanos;
    this.extras = new TreeMap<>(extras);
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new RedisTimer.NextCommand(), meanIntervalNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply reply) || reply.id() != outstanding) return;
    outstanding = -1;
    if (outstandingArgv.get(0).equals("SET")) {
      if (reply.resp().equals("+OK\r\n")) {
        acked++;
        ackTimesNanos.add(ctx.localTimeNanos());
        nextWrite++;
      } else { // an error reply (MISCONF ...): not acknowledged, the same SET goes again
        refused++;
        lastRefusal = reply.resp().trim();
      }
    } else {
      extraReplies.add(outstandingArgv.get(0) + " -> " + reply.resp().trim());
      extras.remove(nextWrite);
    }
    ctx.setTimer(new RedisTimer.NextCommand(), Math.max(1, ctx.random("workload").exponentialNanos(meanIntervalNanos)));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof RedisTimer.NextCommand) {
      List<String> extra = extras.get(nextWrite);
      send(ctx, extra != null ? extra : List.of("SET", "k" + nextWrite, Integer.toString(nextWrite)));
    } else if (timer instanceof RedisTimer.ReplyTimeout t && t.id() == outstanding) {
      send(ctx, outstandingArgv); // no reply: the server may be down; resend the same command
    }
  }

  private void send(NodeContext ctx, List<String> argv) {
    outstanding = nextRequestId++;
    outstandingArgv = argv;
    ctx.send(server, new RedisMessage.Request(outstanding, argv));
    ctx.setTimer(new RedisTimer.ReplyTimeout(outstanding), timeoutNanos);
  }

  /** Writes acknowledged so far: k0..k(acked-1). */
  public int acked() {
    return acked;
  }

  /** Writes issued so far (acknowledged plus the one in flight). */
  public int issued() {
    return nextWrite + (outstanding >= 0 ? 1 : 0);
  }

  /** When write i was acknowledged, on this client's clock. */
  public long ackTimeNanos(int i) {
    return ackTimesNanos.get(i);
  }

  /** Writes the server answered with an error, and the last such error. */
  public String refusals() {
    return refused == 0 ? "" : refused + " writes refused, last: " + lastRefusal;
  }

  public List<String> extraReplies() {
    return extraReplies;
  }

  @Override
  public String describeState() {
    return "acked=" + acked + " issued=" + issued() + " extras=" + extraReplies + (refused > 0 ? " " + refusals() : "");
  }
}
