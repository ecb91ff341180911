package sim.cassandra.cql;

/** A request error with its native-protocol code: what the server sends back in an ERROR frame. */
public class CqlException extends RuntimeException {
  private final String code;

  public CqlException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static final class Syntax extends CqlException {
    public Syntax(String message) {
      super("SYNTAX_ERROR", message);
    }
  }

  public static final class Invalid extends CqlException {
    public Invalid(String message) {
      super("INVALID", message);
    }
  }

  public static final class AlreadyExists extends CqlException {
    public AlreadyExists(String message) {
      super("ALREADY_EXISTS", message);
    }
  }

  public static final class ConfigError extends CqlException {
    public ConfigError(String message) {
      super("CONFIG_ERROR", message);
    }
  }
}
