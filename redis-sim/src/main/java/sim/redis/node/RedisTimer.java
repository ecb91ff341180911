package sim.redis.node;

import sim.core.Timer;

/** Timers of the Redis model and its workload clients. */
public sealed interface RedisTimer extends Timer {
  /** serverCron, every 1000/hz ms. */
  record Cron() implements RedisTimer {}

  /** The main thread's blocking fsync (appendfsync always) has returned: send the held replies. */
  record FsyncReturned() implements RedisTimer {}

  /** A client's next command is due. */
  record NextCommand() implements RedisTimer {}

  /** A client gave up waiting for the reply to request {@code id} and will resend. */
  record ReplyTimeout(long id) implements RedisTimer {}
}
