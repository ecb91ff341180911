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
import sim.example.register.RegisterMessage.Read;
import sim.example.register.RegisterMessage.ReadReply;
import sim.example.register.RegisterMessage.Write;
import sim.example.register.RegisterTimer.NextRead;
import sim.example.register.RegisterTimer.NextWrite;
import sim.example.register.RegisterTimer.RetryWrite;

/**
 * Writes "v1", "v2", … every 100 ms (at most {@link #MAX_IN_FLIGHT} unacknowledged at once) and retries each
 * until it is acknowledged; reads the register every 250 ms. Remembers what was acked, and writes every operation into the {@link ClientHistory}.
 */
final class RegisterClient implements Node {
  static final long WRITE_INTERVAL_NANOS = Durations.millis(100);
  static final long READ_INTERVAL_NANOS = Durations.millis(250);
  static final long RETRY_NANOS = Durations.millis(500);
  /** At most this many writes unacknowledged at once (a bounded queue): the next write waits for room. */
  static final int MAX_IN_FLIGHT = 4;

  private final NodeId primary;
  private final ClientHistory history;
  private final TreeMap<Long, String> unacked = new TreeMap<>();
  final TreeSet<Long> acked = new TreeSet<>();
  long lastAckNanos = -1;
  private long nextId = 1;
  private long nextReadId = 1;

  RegisterClient(NodeId primary, ClientHistory history) {
    this.primary = primary;
    this.history = history;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new NextWrite(), WRITE_INTERVAL_NANOS);
    ctx.setTimer(new NextRead(), READ_INTERVAL_NANOS);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof ReadReply r) {
      history.readReturned(r.id(), r.value());
      return;
    }
    if (!(message instanceof Ack a)) return;
    if (unacked.remove(a.id()) == null) return; // a late duplicate ack
    acked.add(a.id());
    history.writeAcked(a.id());
    lastAckNanos = ctx.localTimeNanos();
    ctx.point("example.client.acked", "write " + a.id(), "id", a.id());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof NextWrite) {
      ctx.setTimer(new NextWrite(), WRITE_INTERVAL_NANOS);
      if (unacked.size() >= MAX_IN_FLIGHT) return; // the window is full: this tick writes nothing
      long id = nextId++;
      unacked.put(id, "v" + id);
      ctx.point("example.client.write", "write " + id + " = v" + id, "id", id);
      send(ctx, id);
    } else if (timer instanceof NextRead) {
      long id = nextReadId++;
      history.readSent(id);
      ctx.send(primary, new Read(id));
      ctx.setTimer(new NextRead(), READ_INTERVAL_NANOS);
    } else if (timer instanceof RetryWrite r && unacked.containsKey(r.id())) {
      send(ctx, r.id());
    }
  }

  private void send(NodeContext ctx, long id) {
    history.writeSent(id, unacked.get(id));
    ctx.send(primary, new Write(id, unacked.get(id)));
    ctx.setTimer(new RetryWrite(id), RETRY_NANOS);
  }

  @Override
  public String describeState() {
    return acked.size() + " writes acked, " + unacked.size() + " waiting";
  }
}
