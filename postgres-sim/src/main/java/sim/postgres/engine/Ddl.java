package sim.postgres.engine;

import java.util.ArrayList;
import java.util.List;
import sim.postgres.heap.Table;
import sim.postgres.nbtree.BTree;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.CreateExtension;
import sim.postgres.sql.Ast.CreateIndex;
import sim.postgres.sql.Ast.DropIndex;
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
    t.fillfactor = ct.fillfactor();
    t.relFrozenXid = db.clog.nextXid();
    if (!ct.primaryKey().isEmpty()) {
      t.indexes.add(new Table.Index(ct.name() + "_pkey", db.newOid(), positions(t, ct.primaryKey()), true, true));
    }
    for (List<String> u : ct.uniques()) {
      t.indexes.add(new Table.Index(ct.name() + "_" + String.join("_", u) + "_key", db.newOid(), positions(t, u), true, false));
    }
    db.tables.put(t.name, t);
    for (Table.Index ix : t.indexes) db.registerIndex(t, ix, Indexes.empty(t, ix));
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
    if (ci.method().equals("brin")) return BrinIndexes.create(db, ci);
    if (!ci.method().equals("btree")) {
      if (List.of("hash", "gist", "gin", "spgist").contains(ci.method())) {
        throw SqlException.of("0A000", "access method \"%s\" is not modelled", ci.method());
      }
      throw SqlException.of("42704", "access method \"%s\" does not exist", ci.method());
    }
    Table t = Executor.requireTable(db, ci.table());
    List<Integer> cols = new ArrayList<>();
    for (String c : ci.columns()) cols.add(t.requireColumn(c));
    String name = ci.name() != null ? ci.name() : ci.table() + "_" + String.join("_", ci.columns()) + "_idx";
    for (Table other : db.tables.values()) {
      if (other.indexes.stream().anyMatch(ix -> ix.name().equals(name))) throw SqlException.of(SqlException.DUPLICATE_TABLE, "relation \"%s\" already exists", name);
    }
    Table.Index ix = new Table.Index(name, db.newOid(), cols, ci.unique(), false);
    BTree tree = Indexes.empty(t, ix);
    t.indexes.add(ix);
    db.registerIndex(t, ix, tree);
    Indexes.build(tree, t, ix, db.multis, db.visibility, db.oldestXmin());
    Planning.indexBuilt(db, t);
    db.log.catalogChanged(db.tables);
    return new Result.Ok();
  }

  static Result dropTable(Database db, DropTable dt) {
    Table dropped = db.tables.remove(dt.name());
    if (dropped == null && !dt.ifExists()) {
      throw SqlException.of(SqlException.UNDEFINED_TABLE, "table \"%s\" does not exist", dt.name());
    }
    if (dropped != null) for (Table.Index ix : dropped.indexes) db.state.btrees.remove(ix.name());
    if (dropped != null) for (Table.Brin b : dropped.brinIndexes) db.state.brins.remove(b.name());
    db.log.catalogChanged(db.tables);
    return new Result.Ok();
  }

  /** pageinspect and pg_visibility are built in; other extensions are not available. */
  static Result createExtension(CreateExtension ce) {
    if (!ce.name().equals("pageinspect") && !ce.name().equals("pg_visibility")) {
      throw SqlException.of("0A000", "extension \"%s\" is not available", ce.name());
    }
    return new Result.Ok();
  }

  static Result dropIndex(Database db, DropIndex di) {
    if (BrinIndexes.drop(db, di.name())) return new Result.Ok();
    for (Table t : db.tables.values()) {
      for (Table.Index ix : t.indexes) {
        if (!ix.name().equals(di.name())) continue;
        if (ix.primary() || ix.unique() && ix.name().endsWith("_key")) {
          throw SqlException.of("2BP01", "cannot drop index %s because constraint %s on table %s requires it", ix.name(), ix.name(), t.name);
        }
        t.indexes.remove(ix);
        db.state.btrees.remove(ix.name());
        db.log.catalogChanged(db.tables);
        return new Result.Ok();
      }
    }
    if (di.ifExists()) return new Result.Ok();
    throw SqlException.of("42704", "index \"%s\" does not exist", di.name());
  }

  static Result vacuum(Database db, Transaction tx, Vacuum v) {
    if (tx.explicit) throw new SqlException(SqlException.ACTIVE_SQL_TRANSACTION, "VACUUM cannot run inside a transaction block");
    List<Table> targets = v.table() == null ? List.copyOf(db.tables.values()) : List.of(Executor.requireTable(db, v.table()));
    for (Table t : targets) db.vacuum(t, v.freeze());
    if (v.analyze()) for (Table t : targets) Planning.analyze(db, t);
    return new Result.Ok();
  }

  static Result analyze(Database db, sim.postgres.sql.Ast.Analyze a) {
    List<Table> targets = a.table() == null ? List.copyOf(db.tables.values()) : List.of(Executor.requireTable(db, a.table()));
    for (Table t : targets) Planning.analyze(db, t);
    return new Result.Ok();
  }
}
