package sim.postgres.sql;

import java.util.List;

/** The parsed form of the SQL subset: statements and expressions as records. */
public final class Ast {
  private Ast() {}

  public enum SqlType {
    INT4("integer"), INT8("bigint"), TEXT("text"), BOOL("boolean");

    public final String pgName;

    SqlType(String pgName) {
      this.pgName = pgName;
    }
  }

  public enum IsolationLevel {
    READ_COMMITTED("read committed"), REPEATABLE_READ("repeatable read"), SERIALIZABLE("serializable");

    public final String sql;

    IsolationLevel(String sql) {
      this.sql = sql;
    }

    public boolean usesTransactionSnapshot() {
      return this != READ_COMMITTED;
    }
  }

  /** Row-level lock strength, weakest first (PostgreSQL's LockTupleMode). */
  public enum RowLockMode {
    KEY_SHARE("FOR KEY SHARE"), SHARE("FOR SHARE"), NO_KEY_UPDATE("FOR NO KEY UPDATE"), UPDATE("FOR UPDATE");

    public final String sql;

    RowLockMode(String sql) {
      this.sql = sql;
    }

    /** The conflict table of the PostgreSQL docs, "Conflicting Row-Level Locks". */
    public boolean conflictsWith(RowLockMode other) {
      return ordinal() + other.ordinal() >= 3;
    }
  }

  public sealed interface Stmt permits CreateTable, CreateIndex, DropTable, Insert, Select, Update, Delete,
      Begin, SetTransaction, Commit, Rollback, Vacuum, Checkpoint, CreateExtension, DropIndex, Savepoint,
      ReleaseSavepoint, RollbackTo, SetVariable, Sleep, Analyze, Explain {}

  /** {@code SELECT pg_sleep(seconds)}: a statement that runs that long (with its snapshot held, as any statement). */
  public record Sleep(Expr seconds) implements Stmt {}

  /** {@code SET name TO value} / {@code SET name = value} for a session (only synchronous_commit is known). */
  public record SetVariable(String name, String value) implements Stmt {}

  public record ColumnDef(String name, SqlType type, boolean notNull) {}

  /** {@code fillfactor}: WITH (fillfactor = n), 100 when not given (autovacuum_enabled is accepted and ignored). */
  public record CreateTable(String name, List<ColumnDef> columns, List<String> primaryKey,
      List<List<String>> uniques, int fillfactor) implements Stmt {}

  /** CREATE [UNIQUE] INDEX [name] ON table [USING method] (cols) [WITH (pages_per_range = n)]; method btree or brin. */
  public record CreateIndex(String name, String table, List<String> columns, boolean unique, String method, int pagesPerRange)
      implements Stmt {
    public CreateIndex(String name, String table, List<String> columns, boolean unique) {
      this(name, table, columns, unique, "btree", 0);
    }
  }

  /** get_raw_page('relation', block) as an argument of a pageinspect function: the page it names. */
  public record RawPage(String relation, long block) {}

  public record DropTable(String name, boolean ifExists) implements Stmt {}

  /** INSERT ... VALUES (rows) or INSERT ... SELECT (source). */
  public record Insert(String table, List<String> columns, List<List<Expr>> rows, Select source) implements Stmt {
    public Insert(String table, List<String> columns, List<List<Expr>> rows) {
      this(table, columns, rows, null);
    }
  }

  public record SelectItem(Expr expr, String alias) {}

  public record OrderItem(Expr expr, boolean desc, boolean nullsFirst) {}

  /** A set-returning function in FROM: generate_series, or pageinspect's bt_metap, bt_page_items, bt_page_stats. */
  public record TableFunction(String name, List<Expr> args, String alias) {}

