package sim.postgres.engine;

import java.util.List;

/** What a statement returned to its client. */
public sealed interface Result {
  record Rows(List<List<Object>> rows) implements Result {}

  record Count(long count) implements Result {}

  record Ok() implements Result {}

  /** An ERROR or FATAL; {@code detail} is its DETAIL line, or null. */
  record Error(String sqlState, String message, String detail) implements Result {
    public Error(String sqlState, String message) {
      this(sqlState, message, null);
    }
  }
}
