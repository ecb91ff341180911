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

  /** What {@code state <node>} prints in the stepper: the model's own view of its state. */
  default String describeState() {
    return toString();
  }
}
