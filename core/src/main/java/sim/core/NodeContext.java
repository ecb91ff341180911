package sim.core;

import java.util.List;
import sim.core.disk.SimDisk;

/**
 * The one door between a node and the world. Everything a node does to others (messages, timers, disk
 * writes, durability waits, write-path points) goes through here, so the kernel can trace it, fault it and
 * replay it.
 */
public interface NodeContext {
  NodeId self();

  /** This node's clock: simulation time plus this node's skew and drift. Never the global clock. */
  long localTimeNanos();

  default long localTimeMs() {
    return Math.floorDiv(localTimeNanos(), 1_000_000L);
  }

  /** Sends over the simulated network (latency, loss, partitions apply). */
  void send(NodeId to, Message message);

  /** Fires {@code timer} on this node after {@code delayNanos} of simulated time (later if paused). */
  TimerHandle setTimer(Timer timer, long delayNanos);

  /**
   * The durability door: makes {@code files} durable, then delivers {@code done} to this node, after the
   * disk's fsync latency ("persist before you speak"). The node keeps running meanwhile (a WAL writer, a
   * background fsync thread). A crash before it returns loses what the disk's crash mode loses and
   * {@code done} never arrives; an fsync error goes to {@link Node#onFsyncFailed} instead. Traced as
   * {@code fsync.wait} and {@code fsync.done}, both breakpoints in the stepper.
   */
  void fsyncThen(List<String> files, Timer done);

  default void fsyncThen(String file, Timer done) {
    fsyncThen(List.of(file), done);
  }

  /**
   * Like {@link #fsyncThen}, but this node's only thread blocks in the fsync: no message or timer of the node
   * runs until it returns (Redis's main thread in {@code write}+{@code fsync} under {@code appendfsync always}).
   */
  void fsyncBlocking(List<String> files, Timer done);

  /** A named random stream private to this node: {@code random("election")}. */
  SimRandom random(String stream);

  /** This node's disk; survives crashes up to what was fsynced. */
  SimDisk disk();

  /** Marks a write-path point ("kafka.leader.append"): traced, narrated, and a breakpoint for {@code step}. */
  void point(String name, String detail);

  /**
   * A write-path point with structured attributes for the trace file and the lab, given as key, value pairs:
   * {@code point("kafka.leader.append", "t-0 offsets 5..9", "partition", "t-0", "baseOffset", 5, "lastOffset", 9)}.
   * Values are strings, numbers or booleans.
   */
  void point(String name, String detail, Object... attributes);

  /**
   * Fail-stop: the node crashes right after the current event, as real systems do on errors they cannot
   * recover from in place (PostgreSQL PANICs when fsync fails; ZooKeeper exits when its log cannot be written).
   */
  void panic(String reason);

  /** A free-form trace note from the model. */
  void note(String detail);

  /** Whether {@code --break RULE} switched off this real-system rule for the run. */
  boolean isBroken(String rule);
}
