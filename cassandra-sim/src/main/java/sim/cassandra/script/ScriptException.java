package sim.cassandra.script;

/** A line of a script that cannot be run at all: {@code line N: …}. */
public final class ScriptException extends RuntimeException {
  private final int lineNo;

  public ScriptException(int lineNo, String message) {
    super("line " + lineNo + ": " + message);
    this.lineNo = lineNo;
  }

  public int lineNo() {
    return lineNo;
  }
}
