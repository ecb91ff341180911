package sim.postgres.sql;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.sql.Ast.*;

/**
 * Expressions, loosest first as gram.y's a_expr precedence: OR, AND, NOT, comparison, IS/IN/BETWEEN,
 * {@code + - ||}, {@code * / %}, unary, primary. It reads from the statement parser's {@link TokenCursor}.
 */
final class ExprParser {
  private final TokenCursor in;

  ExprParser(TokenCursor in) {
    this.in = in;
  }

  Expr expr() {
    Expr e = and();
    while (in.accept("or")) e = new Binary("or", e, and());
    return e;
  }

  private Expr and() {
    Expr e = not();
    while (in.accept("and")) e = new Binary("and", e, not());
    return e;
  }

  private Expr not() {
    if (in.accept("not")) return new Unary("not", not());
    return comparison();
  }

  private Expr comparison() {
    Expr e = predicate();
    Token t = in.peek();
    if (t.kind() == Token.Kind.SYMBOL && List.of("=", "<>", "<", "<=", ">", ">=").contains(t.value())) {
      in.skip(1);
      return new Binary(t.value(), e, predicate());
    }
    return e;
  }

  private Expr predicate() {
    Expr e = additive();
    while (true) {
      if (in.accept("is")) {
        boolean neg = in.accept("not");
        if (in.accept("null")) e = new IsNull(e, neg);
        else if (in.accept("true")) e = boolTest(e, true, neg);
        else if (in.accept("false")) e = boolTest(e, false, neg);
        else throw in.error();
        continue;
      }
      int save = in.mark();
      boolean neg = in.accept("not");
      if (in.accept("in")) {
        in.expect("(");
        List<Expr> vals = new ArrayList<>();
        do vals.add(expr()); while (in.accept(","));
        in.expect(")");
        e = new InList(e, vals, neg);
      } else if (in.accept("between")) {
        Expr lo = additive();
        in.expect("and");
        Expr hi = additive();
        Expr range = new Binary("and", new Binary(">=", e, lo), new Binary("<=", e, hi));
        e = neg ? new Unary("not", range) : range;
      } else {
        in.reset(save);
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
    while (in.peek().is("+") || in.peek().is("-") || in.peek().is("||")) e = new Binary(in.next().value(), e, multiplicative());
    return e;
  }

  private Expr multiplicative() {
    Expr e = unary();
    while (in.peek().is("*") || in.peek().is("/") || in.peek().is("%")) e = new Binary(in.next().value(), e, unary());
    return e;
  }

  private Expr unary() {
    if (in.accept("-")) {
      Expr inner = unary();
      if (inner instanceof Literal l && l.value() instanceof Long v) return new Literal(-v);
      return new Unary("-", inner);
    }
    if (in.accept("+")) return unary();
    return primary();
  }

  private Expr primary() {
    Token t = in.peek();
    switch (t.kind()) {
      case NUMBER -> {
        in.skip(1);
        try {
          return new Literal(Long.parseLong(t.value()));
        } catch (NumberFormatException e) {
          throw SqlException.of(SqlException.FEATURE_NOT_SUPPORTED, "numeric literal %s is out of the supported range", t.value());
        }
      }
      case STRING -> {
        in.skip(1);
        return new Literal(t.value());
      }
      case SYMBOL -> {
        if (in.accept("(")) {
          Expr e = expr();
          in.expect(")");
          return e;
        }
        throw in.error();
      }
      case KEYWORD -> {
        if (in.accept("null")) return new Literal(null);
        if (in.accept("true")) return new Literal(Boolean.TRUE);
        if (in.accept("false")) return new Literal(Boolean.FALSE);
        if (!TokenCursor.isUnreserved(t.value())) throw in.error();
        return new ColumnRef(in.identifier());
      }
      case IDENT -> {
        String name = in.identifier();
        if (in.accept("(")) return call(name);
        if (in.accept(".")) {
          // table.column: a single-table statement ignores the qualifier; a join resolves it
          if (in.accept("*")) return new Star(name);
          return new ColumnRef(in.identifier(), name);
        }
        return new ColumnRef(name);
      }
      default -> throw in.error();
    }
  }

  private Expr call(String name) {
    if (name.equals("get_raw_page")) return rawPage();
    if (!List.of("count", "sum", "min", "max", "avg").contains(name)) {
      throw SqlException.of(SqlException.UNDEFINED_FUNCTION, "function %s does not exist", name + "(...)");
    }
    if (in.accept("*")) {
      in.expect(")");
      if (!name.equals("count")) throw in.error();
      return new Aggregate(name, null);
    }
    Expr arg = expr();
    in.expect(")");
    return new Aggregate(name, arg);
  }

  /** get_raw_page('relation', block): pageinspect's page, read by the function it is passed to. */
  private Expr rawPage() {
    Token rel = in.next();
    in.expect(",");
    Token block = in.next();
    in.expect(")");
    if (rel.kind() != Token.Kind.STRING || block.kind() != Token.Kind.NUMBER) throw in.error();
    return new Literal(new sim.postgres.sql.Ast.RawPage(rel.value(), Long.parseLong(block.value())));
  }
}
