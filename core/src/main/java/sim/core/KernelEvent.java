package sim.core;

import java.util.List;

/**
 * What waits in the kernel's event queue. Each event is bound to the incarnation of the node it is for, so
 * what was in flight to a node that crashed meanwhile does nothing.
 */
sealed interface KernelEvent {
  /**
   * A message arrives at {@code to} (if it is still the incarnation it was sent to); {@code words} is how the
   * trace names it ("a->b Ping[n=1]"), built once at the send.
   */
  record Deliver(NodeId from, NodeSlot to, Message message, int toIncarnation, long id, String words) implements KernelEvent {}

  /** A timer of {@code node} fires, unless it was cancelled. */
  record Fire(NodeSlot node, Timer timer, TimerHandle handle, int incarnation) implements KernelEvent {}

  /** An fsync the node asked for returns; {@code blocking} when its only thread waited in it. */
  record FsyncDone(NodeId node, List<String> files, Timer done, int incarnation, boolean blocking) implements KernelEvent {}

  /** The RST a peer's operating system sends when the process at {@code from} dies. */
  record Reset(NodeId from, NodeId to, int toIncarnation) implements KernelEvent {}

  /** Something a workload, a fault plan or the kernel itself scheduled; traced as {@code label}. */
  record Action(String node, String label, Runnable run) implements KernelEvent {}
}
