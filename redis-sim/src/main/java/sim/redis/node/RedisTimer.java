package sim.redis.node;

import sim.core.Timer;

/** Timers of the Redis model and its workload clients. */
public sealed interface RedisTimer extends Timer {
  /** serverCron, every 1000/hz ms. */
  record Cron() implements RedisTimer {}

  /** The main thread's fsync (appendfsync always, SAVE) has returned: run what waited on it, send the held replies. */
  record MainThreadFsyncReturned() implements RedisTimer {}

  /** A bio thread's fsync job (everysec, the close of a rotated incr file, a child's file) has returned. */
  record BioFsyncDone(long job) implements RedisTimer {}

  /** A client's next command is due. */
  record NextCommand() implements RedisTimer {}

  /** A client gave up waiting for the reply to request {@code id} and will resend. */
  record ReplyTimeout(long id) implements RedisTimer {}
}
