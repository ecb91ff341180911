package sim.core;

import sim.core.disk.SimDisk;

/**
 * The one door between a node and the world. Everything a node does to others (messages, timers, disk
 * writes, write-path points) goes through here, so the kernel can trace it, fault it and replay it.
 */
public interface NodeContext {
  NodeId self();

  /** This node's clock: simulation time plus this node's skew and drift. Never the global clock. */
  long localTimeNanos();

  default long localTimeMillis() {
    return Math.floorDiv(localTimeNanos(), 1_000_000L);
  }

  /** Sends over the simulated network (latency, loss, partitions apply). */
  void send(NodeId to, Message message);

  /** Fires {@code timer} on this node after {@code delayNanos} of simulated time (later if paused). */
  TimerHandle setTimer(Timer timer, long delayNanos);

  /**
   * fsyncs {@code file} and then delivers {@code done} to this node, after the disk's fsync latency. Use it
   * where an acknowledgement must wait for durability ("persist before you speak").
   */
  void fsyncThen(String file, Timer done);

  /** A named random stream private to this node: {@code random("election")}. */
  SimRandom random(String stream);

  /** This node's disk; survives crashes up to what was fsynced. */
  SimDisk disk();

  /** Marks a write-path point ("kafka.leader.append"): traced, narrated, and a breakpoint for {@code step}. */
  void point(String name, String detail);

  /**
   * Fail-stop: the node crashes right after the current event, as real systems do on errors they cannot
   * recover from in place (PostgreSQL PANICs when fsync fails; ZooKeeper exits when its log cannot be written).
   */
  void panic(String reason);

  /** A free-form trace note from the model. */
  void note(String detail);
}
