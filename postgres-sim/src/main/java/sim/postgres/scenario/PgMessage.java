package sim.postgres.scenario;

import sim.core.Message;

/** Client ⇄ server messages: a statement for a session, and what it returned. */
public sealed interface PgMessage extends Message {
  record Query(String session, long id, String sql) implements PgMessage {}

  /** {@code outcome}: "ok", "count 1", "rows [[1, 10]]" or "error 40001 could not serialize ...". */
  record Reply(String session, long id, String outcome) implements PgMessage {
    public boolean isError() {
      return outcome.startsWith("error");
    }
  }
}
