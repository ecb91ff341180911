package sim.postgres.engine;

import java.util.List;

/** What a statement returned to its client. */
public sealed interface Result {
  record Rows(List<List<Object>> rows) implements Result {}

  record Count(long count) implements Result {}

  record Ok() implements Result {}

  record Error(String sqlState, String message) implements Result {}
}
