package sim.postgres.sql;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.sql.Ast.*;

/**
 * A recursive-descent parser for the SQL subset. Errors name the token PostgreSQL's grammar would stop at:
 * {@code syntax error at or near "selec"} or {@code syntax error at end of input}, SQLSTATE 42601.
 */
public final class Parser {
  private final TokenCursor in;
  private final ExprParser exprs;

  private Parser(List<Token> tokens) {
    this.in = new TokenCursor(tokens);
    this.exprs = new ExprParser(in);
  }

  public static Stmt parse(String sql) {
    Parser p = new Parser(Lexer.lex(sql));
    Stmt s = p.statement();
    p.in.accept(";");
    if (p.in.peek().kind() != Token.Kind.END) throw p.in.error();
    return s;
  }

  private Stmt statement() {
    Token t = in.peek();
    if (t.kind() == Token.Kind.IDENT && (t.value().equals("analyze") || t.value().equals("analyse"))) {
      in.skip(1);
      return new Analyze(in.peek().kind() == Token.Kind.IDENT ? in.identifier() : null);
    }
    if (t.kind() == Token.Kind.IDENT && t.value().equals("explain")) {
      in.skip(1);
      return explain();
    }
    if (t.kind() != Token.Kind.KEYWORD) throw in.error();
    in.skip(1);
    return switch (t.value()) {
      case "select" -> sleepOrSelect();
      case "insert" -> insert();
      case "update" -> update();
      case "delete" -> delete();
      case "create" -> create();
      case "drop" -> drop();
      case "begin" -> begin(true);
      case "start" -> {
        in.expect("transaction");
        yield begin(false);
      }
      case "set" -> {
        if (!in.peek().is("transaction")) yield setVariable();
        in.expect("transaction");
        Begin mode = begin(false);
        if (mode.level() == null && mode.readOnly() == null) throw in.error();
        yield new SetTransaction(mode.level(), mode.readOnly());
      }
      case "commit", "end" -> {
        if (!in.accept("transaction")) in.accept("work");
        yield new Commit();
      }
      case "rollback", "abort" -> {
        if (!in.accept("transaction")) in.accept("work");
        if (t.value().equals("rollback") && in.peek().kind() == Token.Kind.IDENT && in.peek().value().equals("to")) {
          in.skip(1);
          in.accept("savepoint");
          yield new RollbackTo(in.identifier());
        }
        yield new Rollback();
      }
      case "savepoint" -> new Savepoint(in.identifier());
      case "release" -> {
        in.accept("savepoint");
        yield new ReleaseSavepoint(in.identifier());
      }
      case "vacuum" -> {
        boolean freeze = in.accept("freeze");
        boolean analyze = in.peek().kind() == Token.Kind.IDENT && (in.peek().value().equals("analyze") || in.peek().value().equals("analyse"));
        if (analyze) in.skip(1);
        String table = in.peek().kind() == Token.Kind.IDENT ? in.identifier() : null;
        yield new Vacuum(table, freeze, analyze);
      }
      case "checkpoint" -> new Checkpoint();
      default -> {
        in.skip(-1);
        throw in.error();
      }
    };
  }

  /** EXPLAIN [( option [, ...] )] SELECT: the one option modelled is COSTS [on | off | true | false]. */
  private Explain explain() {
    boolean costs = true;
    if (in.accept("(")) {
      do {
        Token opt = in.next();
        if (!"costs".equals(opt.value())) {
          throw SqlException.of(SqlException.SYNTAX_ERROR, "unrecognized EXPLAIN option \"%s\"", opt.text());
        }
        Token v = in.peek();
        if (v.is(")") || v.is(",")) continue;
        in.skip(1);
        String val = v.value() == null ? v.text() : v.value();
        if (val.equals("off") || val.equals("false")) costs = false;
        else if (!val.equals("on") && !val.equals("true")) throw in.error();
      } while (in.accept(","));
      in.expect(")");
    }
    in.expect("select");
    return new Explain(select(), costs);
  }

  private Begin begin(boolean optionalWord) {
    if (optionalWord && !in.accept("transaction")) in.accept("work");
    return transactionMode();
  }

  /** [ISOLATION LEVEL ...] [READ ONLY | READ WRITE], comma-separated, in any order. */
  private Begin transactionMode() {
    IsolationLevel level = null;
    Boolean readOnly = null;
    while (true) {
      if (in.accept("isolation")) {
        in.expect("level");
        if (in.accept("serializable")) level = IsolationLevel.SERIALIZABLE;
        else if (in.accept("repeatable")) {
          in.expect("read");
          level = IsolationLevel.REPEATABLE_READ;
        } else if (in.accept("read")) {
          if (in.accept("committed") || in.accept("uncommitted")) level = IsolationLevel.READ_COMMITTED;
          else throw in.error();
        } else throw in.error();
      } else if (in.accept("read")) {
        if (in.accept("write")) readOnly = false;
        else if (in.accept("only")) readOnly = true;
        else throw in.error();
      } else {
        return new Begin(level, readOnly);
      }
      in.accept(",");
    }
  }

