package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Table;
import sim.postgres.planner.JoinQuery;
import sim.postgres.planner.Qual;
import sim.postgres.planner.RelInfo;
import sim.postgres.sql.Ast.Aggregate;
import sim.postgres.sql.Ast.Binary;
import sim.postgres.sql.Ast.ColumnRef;
import sim.postgres.sql.Ast.Expr;
import sim.postgres.sql.Ast.InList;
import sim.postgres.sql.Ast.IsNull;
import sim.postgres.sql.Ast.Select;
import sim.postgres.sql.Ast.SelectItem;
import sim.postgres.sql.Ast.Star;
import sim.postgres.sql.Ast.Unary;
import sim.postgres.sql.SqlException;

/**
 * The FROM list of a join as the parser's namespace resolves it (a column belongs to the one table that has
 * it, or to its qualifier), and the WHERE split as deconstruct_jointree and distribute_qual_to_rels split
 * it: each conjunct on one table a restriction of that table, {@code a.x = b.y} a join clause.
 */
final class JoinQueryBuilder {
  final List<Table> tables;
  /** Per table, its restriction conjuncts with unqualified columns (evaluated on that table's rows). */
  final List<List<Expr>> restrictions = new ArrayList<>();
  /** Conjuncts over several tables (or none), as written and qualified for the joined row. */
  final List<Expr> joinConjuncts = new ArrayList<>();
  final List<Expr> joinConjunctsQualified = new ArrayList<>();

  JoinQueryBuilder(List<Table> tables, Expr where) {
    this.tables = tables;
    for (int i = 0; i < tables.size(); i++) restrictions.add(new ArrayList<>());
    List<Expr> conjuncts = new ArrayList<>();
    if (where != null) flatten(where, conjuncts);
    for (Expr c : conjuncts) {
      List<Integer> rels = new ArrayList<>();
      relsOf(c, rels);
      if (rels.size() == 1) restrictions.get(rels.get(0)).add(unqualify(c));
      else {
        joinConjuncts.add(c);
        joinConjunctsQualified.add(qualify(c));
      }
    }
  }

  static void flatten(Expr e, List<Expr> out) {
    if (e instanceof Binary b && b.op().equals("and")) {
      flatten(b.left(), out);
      flatten(b.right(), out);
    } else {
      out.add(e);
    }
  }

