package sim.kafka.raft;

import java.util.List;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Timer;
import sim.core.TimerHandle;
import sim.core.disk.SimDisk;

/**
 * The context the active controller runs in: timers it sets carry the activation they belong to, so one that lost its
 * leadership never hears them.
 */
final class ScopedContext implements NodeContext {
  /** A timer of activation {@code activation} of the controller. */
  record Scoped(long activation, Timer timer) implements Timer {}

  private final NodeContext ctx;
  private final long activation;

  ScopedContext(NodeContext ctx, long activation) {
    this.ctx = ctx;
    this.activation = activation;
  }

  private Timer wrap(Timer t) {
    return t instanceof RaftTimer ? t : new Scoped(activation, t);
  }

  @Override public NodeId self() { return ctx.self(); }
  @Override public long localTimeNanos() { return ctx.localTimeNanos(); }

  @Override public void send(NodeId to, Message m) { ctx.send(to, m); }

  @Override public TimerHandle setTimer(Timer timer, long delayNanos) { return ctx.setTimer(wrap(timer), delayNanos); }
  @Override public void fsyncThen(List<String> files, Timer done) { ctx.fsyncThen(files, wrap(done)); }
  @Override public void fsyncBlocking(List<String> files, Timer done) { ctx.fsyncBlocking(files, wrap(done)); }
  @Override public SimRandom random(String stream) { return ctx.random(stream); }
  @Override public SimDisk disk() { return ctx.disk(); }
  @Override public void point(String name, String detail) { ctx.point(name, detail); }
  @Override public void point(String name, String detail, Object... attributes) { ctx.point(name, detail, attributes); }
  @Override public void panic(String reason) { ctx.panic(reason); }
  @Override public void note(String detail) { ctx.note(detail); }
  @Override public boolean isBroken(String rule) { return ctx.isBroken(rule); }
}
