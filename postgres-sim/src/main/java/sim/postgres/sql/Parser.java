package sim.postgres.sql;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.sql.Ast.*;

/**
 * A recursive-descent parser for the SQL subset. Errors name the token PostgreSQL's grammar would stop at:
 * {@code syntax error at or near "selec"} or {@code syntax error at end of input}, SQLSTATE 42601.
 */
public final class Parser {
  private final List<Token> tokens;
  private int pos;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  public static Stmt parse(String sql) {
    Parser p = new Parser(Lexer.lex(sql));
    Stmt s = p.statement();
    p.accept(";");
    if (p.peek().kind() != Token.Kind.END) throw p.error();
    return s;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private boolean accept(String kw) {
    if (peek().is(kw)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(String kw) {
    if (!accept(kw)) throw error();
  }

  SqlException error() {
    Token t = peek();
    if (t.kind() == Token.Kind.END) return new SqlException(SqlException.SYNTAX_ERROR, "syntax error at end of input");
    return new SqlException(SqlException.SYNTAX_ERROR, "syntax error at or near \"" + t.text() + "\"");
  }

  private String identifier() {
    Token t = peek();
    // unreserved keywords PostgreSQL also accepts as names
    if (t.kind() == Token.Kind.IDENT || (t.kind() == Token.Kind.KEYWORD && isUnreserved(t.value()))) {
      pos++;
      return t.value();
    }
    throw error();
  }

  private static boolean isUnreserved(String kw) {
    return switch (kw) {
      case "key", "share", "level", "read", "committed", "write", "first", "last", "no", "isolation",
          "work", "transaction", "nulls", "index", "insert", "update", "delete", "vacuum", "begin",
          "commit", "start", "rollback", "abort", "uncommitted", "repeatable", "serializable", "values",
          "if", "exists", "by", "set", "checkpoint", "savepoint", "release" -> true;
      default -> false;
    };
  }

  private Stmt statement() {
    Token t = peek();
    if (t.kind() == Token.Kind.IDENT && (t.value().equals("analyze") || t.value().equals("analyse"))) {
      pos++;
      return new Analyze(peek().kind() == Token.Kind.IDENT ? identifier() : null);
    }
    if (t.kind() == Token.Kind.IDENT && t.value().equals("explain")) {
      pos++;
      return explain();
    }
    if (t.kind() != Token.Kind.KEYWORD) throw error();
    pos++;
    return switch (t.value()) {
      case "select" -> sleepOrSelect();
      case "insert" -> insert();
      case "update" -> update();
      case "delete" -> delete();
      case "create" -> create();
      case "drop" -> drop();
      case "begin" -> begin(true);
      case "start" -> {
        expect("transaction");
        yield begin(false);
      }
      case "set" -> {
        if (!peek().is("transaction")) yield setVariable();
        expect("transaction");
        Begin mode = begin(false);
        if (mode.level() == null && mode.readOnly() == null) throw error();
        yield new SetTransaction(mode.level(), mode.readOnly());
      }
      case "commit", "end" -> {
        if (!accept("transaction")) accept("work");
        yield new Commit();
      }
      case "rollback", "abort" -> {
        if (!accept("transaction")) accept("work");
        if (t.value().equals("rollback") && peek().kind() == Token.Kind.IDENT && peek().value().equals("to")) {
          pos++;
          accept("savepoint");
          yield new RollbackTo(identifier());
        }
        yield new Rollback();
      }
      case "savepoint" -> new Savepoint(identifier());
      case "release" -> {
        accept("savepoint");
        yield new ReleaseSavepoint(identifier());
      }
      case "vacuum" -> {
        boolean freeze = accept("freeze");
        boolean analyze = peek().kind() == Token.Kind.IDENT && (peek().value().equals("analyze") || peek().value().equals("analyse"));
        if (analyze) pos++;
        String table = peek().kind() == Token.Kind.IDENT ? identifier() : null;
        yield new Vacuum(table, freeze, analyze);
      }
      case "checkpoint" -> new Checkpoint();
      default -> {
        pos--;
        throw error();
      }
    };
  }

  /** EXPLAIN [( option [, ...] )] SELECT: the one option modelled is COSTS [on | off | true | false]. */
  private Explain explain() {
    boolean costs = true;
    if (accept("(")) {
      do {
        Token opt = next();
        if (!"costs".equals(opt.value())) {
          throw SqlException.of(SqlException.SYNTAX_ERROR, "unrecognized EXPLAIN option \"%s\"", opt.text());
        }
        Token v = peek();
        if (v.is(")") || v.is(",")) continue;
        pos++;
        String val = v.value() == null ? v.text() : v.value();
        if (val.equals("off") || val.equals("false")) costs = false;
        else if (!val.equals("on") && !val.equals("true")) throw error();
      } while (accept(","));
      expect(")");
    }
    expect("select");
    return new Explain(select(), costs);
  }

  private Begin begin(boolean optionalWord) {
    if (optionalWord && !accept("transaction")) accept("work");
    return transactionMode();
  }

  /** [ISOLATION LEVEL ...] [READ ONLY | READ WRITE], comma-separated, in any order. */
  private Begin transactionMode() {
    IsolationLevel level = null;
    Boolean readOnly = null;
    while (true) {
      if (accept("isolation")) {
        expect("level");
        if (accept("serializable")) level = IsolationLevel.SERIALIZABLE;
        else if (accept("repeatable")) {
          expect("read");
          level = IsolationLevel.REPEATABLE_READ;
        } else if (accept("read")) {
          if (accept("committed") || accept("uncommitted")) level = IsolationLevel.READ_COMMITTED;
          else throw error();
        } else throw error();
      } else if (accept("read")) {
        if (accept("write")) readOnly = false;
        else if (accept("only")) readOnly = true;
        else throw error();
      } else {
        return new Begin(level, readOnly);
      }
      accept(",");
    }
  }

  private Stmt create() {
    if (accept("table")) return createTable();
    if (peek().kind() == Token.Kind.IDENT && peek().value().equals("extension")) {
      pos++;
      if (accept("if")) {
        expect("not");
        expect("exists");
      }
      return new CreateExtension(identifier());
    }
    boolean unique = accept("unique");
    expect("index");
    String name = peek().is("on") ? null : identifier();
    expect("on");
    String table = identifier();
    return new CreateIndex(name, table, columnList(), unique);
  }

  private List<String> columnList() {
    expect("(");
    List<String> cols = new ArrayList<>();
    do cols.add(identifier()); while (accept(","));
    expect(")");
    return cols;
  }

  private CreateTable createTable() {
    String name = identifier();
    expect("(");
    List<ColumnDef> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    List<List<String>> uniques = new ArrayList<>();
    do {
      if (accept("primary")) {
        expect("key");
        if (!pk.isEmpty()) throw SqlException.of("42P16", "multiple primary keys for table \"%s\" are not allowed", name);
        pk.addAll(columnList());
        continue;
      }
      if (accept("unique")) {
        uniques.add(columnList());
        continue;
      }
      String col = identifier();
      SqlType type = type();
      boolean notNull = false;
      while (true) {
        if (accept("primary")) {
          expect("key");
          if (!pk.isEmpty()) throw SqlException.of("42P16", "multiple primary keys for table \"%s\" are not allowed", name);
          pk.add(col);
        } else if (accept("not")) {
          expect("null");
          notNull = true;
        } else if (accept("null")) {
          notNull = false;
        } else if (accept("unique")) {
          uniques.add(List.of(col));
        } else {
          break;
        }
      }
      cols.add(new ColumnDef(col, type, notNull));
    } while (accept(","));
    expect(")");
    int fillfactor = 100;
    if (accept("with")) {
      expect("(");
      do {
        String option = identifier();
        expect("=");
        Token v = next();
        switch (option) {
          case "fillfactor" -> {
            fillfactor = Integer.parseInt(v.value());
            if (fillfactor < 10 || fillfactor > 100) {
              throw SqlException.of("22023", "value %s out of bounds for option \"fillfactor\"", v.value());
            }
          }
          case "autovacuum_enabled" -> { }
          default -> throw SqlException.of("22023", "unrecognized parameter \"%s\"", option);
        }
      } while (accept(","));
      expect(")");
    }
    return new CreateTable(name, cols, pk, uniques, fillfactor);
  }

  private SqlType type() {
    Token t = peek();
    if (t.kind() != Token.Kind.IDENT) throw error();
    pos++;
    return switch (t.value()) {
      case "int", "integer", "int4", "serial" -> SqlType.INT4;
      case "bigint", "int8", "bigserial" -> SqlType.INT8;
      case "text", "varchar" -> SqlType.TEXT;
      case "boolean", "bool" -> SqlType.BOOL;
      default -> throw SqlException.of("42704", "type \"%s\" does not exist", t.value());
    };
  }

  private Stmt drop() {
    boolean index = accept("index");
    if (!index) expect("table");
    boolean ifExists = false;
    if (accept("if")) {
      expect("exists");
      ifExists = true;
    }
    String name = identifier();
    return index ? new DropIndex(name, ifExists) : new DropTable(name, ifExists);
  }

  private Insert insert() {
    expect("into");
    String table = identifier();
    List<String> cols = peek().is("(") ? columnList() : null;
    if (accept("select")) return new Insert(table, cols, List.of(), select());
    expect("values");
    List<List<Expr>> rows = new ArrayList<>();
    do {
      expect("(");
      List<Expr> row = new ArrayList<>();
      do row.add(expr()); while (accept(","));
      expect(")");
      rows.add(row);
    } while (accept(","));
    return new Insert(table, cols, rows);
  }

  /** {@code SELECT pg_sleep(x)} is the one function call a SELECT without FROM makes here: a long-running statement. */
  private Stmt sleepOrSelect() {
    if (peek().kind() != Token.Kind.IDENT || !peek().value().equals("pg_sleep") || !tokens.get(pos + 1).is("(")) return select();
    pos += 2;
    Expr seconds = expr();
    expect(")");
    return new Sleep(seconds);
  }

  private Select select() {
    List<SelectItem> items = new ArrayList<>();
    do {
      if (accept("*")) {
        items.add(new SelectItem(new Star(), null));
        continue;
      }
      Expr e = expr();
      String alias = null;
      if (accept("as")) alias = identifier();
      else if (peek().kind() == Token.Kind.IDENT) alias = identifier();
      items.add(new SelectItem(e, alias));
    } while (accept(","));
    String table = null;
    TableFunction function = null;
    if (accept("from")) {
      table = identifier();
      if (accept("(")) {
        List<Expr> args = new ArrayList<>();
        if (!accept(")")) {
          do args.add(expr()); while (accept(","));
          expect(")");
        }
        String alias = null;
        if (accept("as")) alias = identifier();
        else if (peek().kind() == Token.Kind.IDENT) alias = identifier();
        function = new TableFunction(table, args, alias);
        table = null;
      }
    }
    Expr where = accept("where") ? expr() : null;
    List<OrderItem> order = new ArrayList<>();
    if (accept("order")) {
      expect("by");
      do {
        Expr e = expr();
        boolean desc = accept("desc");
        if (!desc) accept("asc");
        boolean nullsFirst = desc;
        if (accept("nulls")) {
          if (accept("first")) nullsFirst = true;
          else if (accept("last")) nullsFirst = false;
          else throw error();
        }
        order.add(new OrderItem(e, desc, nullsFirst));
      } while (accept(","));
    }
    RowLockMode lock = null;
    if (accept("for")) {
      if (accept("update")) lock = RowLockMode.UPDATE;
      else if (accept("share")) lock = RowLockMode.SHARE;
      else if (accept("no")) {
        expect("key");
        expect("update");
        lock = RowLockMode.NO_KEY_UPDATE;
      } else if (accept("key")) {
        expect("share");
        lock = RowLockMode.KEY_SHARE;
      } else throw error();
    }
    return new Select(items, table, where, order, lock, function);
  }

  /** SET [SESSION] name {TO | =} value: the value a word, a quoted string or a number. */
  private SetVariable setVariable() {
    if (peek().kind() == Token.Kind.IDENT && peek().value().equals("session")) next();
    String name = identifier();
    if (!accept("=") && !(peek().kind() == Token.Kind.IDENT && peek().value().equals("to") && next() != null)) throw error();
    Token v = next();
    if (v.kind() == Token.Kind.END) throw error();
    return new SetVariable(name, v.value() == null ? v.text() : v.value());
  }

  private Update update() {
    String table = identifier();
    expect("set");
    List<Assignment> sets = new ArrayList<>();
    do {
      String col = identifier();
      expect("=");
      sets.add(new Assignment(col, expr()));
    } while (accept(","));
    Expr where = accept("where") ? expr() : null;
    return new Update(table, sets, where);
  }

  private Delete delete() {
    expect("from");
    String table = identifier();
    return new Delete(table, accept("where") ? expr() : null);
  }

  // expressions, loosest first: OR, AND, NOT, comparison, IS/IN/BETWEEN, + -, * / %, unary, primary

  Expr expr() {
    Expr e = and();
    while (accept("or")) e = new Binary("or", e, and());
    return e;
  }

  private Expr and() {
    Expr e = not();
    while (accept("and")) e = new Binary("and", e, not());
    return e;
  }

  private Expr not() {
    if (accept("not")) return new Unary("not", not());
    return comparison();
  }

  private Expr comparison() {
    Expr e = predicate();
    Token t = peek();
    if (t.kind() == Token.Kind.SYMBOL && List.of("=", "<>", "<", "<=", ">", ">=").contains(t.value())) {
      pos++;
      return new Binary(t.value(), e, predicate());
    }
    return e;
  }

  private Expr predicate() {
    Expr e = additive();
    while (true) {
      if (accept("is")) {
        boolean neg = accept("not");
        if (accept("null")) e = new IsNull(e, neg);
        else if (accept("true")) e = boolTest(e, true, neg);
        else if (accept("false")) e = boolTest(e, false, neg);
        else throw error();
        continue;
      }
      int save = pos;
      boolean neg = accept("not");
      if (accept("in")) {
        expect("(");
        List<Expr> vals = new ArrayList<>();
        do vals.add(expr()); while (accept(","));
        expect(")");
        e = new InList(e, vals, neg);
      } else if (accept("between")) {
        Expr lo = additive();
        expect("and");
        Expr hi = additive();
        Expr range = new Binary("and", new Binary(">=", e, lo), new Binary("<=", e, hi));
        e = neg ? new Unary("not", range) : range;
      } else {
        pos = save;
        return e;
      }
    }
  }

  private static Expr boolTest(Expr e, boolean value, boolean negated) {
    // x IS TRUE: true only for true, never null
    Expr test = new Binary("is", e, new Literal(value));
    return negated ? new Unary("not", test) : test;
  }

  private Expr additive() {
    Expr e = multiplicative();
    while (peek().is("+") || peek().is("-") || peek().is("||")) e = new Binary(next().value(), e, multiplicative());
    return e;
  }

  private Expr multiplicative() {
    Expr e = unary();
    while (peek().is("*") || peek().is("/") || peek().is("%")) e = new Binary(next().value(), e, unary());
    return e;
  }

  private Expr unary() {
    if (accept("-")) {
      Expr inner = unary();
      if (inner instanceof Literal l && l.value() instanceof Long v) return new Literal(-v);
      return new Unary("-", inner);
    }
    if (accept("+")) return unary();
    return primary();
  }

  private Expr primary() {
    Token t = peek();
    switch (t.kind()) {
      case NUMBER -> {
        pos++;
        try {
          return new Literal(Long.parseLong(t.value()));
        } catch (NumberFormatException e) {
          throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED, "numeric literal %s is out of the supported range", t.value());
        }
      }
      case STRING -> {
        pos++;
        return new Literal(t.value());
      }
      case SYMBOL -> {
        if (accept("(")) {
          Expr e = expr();
          expect(")");
          return e;
        }
        throw error();
      }
      case KEYWORD -> {
        if (accept("null")) return new Literal(null);
        if (accept("true")) return new Literal(Boolean.TRUE);
        if (accept("false")) return new Literal(Boolean.FALSE);
        if (!isUnreserved(t.value())) throw error();
        return new ColumnRef(identifier());
      }
      case IDENT -> {
        String name = identifier();
        if (accept("(")) return call(name);
        if (accept(".")) {
          // table.column: the subset has one table per statement, so the qualifier is dropped
          if (accept("*")) return new Star();
          return new ColumnRef(identifier());
        }
        return new ColumnRef(name);
      }
      default -> throw error();
    }
  }

  private Expr call(String name) {
    if (!List.of("count", "sum", "min", "max").contains(name)) {
      throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s does not exist", name + "(...)");
    }
    if (accept("*")) {
      expect(")");
      if (!name.equals("count")) throw error();
      return new Aggregate(name, null);
    }
    Expr arg = expr();
    expect(")");
    return new Aggregate(name, arg);
  }
}
