package sim.postgres.scenario;

import sim.core.Timer;

/** Timers of the server and its clients. */
sealed interface PgTimer extends Timer {
  /** Work the engine deferred (a woken waiter, a deadlock check); run by sequence number. */
  record Deferred(long seq, String label) implements PgTimer {}

  /** The durability door returned: {@code file} is durable; run the work waiting for it. */
  record Fsynced(long seq, String file) implements PgTimer {}

  /** wal_writer_delay elapsed: flush WAL (matters with synchronous_commit=off). */
  record WalWriterRound() implements PgTimer {}

  /** checkpoint_timeout elapsed. */
  record CheckpointRound() implements PgTimer {}

  /** autovacuum_naptime elapsed: vacuum tables past their dead-tuple threshold. */
  record AutovacuumRound() implements PgTimer {}

  /** A client's next statement is due. */
  record NextStatement() implements PgTimer {}
}
