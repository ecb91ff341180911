package sim.redis.node;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * One application connection writing {@code SET k<i> <i>} one at a time to the master, optionally each followed
 * by {@code WAIT 1 <ms>}, and acting as the operator of a manual failover: when the master has been silent for
 * {@code failoverAfterNanos} it sends {@code REPLICAOF NO ONE} to the replica and writes there from then on
 * (resending the write it had no answer for). Like {@link WorkloadClient} the acknowledged writes are k0.. in
 * order; a write counts as confirmed by WAIT only when WAIT answered at least 1.
 */
public final class FailoverClient implements Node {
  private final NodeId master;
  private final NodeId replica;
  private final long intervalNanos;
  private final long waitMs; // 0: no WAIT
  private final long failoverAfterNanos;
  private final long timeoutNanos = 300_000_000L;

  private NodeId target;
  private boolean failedOver;
  private boolean promoting;
  private long lastReplyNanos;
  private long nextRequestId;
  private long outstanding = -1;
  private List<String> outstandingArgv;
  private int nextWrite;
  private int acked;
  private int ackedBeforeFailover = -1;
  private final BitSet waitConfirmed = new BitSet();
  private final List<String> refusals = new ArrayList<>();

  public FailoverClient(NodeId master, NodeId replica, long intervalNanos, long waitMs, long failoverAfterNanos) {
    this.master = master;
    this.replica = replica;
    this.target = master;
    this.intervalNanos = intervalNanos;
    this.waitMs = waitMs;
    this.failoverAfterNanos = failoverAfterNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    lastReplyNanos = ctx.localTimeNanos();
    ctx.setTimer(new RedisTimer.NextCommand(), intervalNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply reply) || reply.id() != outstanding) return;
    outstanding = -1;
    lastReplyNanos = ctx.localTimeNanos();
    String cmd = outstandingArgv.get(0);
    String resp = reply.resp();
    if (cmd.equals("REPLICAOF")) {
      if (resp.startsWith("+OK")) {
        failedOver = true;
        promoting = false;
        target = replica;
        ackedBeforeFailover = acked;
      }
    } else if (cmd.equals("SET")) {
      if (resp.equals("+OK\r\n")) {
        acked++;
        if (waitMs > 0) {
          send(ctx, List.of("WAIT", "1", Long.toString(waitMs)));
          return;
        }
        nextWrite++;
      } else if (refusals.size() < 5) {
        refusals.add(resp.trim());
      }
    } else if (cmd.equals("WAIT")) {
      if (resp.startsWith(":") && Long.parseLong(resp.substring(1).trim()) >= 1) waitConfirmed.set(nextWrite);
      nextWrite++;
    }
    ctx.setTimer(new RedisTimer.NextCommand(), Math.max(1, ctx.random("workload").exponentialNanos(intervalNanos)));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof RedisTimer.NextCommand) {
      send(ctx, List.of("SET", "k" + nextWrite, Integer.toString(nextWrite)));
    } else if (timer instanceof RedisTimer.ReplyTimeout t && t.id() == outstanding) {
      boolean masterSilent = !failedOver && ctx.localTimeNanos() - lastReplyNanos >= failoverAfterNanos;
      if (masterSilent || promoting) { // the operator's manual failover: promote the replica, then write there
        promoting = true;
        send(ctx, replica, List.of("REPLICAOF", "NO", "ONE"));
      } else if (outstandingArgv.get(0).equals("WAIT")) {
        nextWrite++; // no answer to WAIT: the write is not confirmed; go on with the next one
        send(ctx, List.of("SET", "k" + nextWrite, Integer.toString(nextWrite)));
      } else {
        send(ctx, List.of("SET", "k" + nextWrite, Integer.toString(nextWrite)));
      }
    }
  }

  private void send(NodeContext ctx, List<String> argv) {
    send(ctx, target, argv);
  }

  private void send(NodeContext ctx, NodeId to, List<String> argv) {
    outstanding = nextRequestId++;
    outstandingArgv = argv;
    ctx.send(to, new RedisMessage.Request(outstanding, argv));
    ctx.setTimer(new RedisTimer.ReplyTimeout(outstanding), timeoutNanos);
  }

  /** Writes acknowledged with +OK: k0..k(acked-1). */
  public int acked() {
    return acked;
  }

  /** How many writes were acknowledged when the replica took over (-1: no failover yet). */
  public int ackedBeforeFailover() {
    return ackedBeforeFailover;
  }

  public boolean failedOver() {
    return failedOver;
  }

  /** Whether WAIT 1 answered at least 1 after write i. */
  public boolean waitConfirmed(int i) {
    return waitConfirmed.get(i);
  }

  public int waitConfirmedCount() {
    return waitConfirmed.cardinality();
  }

  public String refusals() {
    return String.join("; ", refusals);
  }

  @Override
  public String describeState() {
    return "target=" + target.name() + " acked=" + acked + " waitConfirmed=" + waitConfirmed.cardinality()
        + (failedOver ? " failed over after " + ackedBeforeFailover + " acks" : "");
  }
}
