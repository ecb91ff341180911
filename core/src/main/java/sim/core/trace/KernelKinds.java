package sim.core.trace;

import java.util.Set;

/**
 * The event kinds the kernel itself records. Every other kind in a trace is a model's write-path point
 * ({@code ctx.point("kafka.leader.append", …)}): breakpoints, filters and the diagram's marks tell them apart
 * by this list.
 */
public final class KernelKinds {
  private KernelKinds() {}

  public static final Set<String> ALL = Set.of("start", "restart", "crash", "pause", "resume", "slow",
      "clock.skew", "send", "deliver", "drop", "timer", "action", "fsync.wait", "fsync.done", "fsync.failed",
      "conn.reset", "panic", "note", "fault", "partition", "heal", "swarm", "phase", "check", "invariant.violated",
      "lesson.departed", "break", "disk.create", "disk.write", "disk.fsync", "disk.truncate", "disk.rename",
      "disk.delete", "disk.crash", "disk.corrupt", "disk.corrupt-read");

  /** Whether {@code kind} is a model's write-path point rather than one of the kernel's kinds. */
  public static boolean isPoint(String kind) {
    return !ALL.contains(kind);
  }
}