  private Stmt create() {
    if (in.accept("table")) return createTable();
    if (in.peek().kind() == Token.Kind.IDENT && in.peek().value().equals("extension")) {
      in.skip(1);
      if (in.accept("if")) {
        in.expect("not");
        in.expect("exists");
      }
      return new CreateExtension(in.identifier());
    }
    boolean unique = in.accept("unique");
    in.expect("index");
    String name = in.peek().is("on") ? null : in.identifier();
    in.expect("on");
    String table = in.identifier();
    String method = word("using") ? in.identifier() : "btree";
    List<String> cols = columnList();
    int pagesPerRange = 0;
    if (in.accept("with")) {
      in.expect("(");
      String option = in.identifier();
      in.expect("=");
      Token v = in.next();
      if (!option.equals("pages_per_range") || !method.equals("brin")) {
        throw SqlException.of("22023", "unrecognized parameter \"%s\"", option);
      }
      pagesPerRange = Integer.parseInt(v.value());
      if (pagesPerRange < 1 || pagesPerRange > 131072) { // brin's reloption bounds (BRIN_MAX_PAGES_PER_RANGE)
        throw SqlException.of("22023", "value %s out of bounds for option \"pages_per_range\"", v.value());
      }
      in.expect(")");
    }
    return new CreateIndex(name, table, cols, unique, method, pagesPerRange);
  }

  private List<String> columnList() {
    in.expect("(");
    List<String> cols = new ArrayList<>();
    do cols.add(in.identifier()); while (in.accept(","));
    in.expect(")");
    return cols;
  }

  private CreateTable createTable() {
    String name = in.identifier();
    in.expect("(");
    List<ColumnDef> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    List<List<String>> uniques = new ArrayList<>();
    do {
      if (in.accept("primary")) {
        in.expect("key");
        if (!pk.isEmpty()) throw SqlException.of("42P16", "multiple primary keys for table \"%s\" are not allowed", name);
        pk.addAll(columnList());
        continue;
      }
      if (in.accept("unique")) {
        uniques.add(columnList());
        continue;
      }
      String col = in.identifier();
      SqlType type = type();
      boolean notNull = false;
      while (true) {
        if (in.accept("primary")) {
          in.expect("key");
          if (!pk.isEmpty()) throw SqlException.of("42P16", "multiple primary keys for table \"%s\" are not allowed", name);
          pk.add(col);
        } else if (in.accept("not")) {
          in.expect("null");
          notNull = true;
        } else if (in.accept("null")) {
          notNull = false;
        } else if (in.accept("unique")) {
          uniques.add(List.of(col));
        } else {
          break;
        }
      }
      cols.add(new ColumnDef(col, type, notNull));
    } while (in.accept(","));
    in.expect(")");
    int fillfactor = 100;
    if (in.accept("with")) {
      in.expect("(");
      do {
        String option = in.identifier();
        in.expect("=");
        Token v = in.next();
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
      } while (in.accept(","));
      in.expect(")");
    }
    return new CreateTable(name, cols, pk, uniques, fillfactor);
  }

  private SqlType type() {
    Token t = in.peek();
    if (t.kind() != Token.Kind.IDENT) throw in.error();
    in.skip(1);
    return switch (t.value()) {
      case "int", "integer", "int4", "serial" -> SqlType.INT4;
      case "bigint", "int8", "bigserial" -> SqlType.INT8;
      case "text", "varchar" -> SqlType.TEXT;
      case "boolean", "bool" -> SqlType.BOOL;
      default -> throw SqlException.of("42704", "type \"%s\" does not exist", t.value());
    };
  }

  private Stmt drop() {
    boolean index = in.accept("index");
    if (!index) in.expect("table");
    boolean ifExists = false;
    if (in.accept("if")) {
      in.expect("exists");
      ifExists = true;
    }
    String name = in.identifier();
    return index ? new DropIndex(name, ifExists) : new DropTable(name, ifExists);
  }

  private Insert insert() {
    in.expect("into");
    String table = in.identifier();
    List<String> cols = in.peek().is("(") ? columnList() : null;
    if (in.accept("select")) return new Insert(table, cols, List.of(), select());
    in.expect("values");
    List<List<Expr>> rows = new ArrayList<>();
    do {
      in.expect("(");
      List<Expr> row = new ArrayList<>();
      do row.add(exprs.expr()); while (in.accept(","));
      in.expect(")");
      rows.add(row);
    } while (in.accept(","));
    return new Insert(table, cols, rows);
  }

  /** {@code SELECT pg_sleep(x)} is the one function call a SELECT without FROM makes here: a long-running statement. */
  private Stmt sleepOrSelect() {
    if (in.peek().kind() == Token.Kind.IDENT && in.peek().value().startsWith("brin_summarize") && in.peekAt(1).is("(")) {
      return brinFunction();
    }
    if (in.peek().kind() != Token.Kind.IDENT || !in.peek().value().equals("pg_sleep") || !in.peekAt(1).is("(")) return select();
    in.skip(2);
    Expr seconds = exprs.expr();
    in.expect(")");
    return new Sleep(seconds);
  }

