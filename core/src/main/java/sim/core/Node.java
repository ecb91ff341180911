package sim.core;

/**
 * A simulated server or client: a state machine driven by the kernel. It receives messages and timers and
 * acts on the world only through the {@link NodeContext} it is handed, which is how the kernel traces and
 * faults every effect.
 *
 * <p>A crash throws the node object away (volatile state, timers, messages in flight to it); a restart
 * builds a new object from the factory given to {@link Simulation#addNode} and calls {@link #start}, which
 * must recover whatever it needs from {@code ctx.disk()}.
 */
public interface Node {
  /** Fresh start or restart after a crash. Recover from {@code ctx.disk()}; set the first timers. */
  void start(NodeContext ctx);

  void onMessage(NodeContext ctx, NodeId from, Message message);

  void onTimer(NodeContext ctx, Timer timer);

  /**
   * A peer with an open connection to this node died (its process crashed or restarted): the operating
   * system answers with a TCP RST, so the real system notices at once instead of after a timeout. Never
   * called for partitions, message loss or pauses: those stay silent, as they are on a real network.
   */
  default void onPeerDisconnected(NodeContext ctx, NodeId peer) {}

  /**
   * An fsync this node waited on failed. The default is what PostgreSQL and ZooKeeper do: fail-stop, since
   * the page cache can no longer be trusted to reach the disk. Override where the real system retries.
   */
  default void onFsyncFailed(NodeContext ctx, FsyncFailed failed) {
    ctx.panic("fsync of " + failed.files() + " failed: " + failed.error());
  }

  /** What {@code state <node>} prints in the stepper: the model's own view of its state. */
  default String describeState() {
    return toString();
  }
}
