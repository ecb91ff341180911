package sim.cassandra.script;

import java.util.List;

/** What one statement came to, as the native protocol says it: done, rows, or an error frame. */
public sealed interface StatementResult {
  record Ok() implements StatementResult {}

  /** Column names and each row's values as CQL literals ({@code null} for a null value). */
  record Rows(List<String> columns, List<List<String>> rows) implements StatementResult {}

  /** The native protocol error code's name ({@code INVALID}, {@code SYNTAX_ERROR}, …) and the server's message. */
  record Error(String code, String message) implements StatementResult {}
}