  /** SELECT brin_summarize_new_values('index'): read as SELECT * FROM the function (one row, named after it). */
  private Stmt brinFunction() {
    String fn = in.identifier();
    in.expect("(");
    List<Expr> args = new ArrayList<>();
    do args.add(exprs.expr()); while (in.accept(","));
    in.expect(")");
    return new Select(List.of(new SelectItem(new Star(), null)), null, null, List.of(), null, new TableFunction(fn, args, null));
  }

  private Select select() {
    List<SelectItem> items = new ArrayList<>();
    do {
      if (in.accept("*")) {
        items.add(new SelectItem(new Star(), null));
        continue;
      }
      Expr e = exprs.expr();
      String alias = null;
      if (in.accept("as")) alias = in.identifier();
      else if (in.peek().kind() == Token.Kind.IDENT) alias = in.identifier();
      items.add(new SelectItem(e, alias));
    } while (in.accept(","));
    String table = null;
    TableFunction function = null;
    if (in.accept("from")) {
      table = in.identifier();
      if (in.accept("(")) {
        List<Expr> args = new ArrayList<>();
        if (!in.accept(")")) {
          do args.add(exprs.expr()); while (in.accept(","));
          in.expect(")");
        }
        String alias = null;
        if (in.accept("as")) alias = in.identifier();
        else if (in.peek().kind() == Token.Kind.IDENT) alias = in.identifier();
        function = new TableFunction(table, args, alias);
        table = null;
      }
    }
    List<String> joined = new ArrayList<>();
    Expr on = null;
    while (table != null && function == null) { // FROM a, b or FROM a [INNER] JOIN b ON cond
      if (in.accept(",")) {
        joined.add(in.identifier());
        continue;
      }
      boolean inner = word("inner");
      if (!word("join")) {
        if (inner) throw in.error();
        break;
      }
      joined.add(in.identifier());
      in.expect("on");
      Expr cond = exprs.expr();
      on = on == null ? cond : new Binary("and", on, cond);
    }
    Expr where = in.accept("where") ? exprs.expr() : null;
    if (on != null) where = where == null ? on : new Binary("and", on, where);
    List<Expr> groupBy = new ArrayList<>();
    if (in.accept("group")) {
      in.expect("by");
      do groupBy.add(exprs.expr()); while (in.accept(","));
    }
    Expr having = in.accept("having") ? exprs.expr() : null;
    List<OrderItem> order = new ArrayList<>();
    if (in.accept("order")) {
      in.expect("by");
      do {
        Expr e = exprs.expr();
        boolean desc = in.accept("desc");
        if (!desc) in.accept("asc");
        boolean nullsFirst = desc;
        if (in.accept("nulls")) {
          if (in.accept("first")) nullsFirst = true;
          else if (in.accept("last")) nullsFirst = false;
          else throw in.error();
        }
        order.add(new OrderItem(e, desc, nullsFirst));
      } while (in.accept(","));
    }
    Long limit = null;
    if (in.accept("limit")) {
      if (!(exprs.expr() instanceof Literal l && l.value() instanceof Long n && n >= 0)) throw in.error();
      limit = n;
    }
    RowLockMode lock = null;
    if (in.accept("for")) {
      if (in.accept("update")) lock = RowLockMode.UPDATE;
      else if (in.accept("share")) lock = RowLockMode.SHARE;
      else if (in.accept("no")) {
        in.expect("key");
        in.expect("update");
        lock = RowLockMode.NO_KEY_UPDATE;
      } else if (in.accept("key")) {
        in.expect("share");
        lock = RowLockMode.KEY_SHARE;
      } else throw in.error();
    }
    return new Select(items, table, where, order, lock, function, limit, joined, groupBy, having);
  }

  /** A non-keyword word such as JOIN or INNER, consumed if it is next. */
  private boolean word(String w) {
    if (in.peek().kind() != Token.Kind.IDENT || !in.peek().value().equals(w)) return false;
    in.next();
    return true;
  }

  /** SET [SESSION] name {TO | =} value: the value a word, a quoted string or a number. */
  private SetVariable setVariable() {
    if (in.peek().kind() == Token.Kind.IDENT && in.peek().value().equals("session")) in.next();
    String name = in.identifier();
    if (!in.accept("=") && !(in.peek().kind() == Token.Kind.IDENT && in.peek().value().equals("to") && in.next() != null)) throw in.error();
    Token v = in.next();
    if (v.kind() == Token.Kind.END) throw in.error();
    return new SetVariable(name, v.value() == null ? v.text() : v.value());
  }

  private Update update() {
    String table = in.identifier();
    in.expect("set");
    List<Assignment> sets = new ArrayList<>();
    do {
      String col = in.identifier();
      in.expect("=");
      sets.add(new Assignment(col, exprs.expr()));
    } while (in.accept(","));
    Expr where = in.accept("where") ? exprs.expr() : null;
    return new Update(table, sets, where);
  }

  private Delete delete() {
    in.expect("from");
    String table = in.identifier();
    return new Delete(table, in.accept("where") ? exprs.expr() : null);
  }
}
