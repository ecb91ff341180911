package sim.postgres.wal;

import sim.core.disk.SimDisk;

/**
 * How the instance makes a file durable before it speaks: on a node, the kernel's durability door
 * ({@code ctx.fsyncThen}: fsync latency, EIO and crash-loss apply, and {@code done} never runs if the node
 * crashes first); standalone (schedules, benchmarks, unit tests), an fsync on the spot.
 */
public interface FsyncDoor {
  void fsyncThen(String file, Runnable done);

  static FsyncDoor immediate(SimDisk disk) {
    return (file, done) -> {
      disk.fsync(file);
      done.run();
    };
  }
}
