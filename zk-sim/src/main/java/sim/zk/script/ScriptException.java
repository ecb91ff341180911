package sim.zk.script;

/** A malformed script: names the line and what is wrong with it. */
public final class ScriptException extends RuntimeException {
  private final int line;

  public ScriptException(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
