package sim.kafka.raft;

import java.util.List;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Timer;
import sim.core.TimerHandle;
import sim.core.disk.SimDisk;
import sim.kafka.broker.KafkaMessage.LeaderAndIsr;

/**
 * The context the active controller runs in: timers it sets carry the activation they belong to (one that lost its
 * leadership never hears them), and the metadata version it tells brokers is prefixed with the quorum epoch, so a new
 * leader's LeaderAndIsr always counts as newer than any of an earlier epoch.
 */
final class ScopedContext implements NodeContext {
  /** A timer of activation {@code activation} of the controller. */
  record Scoped(long activation, Timer timer) implements Timer {}

  static final int EPOCH_SHIFT = 40;

  private final NodeContext ctx;
  private final long activation;
  private final int epoch;

  ScopedContext(NodeContext ctx, long activation, int epoch) {
    this.ctx = ctx;
    this.activation = activation;
    this.epoch = epoch;
  }

  static long brokerVersion(int epoch, long version) {
    return ((long) epoch << EPOCH_SHIFT) | version;
  }

  /** A version a broker reports back, in the controller's own numbering (0 when it came from an earlier epoch). */
  static long controllerVersion(int epoch, long brokerVersion) {
    return (brokerVersion >>> EPOCH_SHIFT) == epoch ? brokerVersion & ((1L << EPOCH_SHIFT) - 1) : 0;
  }

  private Timer wrap(Timer t) {
    return t instanceof RaftTimer ? t : new Scoped(activation, t);
  }

  @Override public NodeId self() { return ctx.self(); }
  @Override public long localTimeNanos() { return ctx.localTimeNanos(); }

  @Override
  public void send(NodeId to, Message m) {
    if (m instanceof LeaderAndIsr l) m = new LeaderAndIsr(brokerVersion(epoch, l.metadataVersion()), l.brokerIncarnation(), l.partitions());
    ctx.send(to, m);
  }

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
