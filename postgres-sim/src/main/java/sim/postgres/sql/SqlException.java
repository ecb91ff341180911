package sim.postgres.sql;

/** An error a statement reports to the client: PostgreSQL's SQLSTATE and the first line of its message. */
public final class SqlException extends RuntimeException {
  public static final String SYNTAX_ERROR = "42601";
  public static final String UNDEFINED_TABLE = "42P01";
  public static final String UNDEFINED_COLUMN = "42703";
  public static final String DUPLICATE_TABLE = "42P07";
  public static final String UNIQUE_VIOLATION = "23505";
  public static final String NOT_NULL_VIOLATION = "23502";
  public static final String SERIALIZATION_FAILURE = "40001";
  public static final String DEADLOCK_DETECTED = "40P01";
  public static final String IN_FAILED_TRANSACTION = "25P02";
  public static final String ACTIVE_SQL_TRANSACTION = "25001";
  public static final String NO_ACTIVE_SQL_TRANSACTION = "25P01";
  public static final String DATATYPE_MISMATCH = "42804";
  public static final String INVALID_TEXT_REPRESENTATION = "22P02";
  public static final String NUMERIC_OUT_OF_RANGE = "22003";
  public static final String DIVISION_BY_ZERO = "22012";
  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  public static final String UNDEFINED_FUNCTION = "42883";
  public static final String GROUPING_ERROR = "42803";

  private final String sqlState;

  public SqlException(String sqlState, String message) {
    super(message);
    this.sqlState = sqlState;
  }

  public static SqlException of(String sqlState, String format, Object... args) {
    return new SqlException(sqlState, String.format(format, args));
  }

  public String sqlState() {
    return sqlState;
  }
}
