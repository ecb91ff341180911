package sim.postgres.scenario;

import sim.core.Message;

/** Client ⇄ server messages: a statement for a session, and what it returned. */
public sealed interface PgMessage extends Message {
  record Query(String session, long id, String sql) implements PgMessage {
    @Override
    public String toString() {
      return "Query[" + session + " #" + id + ": " + Narration.abbreviateSql(sql) + "]";
    }
  }

  /** {@code outcome}: "ok", "count 1", "rows [[1, 10]]" or "error 40001 could not serialize ...". */
  record Reply(String session, long id, String outcome) implements PgMessage {
    public boolean isError() {
      return outcome.startsWith("error");
    }

    @Override
    public String toString() {
      String shown = outcome.length() <= 80 ? outcome : outcome.substring(0, 80) + "…";
      return "Reply[" + session + " #" + id + ": " + shown + "]";
    }
  }
}
