package sim.example.register;

import sim.core.Timer;

sealed interface RegisterTimer extends Timer {
  /** The client's next write is due. */
  record NextWrite() implements RegisterTimer {}

  /** The client's next read is due. */
  record NextRead() implements RegisterTimer {}

  /** The client gives up waiting for an ack and sends the write again. */
  record RetryWrite(long id) implements RegisterTimer {}

  /** The primary's fsync of a write finished: now it may replicate (and, without waiting for the backup, ack). */
  record Flushed(long id, String value) implements RegisterTimer {}

  /** The backup's fsync finished: now it may acknowledge. */
  record BackupFlushed(long id) implements RegisterTimer {}
}
