package sim.redis.sentinel;

import java.util.ArrayList;
import java.util.List;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.redis.node.RedisMessage;

/**
 * An application connection as Sentinel-aware clients are written: ask a sentinel
 * {@code SENTINEL get-master-addr-by-name mymaster}, write {@code SET k<i> <i>} there one at a time, and ask
 * again (the next sentinel) after an error (-READONLY, -NOREPLICAS) or a reply that did not come. Records, for
 * every acknowledged write, which server said +OK and when.
 */
public final class SentinelClient implements Node {
  private record Next() implements Timer {}

  private record Timeout(long id) implements Timer {}

  /** One acknowledged write: k{@code index}, acknowledged by {@code server} at simulated {@code atNanos}. */
  public record Ack(int index, String server, long atNanos) {}

  private final List<NodeId> sentinels;
  private final String masterName;
  private final long intervalNanos;
  private final long timeoutNanos = 300_000_000L;
  private NodeId master;
  private int nextSentinel;
  private long nextId;
  private long outstanding = -1;
  private boolean asking;
  private int nextWrite;
  private final List<Ack> acks = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();
  private int refused;
  private final List<String> mastersSeen = new ArrayList<>();

  public SentinelClient(List<NodeId> sentinels, String masterName, long intervalNanos) {
    this.sentinels = List.copyOf(sentinels);
    this.masterName = masterName;
    this.intervalNanos = intervalNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    askSentinel(ctx);
  }

  private void askSentinel(NodeContext ctx) {
    asking = true;
    NodeId s = sentinels.get(nextSentinel++ % sentinels.size());
    send(ctx, s, List.of("SENTINEL", "get-master-addr-by-name", masterName));
  }

  private void send(NodeContext ctx, NodeId to, List<String> argv) {
    outstanding = nextId++;
    ctx.send(to, new RedisMessage.Request(outstanding, argv));
    ctx.setTimer(new Timeout(outstanding), timeoutNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply reply) || reply.id() != outstanding) return;
    outstanding = -1;
    String resp = reply.resp();
    if (asking) {
      asking = false;
      List<String> addr = Resp.array(resp);
      if (addr == null || addr.size() != 2) {
        ctx.setTimer(new Next(), intervalNanos);
        return;
      }
      if (master == null || !master.name().equals(addr.get(0))) mastersSeen.add(addr.get(0));
      master = NodeId.of(addr.get(0));
      ctx.setTimer(new Next(), 1);
      return;
    }
    if (resp.equals("+OK\r\n")) {
      acks.add(new Ack(nextWrite, from.name(), ctx.localTimeNanos()));
      nextWrite++;
      ctx.setTimer(new Next(), Math.max(1, ctx.random("workload").exponentialNanos(intervalNanos)));
      return;
    }
    refused++;
    String why = from.name() + ": " + resp.trim();
    if (refusals.size() < 5 && !refusals.contains(why)) refusals.add(why);
    askSentinel(ctx); // an error: the master may have changed
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Next) {
      if (master == null) {
        askSentinel(ctx);
        return;
      }
      send(ctx, master, List.of("SET", "k" + nextWrite, Integer.toString(nextWrite)));
    } else if (timer instanceof Timeout t && t.id() == outstanding) {
      askSentinel(ctx); // no answer: ask where the master is now, then resend the same write
    }
  }

  public List<Ack> acks() {
    return acks;
  }

  public int refused() {
    return refused;
  }

  public String refusals() {
    return String.join("; ", refusals);
  }

  /** The masters the sentinels named, in order (a new entry each time the answer changed). */
  public List<String> mastersSeen() {
    return mastersSeen;
  }

  @Override
  public String describeState() {
    return "master=" + (master == null ? "?" : master.name()) + " acked=" + acks.size() + " refused=" + refused + " masters seen " + mastersSeen;
  }
}
