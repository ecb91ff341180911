package sim.core;

import java.util.List;
import sim.core.disk.SimDisk;

/**
 * The door a node acts through. Bound to one incarnation: once the node crashed, what its leftovers try
 * (a send from a callback, a timer) does nothing.
 */
final class NodeDoor implements NodeContext {
  private final Simulation sim;
  private final NodeSlot slot;
  private final int incarnation;

  NodeDoor(Simulation sim, NodeSlot slot, int incarnation) {
    this.sim = sim;
    this.slot = slot;
    this.incarnation = incarnation;
  }

  private boolean stale() {
    return !slot.isCurrent(incarnation);
  }

  @Override
  public NodeId self() {
    return slot.id;
  }

  @Override
  public long localTimeNanos() {
    return slot.localTimeNanos(sim.nowNanos());
  }

  @Override
  public void send(NodeId to, Message message) {
    if (stale()) return;
    sim.sendFrom(slot.id, to, message);
  }

  @Override
  public TimerHandle setTimer(Timer timer, long delayNanos) {
    Check.argument(delayNanos >= 0, "timer %s with negative delay", timer);
    TimerHandle handle = new TimerHandle();
    if (stale()) {
      handle.cancel();
      return handle;
    }
    sim.enqueue(sim.nowNanos() + delayNanos + slot.slowNanos, new KernelEvent.Fire(slot, timer, handle, incarnation));
    return handle;
  }

  @Override
  public void fsyncThen(List<String> files, Timer done) {
    durable(files, done, false);
  }

  @Override
  public void fsyncBlocking(List<String> files, Timer done) {
    durable(files, done, true);
  }

  /** Hands the files to the kernel: they become durable after the disk's fsync latency, then {@code done}. */
  private void durable(List<String> files, Timer done, boolean blocking) {
    if (stale()) return;
    Check.argument(!files.isEmpty(), "fsync of no files");
    Check.state(!blocking || !slot.blockedInFsync, "%s is already blocked in an fsync", slot.id);
    long latency = slot.disk.fsyncLatencyNanos();
    sim.trace().recordPoint(slot.id.name(), "fsync.wait", String.join(", ", files) + (blocking ? ", thread blocked" : "")
        + (latency == 0 ? "" : ", " + Durations.format(latency)), List.of("files", List.copyOf(files), "blocking", blocking, "latency_ns", latency));
    if (blocking) slot.blockedInFsync = true;
    sim.enqueue(sim.nowNanos() + latency, new KernelEvent.FsyncDone(slot.id, List.copyOf(files), done, incarnation, blocking));
  }

  @Override
  public SimRandom random(String stream) {
    return sim.random("node." + slot.id.name() + "." + stream);
  }

  @Override
  public SimDisk disk() {
    return slot.disk;
  }

  @Override
  public void point(String name, String detail) {
    sim.trace().record(slot.id.name(), name, detail);
  }

  @Override
  public void point(String name, String detail, Object... attributes) {
    Check.argument(attributes.length % 2 == 0, "point %s: attributes come in key, value pairs", name);
    sim.trace().recordPoint(slot.id.name(), name, detail, List.of(attributes));
  }

  @Override
  public void panic(String reason) {
    if (stale()) return;
    sim.trace().recordPoint(slot.id.name(), "panic", reason, List.of("incarnation", incarnation));
    sim.enqueue(sim.nowNanos(), new KernelEvent.Action(slot.id.name(), "panic " + slot.id, () -> {
      if (slot.incarnation == incarnation) sim.crash(slot.id);
    }));
  }

  @Override
  public void note(String detail) {
    sim.trace().record(slot.id.name(), "note", detail);
  }

  @Override
  public boolean isBroken(String rule) {
    return sim.isBroken(rule);
  }
}
