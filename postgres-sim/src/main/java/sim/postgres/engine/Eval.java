package sim.postgres.engine;

import java.util.Set;
import sim.postgres.heap.HeapTuple;
import sim.postgres.heap.Table;
import sim.postgres.heap.Tid;
import sim.postgres.sql.Ast.Aggregate;
import sim.postgres.sql.Ast.Binary;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.InList;
import sim.postgres.sql.Ast.IsNull;
import sim.postgres.sql.Ast.Literal;
import sim.postgres.sql.Ast.SqlType;
import sim.postgres.sql.Ast.Unary;
import sim.postgres.sql.SqlException;

/** Expression evaluation with SQL's three-valued logic over one row version. */
final class Eval {
  static final Set<String> SYSTEM_COLUMNS = Set.of("xmin", "xmax", "ctid", "cmin", "cmax");

  /** One row as an expression sees it: the table (null without FROM), its location and its header. */
  record Row(Table table, Tid tid, HeapTuple tuple) {}

  private Eval() {}

  /** Fails with 42703 on the first column the table does not have, before any row is read. */
  static void validate(Expr e, Table table) {
    if (e instanceof ColumnRef c) {
      if (table == null || (table.columnIndex(c.name()) < 0 && !SYSTEM_COLUMNS.contains(c.name()))) {
        throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" does not exist", c.name());
      }
    } else if (e instanceof Unary u) {
      validate(u.operand(), table);
    } else if (e instanceof Binary b) {
      validate(b.left(), table);
      validate(b.right(), table);
    } else if (e instanceof IsNull n) {
      validate(n.operand(), table);
    } else if (e instanceof InList in) {
      validate(in.operand(), table);
      in.values().forEach(v -> validate(v, table));
    } else if (e instanceof Aggregate a && a.argument() != null) {
      validate(a.argument(), table);
    }
  }

  static boolean hasAggregate(Expr e) {
    if (e instanceof Aggregate) return true;
    if (e instanceof Unary u) return hasAggregate(u.operand());
    if (e instanceof Binary b) return hasAggregate(b.left()) || hasAggregate(b.right());
    if (e instanceof IsNull n) return hasAggregate(n.operand());
    if (e instanceof InList in) return hasAggregate(in.operand()) || in.values().stream().anyMatch(Eval::hasAggregate);
    return false;
  }

  static boolean isTrue(Object v) {
    return Boolean.TRUE.equals(v);
  }

  static Object eval(Expr e, Row row) {
    if (e instanceof Literal l) return l.value();
    if (e instanceof ColumnRef c) return column(c.name(), row);
    if (e instanceof Unary u) return unary(u, row);
    if (e instanceof Binary b) return binary(b, row);
    if (e instanceof IsNull n) return (eval(n.operand(), row) == null) != n.negated();
    if (e instanceof InList in) return in(in, row);
    if (e instanceof Aggregate) throw SqlException.of(SqlException.GROUPING_ERROR, "aggregate functions are not allowed here");
    throw SqlException.of(SqlException.SYNTAX_ERROR, "syntax error at or near \"*\"");
  }

  private static Object column(String name, Row row) {
    int i = row.table().columnIndex(name);
    if (i >= 0) return row.tuple().values[i];
    HeapTuple t = row.tuple();
    return switch (name) {
      case "ctid" -> row.tid().toString();
      case "xmin" -> Integer.toUnsignedString(t.xmin);
      case "xmax" -> Integer.toUnsignedString(t.xmax);
      case "cmin", "cmax" -> Integer.toString(t.rawCid());
      default -> throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" does not exist", name);
    };
  }

  private static Object unary(Unary u, Row row) {
    Object v = eval(u.operand(), row);
    if (v == null) return null;
    if (u.op().equals("not")) return !asBool(v);
    long x = asLong(v);
    if (x == Long.MIN_VALUE) throw outOfRange("bigint");
    return -x;
  }

  private static Object in(InList in, Row row) {
    Object v = eval(in.operand(), row);
    if (v == null) return null;
    boolean sawNull = false;
    for (Expr x : in.values()) {
      Object w = eval(x, row);
      if (w == null) sawNull = true;
      else if (compare(v, w) == 0) return !in.negated();
    }
    return sawNull ? null : in.negated();
  }

  private static Object binary(Binary b, Row row) {
    String op = b.op();
    if (op.equals("and")) {
      Object l = eval(b.left(), row);
      if (l != null && !asBool(l)) return false;
      Object r = eval(b.right(), row);
      if (r != null && !asBool(r)) return false;
      return l == null || r == null ? null : true;
    }
    if (op.equals("or")) {
      Object l = eval(b.left(), row);
      if (l != null && asBool(l)) return true;
      Object r = eval(b.right(), row);
      if (r != null && asBool(r)) return true;
      return l == null || r == null ? null : false;
    }
    Object l = eval(b.left(), row);
    Object r = eval(b.right(), row);
    if (op.equals("is")) return l != null && asBool(l) == asBool(r);
    if (l == null || r == null) return null;
    if (op.equals("||")) return text(l) + text(r);
    return switch (op) {
      case "=" -> compare(l, r) == 0;
      case "<>" -> compare(l, r) != 0;
      case "<" -> compare(l, r) < 0;
      case "<=" -> compare(l, r) <= 0;
      case ">" -> compare(l, r) > 0;
      case ">=" -> compare(l, r) >= 0;
      default -> arithmetic(op, asLong(l), asLong(r), isInt4(b.left(), row) && isInt4(b.right(), row));
    };
  }

  /** A value as text: the || operator's output function. */
  private static String text(Object v) {
    if (v instanceof Boolean b) return b ? "true" : "false";
    return v.toString();
  }

  private static Object arithmetic(String op, long l, long r, boolean int4) {
    long v;
    try {
      v = switch (op) {
        case "+" -> Math.addExact(l, r);
        case "-" -> Math.subtractExact(l, r);
        case "*" -> Math.multiplyExact(l, r);
        case "/" -> {
          if (r == 0) throw new SqlException(SqlException.DIVISION_BY_ZERO, "division by zero");
          yield l / r;
        }
        case "%" -> {
          if (r == 0) throw new SqlException(SqlException.DIVISION_BY_ZERO, "division by zero");
          yield l % r;
        }
        default -> throw SqlException.of(SqlException.SYNTAX_ERROR, "syntax error at or near \"%s\"", op);
      };
    } catch (ArithmeticException e) {
      throw outOfRange("bigint");
    }
    if (int4 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) throw outOfRange("integer");
    return v;
  }

  private static SqlException outOfRange(String type) {
    return SqlException.of(SqlException.NUMERIC_OUT_OF_RANGE, "%s out of range", type);
  }

  /** Whether PostgreSQL would type this expression int4 (so arithmetic overflows at 2^31). */
  private static boolean isInt4(Expr e, Row row) {
    if (e instanceof Literal l) return l.value() instanceof Long v && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE;
    if (e instanceof ColumnRef c) {
      Table t = row.table();
      return t != null && t.columnIndex(c.name()) >= 0 && t.columns.get(t.columnIndex(c.name())).type() == SqlType.INT4;
    }
    if (e instanceof Unary u) return isInt4(u.operand(), row);
    if (e instanceof Binary b) return isInt4(b.left(), row) && isInt4(b.right(), row);
    return false;
  }

  static int compare(Object l, Object r) {
    if (l instanceof java.math.BigDecimal || r instanceof java.math.BigDecimal) return numeric(l).compareTo(numeric(r));
    if (l instanceof Long a && r instanceof Long b) return Long.compare(a, b);
    if (l instanceof String a && r instanceof String b) return a.compareTo(b);
    if (l instanceof Boolean a && r instanceof Boolean b) return Boolean.compare(a, b);
    if (l instanceof Long a && r instanceof String s) return Long.compare(a, parseLong(s));
    if (l instanceof String s && r instanceof Long b) return Long.compare(parseLong(s), b);
    if (l instanceof Boolean a && r instanceof String s) return Boolean.compare(a, parseBool(s));
    if (l instanceof String s && r instanceof Boolean b) return Boolean.compare(parseBool(s), b);
    throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "operator does not exist: %s = %s", typeName(l), typeName(r));
  }

  /** A numeric (avg's result, sum of bigint) compared with an integer or another numeric. */
  private static java.math.BigDecimal numeric(Object v) {
    if (v instanceof java.math.BigDecimal d) return d;
    return java.math.BigDecimal.valueOf(asLong(v));
  }

  static String typeName(Object v) {
    return v instanceof Long ? "integer" : v instanceof Boolean ? "boolean" : "text";
  }

  static long asLong(Object v) {
    if (v instanceof Long l) return l;
    if (v instanceof String s) return parseLong(s);
    throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "operator does not exist: %s", typeName(v));
  }

  static boolean asBool(Object v) {
    if (v instanceof Boolean b) return b;
    if (v instanceof String s) return parseBool(s);
    throw SqlException.of(SqlException.DATATYPE_MISMATCH, "argument of WHERE must be type boolean, not type %s", typeName(v));
  }

  static long parseLong(String s) {
    try {
      return Long.parseLong(s.strip());
    } catch (NumberFormatException e) {
      throw SqlException.of(SqlException.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type integer: \"%s\"", s);
    }
  }

  static boolean parseBool(String s) {
    return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "t", "true", "yes", "on", "1" -> true;
      case "f", "false", "no", "off", "0" -> false;
      default -> throw SqlException.of(SqlException.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type boolean: \"%s\"", s);
    };
  }

  /** Converts a value for storage in a column of this type (assignment cast). */
  static Object coerce(Object v, SqlType type, String column) {
    if (v == null) return null;
    return switch (type) {
      case INT4 -> {
        long x = v instanceof String s ? parseLong(s) : asNumber(v, type, column);
        if (x < Integer.MIN_VALUE || x > Integer.MAX_VALUE) throw outOfRange("integer");
        yield v instanceof Long ? v : x;
      }
      case INT8 -> v instanceof Long ? v : v instanceof String s ? parseLong(s) : asNumber(v, type, column);
      case TEXT -> v instanceof String s ? s : String.valueOf(v);
      case BOOL -> {
        if (v instanceof Long) throw mismatch(column, type, v);
        yield asBool(v);
      }
    };
  }

  private static long asNumber(Object v, SqlType type, String column) {
    if (v instanceof Long l) return l;
    throw mismatch(column, type, v);
  }

  private static SqlException mismatch(String column, SqlType type, Object v) {
    return SqlException.of(SqlException.DATATYPE_MISMATCH, "column \"%s\" is of type %s but expression is of type %s",
        column, type.pgName, typeName(v));
  }
}
