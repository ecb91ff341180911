package sim.cassandra.cql;

import java.util.List;
import java.util.Map;

/** The parsed forms of the CQL subset: statements, terms, relations, assignments, conditions, selectors. */
public final class Ast {
  private Ast() {}

  // ---- terms ----
  public sealed interface Term {}

  public record Literal(Token.Kind kind, String text) implements Term {}

  public record Null() implements Term {}

  public record ListLiteral(List<Term> elements) implements Term {}

  public record SetLiteral(List<Term> elements) implements Term {}

  public record MapLiteral(List<Term> keys, List<Term> values) implements Term {}

  /** {@code {}}: an empty set or an empty map, decided by the column's type. */
  public record EmptyBraces() implements Term {}

  public record TupleLiteral(List<Term> elements) implements Term {}

  // ---- WHERE ----
  public record Relation(List<String> columns, String op, List<Term> values, boolean token) {
    public boolean multiColumn() {
      return columns.size() > 1 && !token;
    }
  }

  // ---- SET ----
  public sealed interface Assignment {
    String column();
  }

  public record SetValue(String column, Term value) implements Assignment {}

  public record SetElement(String column, Term key, Term value) implements Assignment {}

  public record Add(String column, Term value) implements Assignment {}

  public record Prepend(String column, Term value) implements Assignment {}

  public record Subtract(String column, Term value) implements Assignment {}

  // ---- IF ----
  public record Condition(String column, String op, Term value) {}

  public record Conditions(boolean ifNotExists, boolean ifExists, List<Condition> columns) {
    public static final Conditions NONE = new Conditions(false, false, List.of());

    public boolean any() {
      return ifNotExists || ifExists || !columns.isEmpty();
    }
  }

  public record Using(Term timestamp, Term ttl) {
    public static final Using NONE = new Using(null, null);
  }

  // ---- SELECT list ----
  public sealed interface Selector {}

  public record Star() implements Selector {}

  public record ColumnSel(String column, String alias) implements Selector {}

  public record WriteTimeSel(String column, boolean ttl, String alias) implements Selector {}

  public record TokenSel(List<String> columns, String alias) implements Selector {}

  public record CountSel(String column, String alias) implements Selector {}

  // ---- statements ----
  public sealed interface Statement {}

  public record CreateKeyspace(String name, boolean ifNotExists, Map<String, String> replication) implements Statement {}

  public record ColumnDef(String name, String type, boolean isStatic) {}

  public record CreateTable(String keyspace, String name, boolean ifNotExists, List<ColumnDef> columns, List<String> partitionKey,
      List<String> clustering, Map<String, Boolean> descending, Map<String, String> options) implements Statement {}

  public record Use(String keyspace) implements Statement {}

  public record DropTable(String keyspace, String name, boolean ifExists) implements Statement {}

  public record DropKeyspace(String name, boolean ifExists) implements Statement {}

  public record Truncate(String keyspace, String name) implements Statement {}

  public record Insert(String keyspace, String table, List<String> columns, List<Term> values, boolean ifNotExists, Using using) implements Statement {}

  public record Update(String keyspace, String table, Using using, List<Assignment> assignments, List<Relation> where, Conditions conditions) implements Statement {}

  /** {@code columns} empty deletes rows; an entry with {@code key} deletes one collection element. */
  public record DeleteTarget(String column, Term key) {}

  public record Delete(String keyspace, String table, List<DeleteTarget> targets, Using using, List<Relation> where, Conditions conditions) implements Statement {}

  public record Batch(String type, Using using, List<Statement> statements) implements Statement {}

  public record Select(String keyspace, String table, boolean distinct, List<Selector> selectors, List<Relation> where,
      List<Map.Entry<String, Boolean>> orderBy, Term perPartitionLimit, Term limit, boolean allowFiltering) implements Statement {}
}
