package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Table;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.CreateIndex;
import sim.postgres.sql.Ast.CreateTable;
import sim.postgres.sql.Ast.DropTable;
import sim.postgres.sql.Ast.Vacuum;
import sim.postgres.sql.SqlException;

/** CREATE TABLE / INDEX, DROP TABLE, VACUUM. The catalog is not versioned: DDL takes effect at once. */
final class Ddl {
  private Ddl() {}

  static Result createTable(Database db, CreateTable ct) {
    if (db.tables.containsKey(ct.name())) throw SqlException.of(SqlException.DUPLICATE_TABLE, "relation \"%s\" already exists", ct.name());
    List<ColumnDef> cols = new ArrayList<>();
    for (ColumnDef c : ct.columns()) {
      if (cols.stream().anyMatch(d -> d.name().equals(c.name()))) throw SqlException.of("42701", "column \"%s\" specified more than once", c.name());
      cols.add(new ColumnDef(c.name(), c.type(), c.notNull() || ct.primaryKey().contains(c.name())));
    }
    Table t = new Table(ct.name(), db.newOid(), cols);
    t.relFrozenXid = db.clog.nextXid();
    if (!ct.primaryKey().isEmpty()) t.indexes.add(new Table.Index(ct.name() + "_pkey", positions(t, ct.primaryKey()), true, true));
    for (List<String> u : ct.uniques()) {
      t.indexes.add(new Table.Index(ct.name() + "_" + String.join("_", u) + "_key", positions(t, u), true, false));
    }
    db.tables.put(t.name, t);
    db.log.catalogChanged(db.tables);
    return new Result.Ok();
  }

  private static List<Integer> positions(Table t, List<String> names) {
    List<Integer> out = new ArrayList<>();
    for (String n : names) {
      int i = t.columnIndex(n);
      if (i < 0) throw SqlException.of(SqlException.UNDEFINED_COLUMN, "column \"%s\" named in key does not exist", n);
      out.add(i);
    }
    return out;
  }

  static Result createIndex(Database db, CreateIndex ci) {
    Table t = Executor.requireTable(db, ci.table());
    List<Integer> cols = new ArrayList<>();
    for (String c : ci.columns()) cols.add(t.requireColumn(c));
    String name = ci.name() != null ? ci.name() : ci.table() + "_" + String.join("_", ci.columns()) + "_idx";
    for (Table other : db.tables.values()) {
      if (other.indexes.stream().anyMatch(ix -> ix.name().equals(name))) throw SqlException.of(SqlException.DUPLICATE_TABLE, "relation \"%s\" already exists", name);
    }
    t.indexes.add(new Table.Index(name, cols, ci.unique(), false));
    db.log.catalogChanged(db.tables);
    return new Result.Ok();
  }

  static Result dropTable(Database db, DropTable dt) {
    if (db.tables.remove(dt.name()) == null && !dt.ifExists()) {
      throw SqlException.of(SqlException.UNDEFINED_TABLE, "table \"%s\" does not exist", dt.name());
    }
    db.log.catalogChanged(db.tables);
    return new Result.Ok();
  }

  static Result vacuum(Database db, Transaction tx, Vacuum v) {
    if (tx.explicit) throw new SqlException(SqlException.ACTIVE_SQL_TRANSACTION, "VACUUM cannot run inside a transaction block");
    List<Table> targets = v.table() == null ? List.copyOf(db.tables.values()) : List.of(Executor.requireTable(db, v.table()));
    for (Table t : targets) db.vacuum(t, v.freeze());
    return new Result.Ok();
  }
}
