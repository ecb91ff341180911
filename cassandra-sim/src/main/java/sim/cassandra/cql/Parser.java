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
  private final List<Token> tokens;
  private int pos;

  private Parser(List<Token> tokens) {
    this.tokens = tokens;
  }

  public static Statement parse(String cql) {
    Parser p = new Parser(Lexer.tokenize(cql));
    Statement s = p.statement();
    if (p.peek().isSymbol(";")) p.pos++;
    if (p.peek().kind() != Token.Kind.EOF) throw p.error("extraneous input " + quote(p.peek()) + " expecting <EOF>");
    return s;
  }

  private Statement statement() {
    Token t = peek();
    if (t.is("CREATE")) return create();
    if (t.is("USE")) {
      pos++;
      return new Use(identifier());
    }
    if (t.is("DROP")) return drop();
    if (t.is("TRUNCATE")) {
      pos++;
      accept("TABLE");
      String[] n = qualifiedName();
      return new Truncate(n[0], n[1]);
    }
    if (t.is("INSERT")) return insert();
    if (t.is("UPDATE")) return update();
    if (t.is("DELETE")) return delete();
    if (t.is("BEGIN")) return batch();
    if (t.is("SELECT")) return select();
    throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + quote(t) + " ([" + t.display() + "]...)");
  }

  // ---- DDL ----

  private Statement create() {
    expect("CREATE");
    if (accept("KEYSPACE")) {
      boolean ine = ifNotExists();
      String name = identifier();
      expect("WITH");
      expect("REPLICATION");
      expectSymbol("=");
      Map<String, String> repl = stringMap();
      while (accept("AND")) { // durable_writes etc. are accepted and ignored
        identifier();
        expectSymbol("=");
        term();
      }
      return new CreateKeyspace(name, ine, repl);
    }
    if (accept("TABLE") || accept("COLUMNFAMILY")) return createTable();
    throw error("no viable alternative at input " + quote(peek()));
  }

  private Statement createTable() {
    boolean ine = ifNotExists();
    String[] name = qualifiedName();
    expectSymbol("(");
    List<ColumnDef> cols = new ArrayList<>();
    List<String> pk = new ArrayList<>();
    List<String> ck = new ArrayList<>();
    do {
      if (accept("PRIMARY")) {
        expect("KEY");
        expectSymbol("(");
        if (acceptSymbol("(")) {
          do pk.add(identifier()); while (acceptSymbol(","));
          expectSymbol(")");
        } else {
          pk.add(identifier());
        }
        while (acceptSymbol(",")) ck.add(identifier());
        expectSymbol(")");
      } else {
        String col = identifier();
        String type = type();
        boolean isStatic = accept("STATIC");
        if (accept("PRIMARY")) {
          expect("KEY");
          pk.add(col);
        }
        cols.add(new ColumnDef(col, type, isStatic));
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    Map<String, Boolean> desc = new LinkedHashMap<>();
    Map<String, String> options = new LinkedHashMap<>();
    if (accept("WITH")) {
      do {
        if (accept("CLUSTERING")) {
          expect("ORDER");
          expect("BY");
          expectSymbol("(");
          do {
            String c = identifier();
            boolean d = accept("DESC");
            if (!d) accept("ASC");
            desc.put(c, d);
          } while (acceptSymbol(","));
          expectSymbol(")");
        } else {
          String opt = identifier();
          expectSymbol("=");
          if (peek().isSymbol("{")) options.put(opt, stringMap().toString());
          else options.put(opt, termText(term()));
        }
      } while (accept("AND"));
    }
    return new CreateTable(name[0], name[1], ine, cols, pk, ck, desc, options);
  }

  private String type() {
    String base = identifier().toLowerCase(Locale.ROOT);
    if (acceptSymbol("<")) {
      StringBuilder b = new StringBuilder(base).append('<').append(type());
      while (acceptSymbol(",")) b.append(", ").append(type());
      expectSymbol(">");
      return b.append('>').toString();
    }
    return base;
  }

  private Statement drop() {
    expect("DROP");
    if (accept("KEYSPACE")) {
      boolean ie = ifExists();
      return new DropKeyspace(identifier(), ie);
    }
    expect("TABLE");
    boolean ie = ifExists();
    String[] n = qualifiedName();
    return new DropTable(n[0], n[1], ie);
  }

  // ---- DML ----

  private Statement insert() {
    expect("INSERT");
    expect("INTO");
    String[] n = qualifiedName();
    expectSymbol("(");
    List<String> cols = new ArrayList<>();
    do cols.add(identifier()); while (acceptSymbol(","));
    expectSymbol(")");
    expect("VALUES");
    expectSymbol("(");
    List<Term> vals = new ArrayList<>();
    do vals.add(term()); while (acceptSymbol(","));
    expectSymbol(")");
    boolean ine = false;
    if (accept("IF")) {
      expect("NOT");
      expect("EXISTS");
      ine = true;
    }
    Using u = using();
    return new Insert(n[0], n[1], cols, vals, ine, u);
  }

  private Statement update() {
    expect("UPDATE");
    String[] n = qualifiedName();
    Using u = using();
    expect("SET");
    List<Assignment> as = new ArrayList<>();
    do as.add(assignment()); while (acceptSymbol(","));
    expect("WHERE");
    List<Relation> where = relations();
    return new Update(n[0], n[1], u, as, where, conditions());
  }

  private Assignment assignment() {
    String col = identifier();
    if (acceptSymbol("[")) {
      Term key = term();
      expectSymbol("]");
      expectSymbol("=");
      return new SetElement(col, key, term());
    }
    expectSymbol("=");
    if (peek().kind() == Token.Kind.IDENT && peek().text().equalsIgnoreCase(col) && (peekAt(1).isSymbol("+") || peekAt(1).isSymbol("-"))) {
      pos++;
      boolean plus = next().isSymbol("+");
      Term t = term();
      return plus ? new Add(col, t) : new Subtract(col, t);
    }
    Term t = term();
    if (acceptSymbol("+")) {
      String again = identifier();
      if (!again.equals(col)) throw error("Only expressions of the form X = <value> + X are supported.");
      return new Prepend(col, t);
    }
    return new SetValue(col, t);
  }

  private Statement delete() {
    expect("DELETE");
    List<DeleteTarget> targets = new ArrayList<>();
    if (!peek().is("FROM")) {
      do {
        String c = identifier();
        Term key = null;
        if (acceptSymbol("[")) {
          key = term();
          expectSymbol("]");
        }
        targets.add(new DeleteTarget(c, key));
      } while (acceptSymbol(","));
    }
    expect("FROM");
    String[] n = qualifiedName();
    Using u = using();
    expect("WHERE");
    List<Relation> where = relations();
    return new Delete(n[0], n[1], targets, u, where, conditions());
  }

  private Statement batch() {
    expect("BEGIN");
    String type = "LOGGED";
    if (accept("UNLOGGED")) type = "UNLOGGED";
    else if (accept("COUNTER")) type = "COUNTER";
    expect("BATCH");
    Using u = using();
    List<Statement> stmts = new ArrayList<>();
    while (!peek().is("APPLY")) {
      if (peek().kind() == Token.Kind.EOF) throw error("missing APPLY BATCH");
      Token t = peek();
      Statement s = t.is("INSERT") ? insert() : t.is("UPDATE") ? update() : t.is("DELETE") ? delete() : null;
      if (s == null) throw error("no viable alternative at input " + quote(t));
      stmts.add(s);
      acceptSymbol(";");
    }
    expect("APPLY");
    expect("BATCH");
    return new Batch(type, u, stmts);
  }

  private Statement select() {
    expect("SELECT");
    boolean distinct = accept("DISTINCT");
    List<Selector> sels = new ArrayList<>();
    if (acceptSymbol("*")) {
      sels.add(new Star());
    } else {
      do sels.add(selector()); while (acceptSymbol(","));
    }
    expect("FROM");
    String[] n = qualifiedName();
    List<Relation> where = List.of();
    if (accept("WHERE")) where = relations();
    List<Map.Entry<String, Boolean>> order = new ArrayList<>();
    if (accept("ORDER")) {
      expect("BY");
      do {
        String c = identifier();
        boolean d = accept("DESC");
        if (!d) accept("ASC");
        order.add(Map.entry(c, d));
      } while (acceptSymbol(","));
    }
    Term ppl = null;
    Term limit = null;
    if (accept("PER")) {
      expect("PARTITION");
      expect("LIMIT");
      ppl = term();
    }
    if (accept("LIMIT")) limit = term();
    boolean af = false;
    if (accept("ALLOW")) {
      expect("FILTERING");
      af = true;
    }
    return new Select(n[0], n[1], distinct, sels, where, order, ppl, limit, af);
  }

  private Selector selector() {
    Token t = peek();
    Selector s;
    if ((t.is("writetime") || t.is("ttl")) && peekAt(1).isSymbol("(")) {
      pos += 2;
      String c = identifier();
      expectSymbol(")");
      s = new WriteTimeSel(c, t.is("ttl"), null);
    } else if (t.is("token") && peekAt(1).isSymbol("(")) {
      pos += 2;
      List<String> cols = new ArrayList<>();
      do cols.add(identifier()); while (acceptSymbol(","));
      expectSymbol(")");
      s = new TokenSel(cols, null);
    } else if (t.is("count") && peekAt(1).isSymbol("(")) {
      pos += 2;
      String c = acceptSymbol("*") ? null : identifier();
      if (c == null && peek().kind() == Token.Kind.INTEGER) pos++;
      expectSymbol(")");
      s = new CountSel(c, null);
    } else {
      s = new ColumnSel(identifier(), null);
    }
    if (accept("AS")) {
      String alias = identifier();
      if (s instanceof ColumnSel c) s = new ColumnSel(c.column(), alias);
      else if (s instanceof WriteTimeSel w) s = new WriteTimeSel(w.column(), w.ttl(), alias);
      else if (s instanceof TokenSel k) s = new TokenSel(k.columns(), alias);
      else if (s instanceof CountSel c) s = new CountSel(c.column(), alias);
    }
    return s;
  }

  private List<Relation> relations() {
    List<Relation> out = new ArrayList<>();
    do out.add(relation()); while (accept("AND"));
    return out;
  }

  private Relation relation() {
    boolean token = false;
    List<String> cols = new ArrayList<>();
    if (peek().is("token") && peekAt(1).isSymbol("(")) {
      pos += 2;
      token = true;
      do cols.add(identifier()); while (acceptSymbol(","));
      expectSymbol(")");
    } else if (acceptSymbol("(")) {
      do cols.add(identifier()); while (acceptSymbol(","));
      expectSymbol(")");
    } else {
      cols.add(identifier());
    }
    Token op = next();
    String o;
    if (op.is("IN")) o = "IN";
    else if (op.is("CONTAINS")) o = accept("KEY") ? "CONTAINS KEY" : "CONTAINS";
    else if (op.kind() == Token.Kind.SYMBOL && List.of("=", "<", ">", "<=", ">=", "!=").contains(op.text())) o = op.text();
    else throw new CqlException.Syntax("line 1:" + op.column() + " no viable alternative at input " + quote(op));
    List<Term> values = new ArrayList<>();
    if (o.equals("IN")) {
      expectSymbol("(");
      if (!peek().isSymbol(")")) {
        do values.add(term()); while (acceptSymbol(","));
      }
      expectSymbol(")");
    } else {
      values.add(term());
    }
    return new Relation(cols, o, values, token);
  }

  private Conditions conditions() {
    if (!accept("IF")) return Conditions.NONE;
    if (accept("EXISTS")) return new Conditions(false, true, List.of());
    if (peek().is("NOT") && peekAt(1).is("EXISTS")) {
      pos += 2;
      return new Conditions(true, false, List.of());
    }
    List<Condition> cs = new ArrayList<>();
    do {
      String c = identifier();
      Token op = next();
      if (op.kind() != Token.Kind.SYMBOL) throw error("no viable alternative at input " + quote(op));
      cs.add(new Condition(c, op.text(), term()));
    } while (accept("AND"));
    return new Conditions(false, false, cs);
  }

  private Using using() {
    if (!accept("USING")) return Using.NONE;
    Term ts = null;
    Term ttl = null;
    do {
      if (accept("TIMESTAMP")) ts = term();
      else if (accept("TTL")) ttl = term();
      else throw error("no viable alternative at input " + quote(peek()));
    } while (accept("AND"));
    return new Using(ts, ttl);
  }

  // ---- terms ----

  private Term term() {
    Token t = next();
    switch (t.kind()) {
      case STRING, INTEGER, FLOAT, HEX, UUID, BOOLEAN -> {
        return new Literal(t.kind(), t.text());
      }
      case IDENT -> {
        if (t.is("null")) return new Null();
        if (t.is("NaN") || t.is("Infinity")) return new Literal(Token.Kind.FLOAT, t.text());
        throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + quote(t));
      }
      case SYMBOL -> {
        if (t.text().equals("[")) {
          List<Term> el = new ArrayList<>();
          if (!acceptSymbol("]")) {
            do el.add(term()); while (acceptSymbol(","));
            expectSymbol("]");
          }
          return new ListLiteral(el);
        }
        if (t.text().equals("{")) {
          if (acceptSymbol("}")) return new EmptyBraces();
          Term first = term();
          if (acceptSymbol(":")) {
            List<Term> ks = new ArrayList<>(List.of(first));
            List<Term> vs = new ArrayList<>(List.of(term()));
            while (acceptSymbol(",")) {
              ks.add(term());
              expectSymbol(":");
              vs.add(term());
            }
            expectSymbol("}");
            return new MapLiteral(ks, vs);
          }
          List<Term> el = new ArrayList<>(List.of(first));
          while (acceptSymbol(",")) el.add(term());
          expectSymbol("}");
          return new SetLiteral(el);
        }
        if (t.text().equals("(")) {
          List<Term> el = new ArrayList<>();
          do el.add(term()); while (acceptSymbol(","));
          expectSymbol(")");
          return new TupleLiteral(el);
        }
        throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + quote(t));
      }
      default -> throw new CqlException.Syntax("line 1:" + t.column() + " mismatched input " + quote(t) + " expecting a value");
    }
  }

  private static String termText(Term t) {
    if (t instanceof Literal l) return l.text();
    return t.toString();
  }

  private Map<String, String> stringMap() {
    expectSymbol("{");
    Map<String, String> m = new LinkedHashMap<>();
    if (!acceptSymbol("}")) {
      do {
        Term k = term();
        expectSymbol(":");
        Term v = term();
        m.put(termText(k), termText(v));
      } while (acceptSymbol(","));
      expectSymbol("}");
    }
    return m;
  }

  // ---- helpers ----

  private boolean ifNotExists() {
    if (peek().is("IF")) {
      pos++;
      expect("NOT");
      expect("EXISTS");
      return true;
    }
    return false;
  }

  private boolean ifExists() {
    if (peek().is("IF")) {
      pos++;
      expect("EXISTS");
      return true;
    }
    return false;
  }

  private String[] qualifiedName() {
    String first = identifier();
    if (acceptSymbol(".")) return new String[] {first, identifier()};
    return new String[] {null, first};
  }

  /** Unquoted identifiers are case-insensitive (lower-cased); quoted ones keep their case. */
  private String identifier() {
    Token t = next();
    if (t.kind() == Token.Kind.IDENT) return t.text().toLowerCase(Locale.ROOT);
    if (t.kind() == Token.Kind.QUOTED_IDENT) return t.text();
    throw new CqlException.Syntax("line 1:" + t.column() + " no viable alternative at input " + quote(t));
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token peekAt(int k) {
    return tokens.get(Math.min(pos + k, tokens.size() - 1));
  }

  private Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Token.Kind.EOF) pos++;
    return t;
  }

  private boolean accept(String keyword) {
    if (peek().is(keyword)) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean acceptSymbol(String s) {
    if (peek().isSymbol(s)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(String keyword) {
    if (!accept(keyword)) throw error("mismatched input " + quote(peek()) + " expecting K_" + keyword.toUpperCase(Locale.ROOT));
  }

  private void expectSymbol(String s) {
    if (!acceptSymbol(s)) throw error("mismatched input " + quote(peek()) + " expecting '" + s + "'");
  }

  private CqlException error(String what) {
    return new CqlException.Syntax("line 1:" + peek().column() + " " + what);
  }

  private static String quote(Token t) {
    return "'" + t.display() + "'";
  }
}
