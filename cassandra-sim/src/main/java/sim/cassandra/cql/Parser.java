package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sim.cassandra.cql.Ast.*;

/**
 * A recursive-descent parser for the CQL subset. Syntax errors read like Cassandra's (ANTLR's):
 * {@code line 1:0 no viable alternative at input 'SELEKT' ([SELEKT]...)}.
 */
public final class Parser {
  private final TokenCursor in;

  private Parser(List<Token> tokens) {
    this.in = new TokenCursor(tokens);
  }

  public static Statement parse(String cql) {
    Parser p = new Parser(Lexer.tokenize(cql));
    Statement s = p.statement();
    if (p.in.peek().isSymbol(";")) p.in.skip(1);
    if (p.in.peek().kind() != Token.Kind.EOF) throw p.in.error("extraneous input " + TokenCursor.quote(p.in.peek()) + " expecting <EOF>");
    return s;
  }

  private Statement statement() {
    Token t = in.peek();
    if (t.is("CREATE")) return create();
    if (t.is("USE")) {
      in.skip(1);
      return new Use(in.identifier());
    }
    if (t.is("DROP")) return drop();
    if (t.is("TRUNCATE")) {
      in.skip(1);
      in.accept("TABLE");
      String[] n = in.qualifiedName();
      return new Truncate(n[0], n[1]);
    }
    if (t.is("INSERT")) return insert();
    if (t.is("UPDATE")) return update();
    if (t.is("DELETE")) return delete();
    if (t.is("BEGIN")) return batch();
    if (t.is("SELECT")) return select();
    throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + TokenCursor.quote(t) + " ([" + t.display() + "]...)");
  }

  // ---- DDL ----

  private Statement create() {
    in.expect("CREATE");
    if (in.accept("KEYSPACE")) {
      boolean ine = in.ifNotExists();
      String name = in.identifier();
      in.expect("WITH");
      in.expect("REPLICATION");
      in.expectSymbol("=");
      Map<String, String> repl = stringMap();
      while (in.accept("AND")) { // durable_writes etc. are accepted and ignored
        in.identifier();
        in.expectSymbol("=");
        term();
      }
      return new CreateKeyspace(name, ine, repl);
    }
    if (in.accept("TABLE") || in.accept("COLUMNFAMILY")) return createTable();
    throw in.error("no viable alternative at input " + TokenCursor.quote(in.peek()));
  }

  private Statement createTable() {
    boolean ine = in.ifNotExists();
    String[] name = in.qualifiedName();
    in.expectSymbol("(");
    List<ColumnDef> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    List<String> ck = new ArrayList<>();
    do {
      if (in.accept("PRIMARY")) {
        in.expect("KEY");
        in.expectSymbol("(");
        if (in.acceptSymbol("(")) {
          do pk.add(in.identifier()); while (in.acceptSymbol(","));
          in.expectSymbol(")");
        } else {
          pk.add(in.identifier());
        }
        while (in.acceptSymbol(",")) ck.add(in.identifier());
        in.expectSymbol(")");
      } else {
        String col = in.identifier();
        String type = type();
        boolean isStatic = in.accept("STATIC");
        if (in.accept("PRIMARY")) {
          in.expect("KEY");
          pk.add(col);
        }
        cols.add(new ColumnDef(col, type, isStatic));
      }
    } while (in.acceptSymbol(","));
    in.expectSymbol(")");
    Map<String, Boolean> desc = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    if (in.accept("WITH")) {
      do {
        if (in.accept("CLUSTERING")) {
          in.expect("ORDER");
          in.expect("BY");
          in.expectSymbol("(");
          do {
            String c = in.identifier();
            boolean d = in.accept("DESC");
            if (!d) in.accept("ASC");
            desc.put(c, d);
          } while (in.acceptSymbol(","));
          in.expectSymbol(")");
        } else {
          String opt = in.identifier();
          in.expectSymbol("=");
          if (in.peek().isSymbol("{")) options.put(opt, stringMap().toString());
          else options.put(opt, termText(term()));
        }
      } while (in.accept("AND"));
    }
    return new CreateTable(name[0], name[1], ine, cols, pk, ck, desc, options);
  }

  private String type() {
    String base = in.identifier().toLowerCase(Locale.ROOT);
    if (in.acceptSymbol("<")) {
      StringBuilder b = new StringBuilder(base).append('<').append(type());
      while (in.acceptSymbol(",")) b.append(", ").append(type());
      in.expectSymbol(">");
      return b.append('>').toString();
    }
    return base;
  }

  private Statement drop() {
    in.expect("DROP");
    if (in.accept("KEYSPACE")) {
      boolean ie = in.ifExists();
      return new DropKeyspace(in.identifier(), ie);
    }
    in.expect("TABLE");
    boolean ie = in.ifExists();
    String[] n = in.qualifiedName();
    return new DropTable(n[0], n[1], ie);
  }

  // ---- DML ----

  private Statement insert() {
    in.expect("INSERT");
    in.expect("INTO");
    String[] n = in.qualifiedName();
    in.expectSymbol("(");
    List<String> cols = new ArrayList<>();
    do cols.add(in.identifier()); while (in.acceptSymbol(","));
    in.expectSymbol(")");
    in.expect("VALUES");
    in.expectSymbol("(");
    List<Term> vals = new ArrayList<>();
    do vals.add(term()); while (in.acceptSymbol(","));
    in.expectSymbol(")");
    boolean ine = false;
    if (in.accept("IF")) {
      in.expect("NOT");
      in.expect("EXISTS");
      ine = true;
    }
    Using u = using();
    return new Insert(n[0], n[1], cols, vals, ine, u);
  }

  private Statement update() {
    in.expect("UPDATE");
    String[] n = in.qualifiedName();
    Using u = using();
    in.expect("SET");
    List<Assignment> as = new ArrayList<>();
    do as.add(assignment()); while (in.acceptSymbol(","));
    in.expect("WHERE");
    List<Relation> where = relations();
    return new Update(n[0], n[1], u, as, where, conditions());
  }

  private Assignment assignment() {
    String col = in.identifier();
    if (in.acceptSymbol("[")) {
      Term key = term();
      in.expectSymbol("]");
      in.expectSymbol("=");
      return new SetElement(col, key, term());
    }
    in.expectSymbol("=");
    if (in.peek().kind() == Token.Kind.IDENT && in.peek().text().equalsIgnoreCase(col) && (in.peekAt(1).isSymbol("+") || in.peekAt(1).isSymbol("-"))) {
      in.skip(1);
      boolean plus = in.next().isSymbol("+");
      Term t = term();
      return plus ? new Add(col, t) : new Subtract(col, t);
    }
    Term t = term();
    if (in.acceptSymbol("+")) {
      String again = in.identifier();
      if (!again.equals(col)) throw in.error("Only expressions of the form X = <value> + X are supported.");
      return new Prepend(col, t);
    }
    return new SetValue(col, t);
  }

  private Statement delete() {
    in.expect("DELETE");
    List<DeleteTarget> targets = new ArrayList<>();
    if (!in.peek().is("FROM")) {
      do {
        String c = in.identifier();
        Term key = null;
        if (in.acceptSymbol("[")) {
          key = term();
          in.expectSymbol("]");
        }
        targets.add(new DeleteTarget(c, key));
      } while (in.acceptSymbol(","));
    }
    in.expect("FROM");
    String[] n = in.qualifiedName();
    Using u = using();
    in.expect("WHERE");
    List<Relation> where = relations();
    return new Delete(n[0], n[1], targets, u, where, conditions());
  }

  private Statement batch() {
    in.expect("BEGIN");
    String type = "LOGGED";
    if (in.accept("UNLOGGED")) type = "UNLOGGED";
    else if (in.accept("COUNTER")) type = "COUNTER";
    in.expect("BATCH");
    Using u = using();
    List<Statement> stmts = new ArrayList<>();
    while (!in.peek().is("APPLY")) {
      if (in.peek().kind() == Token.Kind.EOF) throw in.error("missing APPLY BATCH");
      Token t = in.peek();
      Statement s = t.is("INSERT") ? insert() : t.is("UPDATE") ? update() : t.is("DELETE") ? delete() : null;
      if (s == null) throw in.error("no viable alternative at input " + TokenCursor.quote(t));
      stmts.add(s);
      in.acceptSymbol(";");
    }
    in.expect("APPLY");
    in.expect("BATCH");
    return new Batch(type, u, stmts);
  }

  private Statement select() {
    in.expect("SELECT");
    boolean distinct = in.accept("DISTINCT");
    List<Selector> sels = new ArrayList<>();
    if (in.acceptSymbol("*")) {
      sels.add(new Star());
    } else {
      do sels.add(selector()); while (in.acceptSymbol(","));
    }
    in.expect("FROM");
    String[] n = in.qualifiedName();
    List<Relation> where = List.of();
    if (in.accept("WHERE")) where = relations();
    List<Map.Entry<String, Boolean>> order = new ArrayList<>();
    if (in.accept("ORDER")) {
      in.expect("BY");
      do {
        String c = in.identifier();
        boolean d = in.accept("DESC");
        if (!d) in.accept("ASC");
        order.add(Map.entry(c, d));
      } while (in.acceptSymbol(","));
    }
    Term ppl = null;
    Term limit = null;
    if (in.accept("PER")) {
      in.expect("PARTITION");
      in.expect("LIMIT");
      ppl = term();
    }
    if (in.accept("LIMIT")) limit = term();
    boolean af = false;
    if (in.accept("ALLOW")) {
      in.expect("FILTERING");
      af = true;
    }
    return new Select(n[0], n[1], distinct, sels, where, order, ppl, limit, af);
  }

  private Selector selector() {
    Token t = in.peek();
    Selector s;
    if ((t.is("writetime") || t.is("ttl")) && in.peekAt(1).isSymbol("(")) {
      in.skip(2);
      String c = in.identifier();
      in.expectSymbol(")");
      s = new WriteTimeSel(c, t.is("ttl"), null);
    } else if (t.is("token") && in.peekAt(1).isSymbol("(")) {
      in.skip(2);
      List<String> cols = new ArrayList<>();
      do cols.add(in.identifier()); while (in.acceptSymbol(","));
      in.expectSymbol(")");
      s = new TokenSel(cols, null);
    } else if (t.is("count") && in.peekAt(1).isSymbol("(")) {
      in.skip(2);
      String c = in.acceptSymbol("*") ? null : in.identifier();
      if (c == null && in.peek().kind() == Token.Kind.INTEGER) in.skip(1);
      in.expectSymbol(")");
      s = new CountSel(c, null);
    } else {
      s = new ColumnSel(in.identifier(), null);
    }
    if (in.accept("AS")) {
      String alias = in.identifier();
      if (s instanceof ColumnSel c) s = new ColumnSel(c.column(), alias);
      else if (s instanceof WriteTimeSel w) s = new WriteTimeSel(w.column(), w.ttl(), alias);
      else if (s instanceof TokenSel k) s = new TokenSel(k.columns(), alias);
      else if (s instanceof CountSel c) s = new CountSel(c.column(), alias);
    }
    return s;
  }

  private List<Relation> relations() {
    List<Relation> out = new ArrayList<>();
    do out.add(relation()); while (in.accept("AND"));
    return out;
  }

  private Relation relation() {
    boolean token = false;
    List<String> cols = new ArrayList<>();
    if (in.peek().is("token") && in.peekAt(1).isSymbol("(")) {
      in.skip(2);
      token = true;
      do cols.add(in.identifier()); while (in.acceptSymbol(","));
      in.expectSymbol(")");
    } else if (in.acceptSymbol("(")) {
      do cols.add(in.identifier()); while (in.acceptSymbol(","));
      in.expectSymbol(")");
    } else {
      cols.add(in.identifier());
    }
    Token op = in.next();
    String o;
    if (op.is("IN")) o = "IN";
    else if (op.is("CONTAINS")) o = in.accept("KEY") ? "CONTAINS KEY" : "CONTAINS";
    else if (op.kind() == Token.Kind.SYMBOL && List.of("=", "<", ">", "<=", ">=", "!=").contains(op.text())) o = op.text();
    else throw new CqlException.Syntax("line 1:" + op.column() + " no viable alternative at input " + TokenCursor.quote(op));
    List<Term> values = new ArrayList<>();
    if (o.equals("IN")) {
      in.expectSymbol("(");
      if (!in.peek().isSymbol(")")) {
        do values.add(term()); while (in.acceptSymbol(","));
      }
      in.expectSymbol(")");
    } else {
      values.add(term());
    }
    return new Relation(cols, o, values, token);
  }

  private Conditions conditions() {
    if (!in.accept("IF")) return Conditions.NONE;
    if (in.accept("EXISTS")) return new Conditions(false, true, List.of());
    if (in.peek().is("NOT") && in.peekAt(1).is("EXISTS")) {
      in.skip(2);
      return new Conditions(true, false, List.of());
    }
    List<Condition> cs = new ArrayList<>();
    do {
      String c = in.identifier();
      Token op = in.next();
      if (op.kind() != Token.Kind.SYMBOL) throw in.error("no viable alternative at input " + TokenCursor.quote(op));
      cs.add(new Condition(c, op.text(), term()));
    } while (in.accept("AND"));
    return new Conditions(false, false, cs);
  }

  private Using using() {
    if (!in.accept("USING")) return Using.NONE;
    Term ts = null;
    Term ttl = null;
    do {
      if (in.accept("TIMESTAMP")) ts = term();
      else if (in.accept("TTL")) ttl = term();
      else throw in.error("no viable alternative at input " + TokenCursor.quote(in.peek()));
    } while (in.accept("AND"));
    return new Using(ts, ttl);
  }

  // ---- terms ----

  private Term term() {
    Token t = in.next();
    switch (t.kind()) {
      case STRING, INTEGER, FLOAT, HEX, UUID, BOOLEAN -> {
        return new Literal(t.kind(), t.text());
      }
      case IDENT -> {
        if (t.is("null")) return new Null();
        if (t.is("NaN") || t.is("Infinity")) return new Literal(Token.Kind.FLOAT, t.text());
        throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + TokenCursor.quote(t));
      }
      case SYMBOL -> {
        if (t.text().equals("[")) {
          List<Term> el = new ArrayList<>();
          if (!in.acceptSymbol("]")) {
            do el.add(term()); while (in.acceptSymbol(","));
            in.expectSymbol("]");
          }
          return new ListLiteral(el);
        }
        if (t.text().equals("{")) {
          if (in.acceptSymbol("}")) return new EmptyBraces();
          Term first = term();
          if (in.acceptSymbol(":")) {
            List<Term> ks = new ArrayList<>(List.of(first));
            List<Term> vs = new ArrayList<>(List.of(term()));
            while (in.acceptSymbol(",")) {
              ks.add(term());
              in.expectSymbol(":");
              vs.add(term());
            }
            in.expectSymbol("}");
            return new MapLiteral(ks, vs);
          }
          List<Term> el = new ArrayList<>(List.of(first));
          while (in.acceptSymbol(",")) el.add(term());
          in.expectSymbol("}");
          return new SetLiteral(el);
        }
        if (t.text().equals("(")) {
          List<Term> el = new ArrayList<>();
          do el.add(term()); while (in.acceptSymbol(","));
          in.expectSymbol(")");
          return new TupleLiteral(el);
        }
        throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + TokenCursor.quote(t));
      }
      default -> throw new CqlException.Syntax("line 1:" + t.column() + " mismatched input " + TokenCursor.quote(t) + " expecting a value");
    }
  }

  private static String termText(Term t) {
    if (t instanceof Literal l) return l.text();
    return t.toString();
  }

  private Map<String, String> stringMap() {
    in.expectSymbol("{");
    Map<String, String> m = new LinkedHashMap<>();
    if (!in.acceptSymbol("}")) {
      do {
        Term k = term();
        in.expectSymbol(":");
        Term v = term();
        m.put(termText(k), termText(v));
      } while (in.acceptSymbol(","));
      in.expectSymbol("}");
    }
    return m;
  }
}
