package sim.example.register;

import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.example.register.RegisterMessage.Ack;
import sim.example.register.RegisterMessage.Write;
import sim.example.register.RegisterTimer.NextWrite;
import sim.example.register.RegisterTimer.RetryWrite;

/** Writes "v1", "v2", … every 100 ms and retries each until it is acknowledged. Remembers what was acked. */
final class RegisterClient implements Node {
  static final long WRITE_INTERVAL_NANOS = Durations.millis(100);
  static final long RETRY_NANOS = Durations.millis(500);

  private final NodeId primary;
  private final TreeMap<Long, String> unacked = new TreeMap<>();
  final TreeSet<Long> acked = new TreeSet<>();
  long lastAckNanos = -1;
  private long nextId = 1;

  RegisterClient(NodeId primary) {
    this.primary = primary;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new NextWrite(), WRITE_INTERVAL_NANOS);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof Ack a)) return;
    if (unacked.remove(a.id()) == null) return; // a late duplicate ack
    acked.add(a.id());
    lastAckNanos = ctx.localTimeNanos();
    ctx.point("example.client.acked", "write " + a.id());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof NextWrite) {
      long id = nextId++;
      unacked.put(id, "v" + id);
      send(ctx, id);
      ctx.setTimer(new NextWrite(), WRITE_INTERVAL_NANOS);
    } else if (timer instanceof RetryWrite r && unacked.containsKey(r.id())) {
      send(ctx, r.id());
    }
  }

  private void send(NodeContext ctx, long id) {
    ctx.send(primary, new Write(id, unacked.get(id)));
    ctx.setTimer(new RetryWrite(id), RETRY_NANOS);
  }

  @Override
  public String describeState() {
    return acked.size() + " writes acked, " + unacked.size() + " waiting";
  }
}
