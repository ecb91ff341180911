package sim.redis.node;

import java.util.List;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.lin.HistoryRecorder;
import sim.core.lin.Models;

/**
 * A client of a few registers (keys {@code r0..r<n-1>}) for the linearizability check: GET, SET of a value
 * no one wrote before, and SET NX (compare-and-set from "absent"), one at a time, each recorded as invoked and
 * then completed (its reply) or unknown (no reply within the timeout: it may or may not have happened).
 */
public final class RegisterClient implements Node {
  private final NodeId server;
  private final int clientId;
  private final int keys;
  private final long meanIntervalNanos;
  private final HistoryRecorder<Models.KeyOp, Object> history;
  private final long timeoutNanos = 300_000_000L;

  private long nextRequestId;
  private long outstanding = -1;
  private int outstandingOp = -1;
  private Models.KeyOp outstandingInput;
  private int nextValue;

  public RegisterClient(NodeId server, int clientId, int keys, long meanIntervalNanos, HistoryRecorder<Models.KeyOp, Object> history) {
    this.server = server;
    this.clientId = clientId;
    this.keys = keys;
    this.meanIntervalNanos = meanIntervalNanos;
    this.history = history;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new RedisTimer.NextCommand(), meanIntervalNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply reply) || reply.id() != outstanding) return;
    outstanding = -1;
    if (reply.resp().startsWith("-")) history.fail(outstandingOp, ctx.localTimeNanos()); // MISCONF...: not executed
    else history.ok(outstandingOp, decode(outstandingInput.op(), reply.resp()), ctx.localTimeNanos());
    next(ctx);
  }

  private static Object decode(Models.RegisterOp op, String resp) {
    if (op instanceof Models.Read) return resp.startsWith("$-1") ? null : resp.substring(resp.indexOf("\r\n") + 2, resp.length() - 2);
    if (op instanceof Models.Cas) return resp.equals("+OK\r\n");
    return "OK";
  }

  private void next(NodeContext ctx) {
    ctx.setTimer(new RedisTimer.NextCommand(), Math.max(1, ctx.random("registers").exponentialNanos(meanIntervalNanos)));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof RedisTimer.NextCommand) {
      issue(ctx);
    } else if (timer instanceof RedisTimer.ReplyTimeout t && t.id() == outstanding) {
      history.unknown(outstandingOp); // no answer: it may or may not have been applied
      outstanding = -1;
      next(ctx);
    }
  }

  private void issue(NodeContext ctx) {
    String key = "r" + ctx.random("registers").nextInt(keys);
    int pick = ctx.random("registers").nextInt(10);
    String value = "c" + clientId + "-" + nextValue++;
    Models.RegisterOp op;
    List<String> argv;
    if (pick < 5) {
      op = new Models.Read();
      argv = List.of("GET", key);
    } else if (pick < 9) {
      op = new Models.Write(value);
      argv = List.of("SET", key, value);
    } else {
      op = new Models.Cas(null, value);
      argv = List.of("SET", key, value, "NX");
    }
    outstandingInput = new Models.KeyOp(key, op);
    outstandingOp = history.invoke(clientId, outstandingInput, ctx.localTimeNanos());
    outstanding = nextRequestId++;
    ctx.send(server, new RedisMessage.Request(outstanding, argv));
    ctx.setTimer(new RedisTimer.ReplyTimeout(outstanding), timeoutNanos);
  }

  @Override
  public String describeState() {
    return "client " + clientId + (outstanding >= 0 ? " waiting on " + outstandingInput : " idle");
  }
}
