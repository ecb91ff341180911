package sim.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import sim.core.disk.SimDisk;

/** Everything the kernel keeps about one node, across its incarnations: the disk survives, the object does not. */
final class NodeSlot {
  final NodeId id;
  final Supplier<? extends Node> factory;
  final boolean client;
  final SimDisk disk;
  /** Events that arrived while the node could not run them (paused, or blocked in an fsync), in order. */
  final List<KernelEvent> deferred = new ArrayList<>();
  Node node;
  NodeDoor door;
  int incarnation;
  boolean paused;
  boolean blockedInFsync;
  long slowNanos;
  long clockOffsetNanos;
  long clockDriftPpm;

  NodeSlot(NodeId id, Supplier<? extends Node> factory, boolean client, SimDisk disk) {
    this.id = id;
    this.factory = factory;
    this.client = client;
    this.disk = disk;
  }

  boolean isUp() {
    return node != null;
  }

  /** Whether an event for {@code incarnation} still concerns the live node. */
  boolean isCurrent(int eventIncarnation) {
    return node != null && incarnation == eventIncarnation;
  }

  /** Paused, or its only thread is blocked in fsync: its events wait. */
  boolean waiting() {
    return paused || blockedInFsync;
  }

  /** The node's clock: simulated time plus its offset and drift (parts per million of elapsed time). */
  long localTimeNanos(long nowNanos) {
    return nowNanos + clockOffsetNanos + nowNanos / 1_000_000 * clockDriftPpm;
  }
}
