package sim.cassandra.script;

/** One line of a CQL script that does something: a statement, or a {@code CONSISTENCY} / {@code SERIAL CONSISTENCY} directive. */
public record ScriptLine(int lineNo, Kind kind, String text, ConsistencyLevel level) {
  public enum Kind { STATEMENT, CONSISTENCY, SERIAL_CONSISTENCY }
}
