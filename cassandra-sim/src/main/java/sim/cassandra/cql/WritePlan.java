package sim.cassandra.cql;

import java.util.List;
import java.util.Map;
import sim.cassandra.cql.Ast.Term;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;

/** One INSERT, UPDATE or DELETE validated against its table: which partitions and rows it writes, and how. */
final class WritePlan {
  private final Ast.Statement statement;
  private final TableMetadata table;
  private final QueryProcessor.Target target;
  private final Map<ColumnMetadata, Term> insertValues;

  private WritePlan(Ast.Statement statement, TableMetadata table, QueryProcessor.Target target, Map<ColumnMetadata, Term> insertValues) {
    this.statement = statement;
    this.table = table;
    this.target = target;
    this.insertValues = insertValues;
  }

  static WritePlan of(Ast.Statement s, TableMetadata t) {
    Modifications keys = new Modifications(t, 0, 0, 0);
    if (s instanceof Ast.Insert i) {
      Map<ColumnMetadata, Term> values = QueryProcessor.insertValues(i, t);
      DecoratedKey k = keys.key(QueryProcessor.keyComponents(values, t.partitionKey()));
      Clustering c = new Clustering(QueryProcessor.keyComponents(values, t.clusteringColumns()));
      return new WritePlan(s, t, new QueryProcessor.Target(List.of(k), c, null, false), values);
    }
    if (s instanceof Ast.Update u) {
      boolean staticOnly = true;
      for (Ast.Assignment a : u.assignments()) {
        ColumnMetadata c = t.column(a.column());
        if (c == null) throw new CqlException.Invalid("Undefined column name " + a.column() + " in table " + t.qualifiedName());
        if (c.isPrimaryKey()) throw new CqlException.Invalid("PRIMARY KEY part " + c.name() + " found in SET part");
        if (c.type().isCounter() && a instanceof Ast.SetValue) {
          throw new CqlException.Invalid("Cannot set the value of counter column " + c.name() + " (counters can only be incremented/decremented, not set)");
        }
        if (!c.isStatic()) staticOnly = false;
      }
      return new WritePlan(s, t, QueryProcessor.target(t, u.where(), keys, false, staticOnly), null);
    }
    Ast.Delete d = (Ast.Delete) s;
    for (Ast.DeleteTarget dt : d.targets()) {
      ColumnMetadata c = t.column(dt.column());
      if (c == null) throw new CqlException.Invalid("Undefined column name " + dt.column() + " in table " + t.qualifiedName());
      if (c.isPrimaryKey()) throw new CqlException.Invalid("Invalid identifier " + c.name() + " for deletion (should not be a PRIMARY KEY part)");
    }
    QueryProcessor.Target target = QueryProcessor.target(t, d.where(), keys, true, false);
    if (!d.targets().isEmpty() && target.clustering() == null && !table(t).clusteringColumns().isEmpty()) {
      boolean staticOnly = d.targets().stream().allMatch(dt -> t.column(dt.column()).isStatic());
      if (!staticOnly) throw new CqlException.Invalid("Range deletions are not supported for specific columns");
    }
    return new WritePlan(s, t, target, null);
  }

  private static TableMetadata table(TableMetadata t) {
    return t;
  }

  List<DecoratedKey> keys() {
    return target.keys();
  }

  /** The single row a conditional write targets (null for a whole partition). */
  Clustering clustering() {
    return target.clustering();
  }

  void apply(Modifications m) {
    for (DecoratedKey k : target.keys()) {
      if (statement instanceof Ast.Insert) {
        m.insert(k, target.clustering(), insertValues);
      } else if (statement instanceof Ast.Update u) {
        m.update(k, target.clustering() == null ? Clustering.EMPTY : target.clustering(), u.assignments());
      } else {
        Ast.Delete d = (Ast.Delete) statement;
        if (!d.targets().isEmpty()) m.deleteColumns(k, target.clustering() == null ? Clustering.EMPTY : target.clustering(), d.targets());
        else if (target.wholePartition()) m.deletePartition(k);
        else if (target.clustering() != null && !table.clusteringColumns().isEmpty()) m.deleteRow(k, target.clustering());
        else if (target.clustering() != null) m.deletePartition(k);
        else m.deleteSlice(k, target.slice());
      }
    }
  }
}