  /** The position of the table a column reference names; errors as parse_relation.c words them. */
  int resolve(ColumnRef c) {
    if (c.table() != null) {
      int found = table(c.table());
      if (tables.get(found).columnIndex(c.name()) < 0 && !Eval.SYSTEM_COLUMNS.contains(c.name())) {
        throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column %s.%s does not exist", c.table(), c.name());
      }
      return found;
    }
    int found = -1;
    for (int i = 0; i < tables.size(); i++) {
      if (tables.get(i).columnIndex(c.name()) < 0) continue;
      if (found >= 0) throw SqlException.of("42702", "column reference \"%s\" is ambiguous", c.name());
      found = i;
    }
    if (found < 0) throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" does not exist", c.name());
    return found;
  }

  /** The position of a FROM table by name; 42P01 as parse_relation.c words it when absent. */
  int table(String name) {
    for (int i = 0; i < tables.size(); i++) if (tables.get(i).name.equals(name)) return i;
    throw SqlException.of(SqlException.UNDEFINED_TABLE, "missing FROM-clause entry for table \"%s\"", name);
  }

  private void relsOf(Expr e, List<Integer> out) {
    if (e instanceof ColumnRef c) {
      int r = resolve(c);
      if (!out.contains(r)) out.add(r);
    } else if (e instanceof Unary u) {
      relsOf(u.operand(), out);
    } else if (e instanceof Binary b) {
      relsOf(b.left(), out);
      relsOf(b.right(), out);
    } else if (e instanceof IsNull n) {
      relsOf(n.operand(), out);
    } else if (e instanceof InList in) {
      relsOf(in.operand(), out);
      in.values().forEach(v -> relsOf(v, out));
    } else if (e instanceof Aggregate a && a.argument() != null) {
      relsOf(a.argument(), out);
    }
  }

  /** The expression over the joined row: every column named {@code table.column}. */
  Expr qualify(Expr e) {
    if (e instanceof ColumnRef c) return new ColumnRef(tables.get(resolve(c)).name + "." + c.name());
    if (e instanceof Unary u) return new Unary(u.op(), qualify(u.operand()));
    if (e instanceof Binary b) return new Binary(b.op(), qualify(b.left()), qualify(b.right()));
    if (e instanceof IsNull n) return new IsNull(qualify(n.operand()), n.negated());
    if (e instanceof InList in) return new InList(qualify(in.operand()), in.values().stream().map(this::qualify).toList(), in.negated());
    if (e instanceof Aggregate a) return new Aggregate(a.function(), a.argument() == null ? null : qualify(a.argument()));
    return e;
  }

  private static Expr unqualify(Expr e) {
    if (e instanceof ColumnRef c) return new ColumnRef(c.name());
    if (e instanceof Unary u) return new Unary(u.op(), unqualify(u.operand()));
    if (e instanceof Binary b) return new Binary(b.op(), unqualify(b.left()), unqualify(b.right()));
    if (e instanceof IsNull n) return new IsNull(unqualify(n.operand()), n.negated());
    if (e instanceof InList in) return new InList(unqualify(in.operand()), in.values().stream().map(JoinQueryBuilder::unqualify).toList(), in.negated());
    return e;
  }

  /**
   * The planner's query, or null outside what is modelled: columns and {@code *} in the select list, no
   * ORDER BY, LIMIT or row locks, restrictions of {@code col op const}, join clauses {@code a.x = b.y}.
   */
  JoinQuery query(Select sel, List<RelInfo> infos) {
    return query(sel, infos, false);
  }

  /**
   * With {@code forRows}, the plan only decides the order rows come in: a select list of expressions
   * counts the columns they use, and ORDER BY and LIMIT (applied afterwards) are ignored.
   */
  JoinQuery query(Select sel, List<RelInfo> infos, boolean forRows) {
    if (!forRows && (!sel.orderBy().isEmpty() || sel.limit() != null) || sel.lockMode() != null) return null;
    List<JoinQuery.Column> output = new ArrayList<>();
    for (SelectItem it : sel.items()) {
      if (it.expr() instanceof Star st) {
        for (int i = 0; i < tables.size(); i++) {
          if (st.table() != null && i != table(st.table())) continue;
          for (var cd : tables.get(i).columns) addOnce(output, new JoinQuery.Column(i, cd.name()));
        }
      } else if (it.expr() instanceof ColumnRef c && !Eval.SYSTEM_COLUMNS.contains(c.name())) {
        addOnce(output, new JoinQuery.Column(resolve(c), c.name()));
      } else if (forRows) {
        columnsOf(it.expr(), output);
      } else {
        return null;
      }
    }
    List<JoinQuery.Clause> clauses = new ArrayList<>();
    for (Expr j : joinConjuncts) {
      if (!(j instanceof Binary b) || !b.op().equals("=") || !(b.left() instanceof ColumnRef l) || !(b.right() instanceof ColumnRef r)) return null;
      JoinQuery.Column lc = column(l);
      JoinQuery.Column rc = column(r);
      if (tables.get(lc.rel()).types[tables.get(lc.rel()).columnIndex(lc.column())]
          != tables.get(rc.rel()).types[tables.get(rc.rel()).columnIndex(rc.column())]) return null;
      clauses.add(new JoinQuery.Clause(lc, rc));
    }
    List<JoinQuery.Rel> rels = new ArrayList<>();
    for (int i = 0; i < tables.size(); i++) {
      List<Qual> quals = new ArrayList<>();
      for (Expr e : restrictions.get(i)) if (!Planning.quals(tables.get(i), e, quals)) return null;
      List<Qual> ordered = Planning.equivalenceOrder(quals);
      if (ordered == null) return null;
      List<String> needed = new ArrayList<>();
      for (JoinQuery.Column c : output) if (c.rel() == i && !needed.contains(c.column())) needed.add(c.column());
      for (JoinQuery.Clause c : clauses) {
        for (JoinQuery.Column side : List.of(c.left(), c.right())) {
          if (side.rel() == i && !needed.contains(side.column())) needed.add(side.column());
        }
      }
      rels.add(new JoinQuery.Rel(infos.get(i), ordered, needed));
    }
    return new JoinQuery(rels, clauses, output);
  }

  private void columnsOf(Expr e, List<JoinQuery.Column> out) {
    if (e instanceof ColumnRef c && !Eval.SYSTEM_COLUMNS.contains(c.name())) addOnce(out, column(c));
    else if (e instanceof Unary u) columnsOf(u.operand(), out);
    else if (e instanceof Binary b) {
      columnsOf(b.left(), out);
      columnsOf(b.right(), out);
    } else if (e instanceof Aggregate a && a.argument() != null) columnsOf(a.argument(), out);
  }

  private JoinQuery.Column column(ColumnRef c) {
    return new JoinQuery.Column(resolve(c), c.name());
  }

  private static void addOnce(List<JoinQuery.Column> out, JoinQuery.Column c) {
    if (!out.contains(c)) out.add(c);
  }
}
