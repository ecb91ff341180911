package sim.example.register;

import sim.core.Message;

/** What the client, the primary and the backup say to each other. */
sealed interface RegisterMessage extends Message {
  /** Client → primary: set the register to {@code value}; {@code id} makes retries idempotent. */
  record Write(long id, String value) implements RegisterMessage {}

  /** Primary → backup: copy this write. */
  record Replicate(long id, String value) implements RegisterMessage {}

  /** Backup → primary: the copy is on my disk. */
  record ReplicateAck(long id) implements RegisterMessage {}

  /** Primary → client: the write is done (what "done" means depends on the mode). */
  record Ack(long id) implements RegisterMessage {}

  /** Client → primary: what is the register's value? */
  record Read(long id) implements RegisterMessage {}

  /** Primary → client: the value of the last acknowledged write (null before any). */
  record ReadReply(long id, String value) implements RegisterMessage {}
}