  /** {@code limit}: LIMIT's row count, or null without one. */
  /**
   * A SELECT. {@code joined} are the tables after the first in {@code FROM a, b} or {@code FROM a JOIN b ON c}
   * (inner joins only: an ON condition is ANDed in front of the WHERE, where an inner join's quals end up).
   */
  public record Select(List<SelectItem> items, String table, Expr where, List<OrderItem> orderBy,
      RowLockMode lockMode, TableFunction function, Long limit, List<String> joined, List<Expr> groupBy, Expr having)
      implements Stmt {
    public Select {
      joined = joined == null ? List.of() : List.copyOf(joined);
      groupBy = groupBy == null ? List.of() : List.copyOf(groupBy);
    }

    public Select(List<SelectItem> items, String table, Expr where, List<OrderItem> orderBy, RowLockMode lockMode,
        TableFunction function, Long limit, List<String> joined) {
      this(items, table, where, orderBy, lockMode, function, limit, joined, List.of(), null);
    }

    /** A GROUP BY or HAVING: the rows are groups (or, with HAVING alone, one group or none). */
    public boolean grouped() {
      return !groupBy.isEmpty() || having != null;
    }

    public Select(List<SelectItem> items, String table, Expr where, List<OrderItem> orderBy, RowLockMode lockMode,
        TableFunction function, Long limit) {
      this(items, table, where, orderBy, lockMode, function, limit, List.of());
    }

    public Select(List<SelectItem> items, String table, Expr where, List<OrderItem> orderBy, RowLockMode lockMode) {
      this(items, table, where, orderBy, lockMode, null, null);
    }

    public Select(List<SelectItem> items, String table, Expr where, List<OrderItem> orderBy, RowLockMode lockMode,
        TableFunction function) {
      this(items, table, where, orderBy, lockMode, function, null);
    }
  }

  public record Assignment(String column, Expr value) {}

  public record Update(String table, List<Assignment> sets, Expr where) implements Stmt {}

  public record Delete(String table, Expr where) implements Stmt {}

  /** BEGIN [ISOLATION LEVEL ...] [READ ONLY | READ WRITE]; null fields were not given. */
  public record Begin(IsolationLevel level, Boolean readOnly) implements Stmt {}

  public record SetTransaction(IsolationLevel level, Boolean readOnly) implements Stmt {}

  public record Commit() implements Stmt {}

  public record Rollback() implements Stmt {}

  /** VACUUM [FREEZE] [ANALYZE] [table]: with analyze, ANALYZE follows the vacuum (VACUUM ANALYZE). */
  public record Vacuum(String table, boolean freeze, boolean analyze) implements Stmt {
    public Vacuum(String table, boolean freeze) {
      this(table, freeze, false);
    }
  }

  /** ANALYZE [table]: statistics for the planner (pg_class.reltuples/relpages, pg_statistic). */
  public record Analyze(String table) implements Stmt {}

  /** EXPLAIN [(COSTS OFF)] SELECT ...: the plan the planner chooses, not executed. */
  public record Explain(Select select, boolean costs) implements Stmt {}

  /** SAVEPOINT name: a subtransaction starts. */
  public record Savepoint(String name) implements Stmt {}

  /** RELEASE [SAVEPOINT] name: the subtransactions from name on commit into their parent. */
  public record ReleaseSavepoint(String name) implements Stmt {}

  /** ROLLBACK TO [SAVEPOINT] name: the subtransactions from name on abort; name starts again. */
  public record RollbackTo(String name) implements Stmt {}

  public record Checkpoint() implements Stmt {}

  /** CREATE EXTENSION [IF NOT EXISTS] name: pageinspect's functions are built in, so it only checks the name. */
  public record CreateExtension(String name) implements Stmt {}

  public record DropIndex(String name, boolean ifExists) implements Stmt {}

  public sealed interface Expr permits Literal, ColumnRef, Star, Unary, Binary, IsNull, InList, Aggregate {}

  /** A constant: Long, String, Boolean or null. */
  public record Literal(Object value) implements Expr {}

  /** A column, {@code table} its qualifier ({@code a.x}) or null. */
  public record ColumnRef(String name, String table) implements Expr {
    public ColumnRef(String name) {
      this(name, null);
    }
  }

  /** {@code *} in a select list. */
  public record Star(String table) implements Expr {
    public Star() {
      this(null);
    }
  }

  public record Unary(String op, Expr operand) implements Expr {}

  public record Binary(String op, Expr left, Expr right) implements Expr {}

  public record IsNull(Expr operand, boolean negated) implements Expr {}

  public record InList(Expr operand, List<Expr> values, boolean negated) implements Expr {}

  /** count(*) has a null argument. */
  public record Aggregate(String function, Expr argument) implements Expr {}
}
