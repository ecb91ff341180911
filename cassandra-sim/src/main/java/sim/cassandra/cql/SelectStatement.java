package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import sim.cassandra.cql.Action.ReadCommand;
import sim.cassandra.cql.Ast.Select;
import sim.cassandra.cql.Ast.Selector;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.db.Slice;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;

/** SELECT: which partitions to read, then the rows a client sees, in Cassandra's order and names. */
final class SelectStatement {
  private final TableMetadata table;
  private final Select select;
  private final Restrictions where;
  private final List<Selector> selectors = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final boolean count;
  private final boolean reversed;
  private final long limit;
  private final long perPartitionLimit;

  SelectStatement(TableMetadata table, Select select) {
    this.table = table;
    this.select = select;
    this.where = Restrictions.analyze(table, select.where());
    boolean isCount = false;
    for (Selector s : select.selectors()) {
      if (s instanceof Ast.Star) {
        for (ColumnMetadata c : selectStarOrder(table)) {
          selectors.add(new Ast.ColumnSel(c.name(), null));
          names.add(c.name());
        }
        continue;
      }
      selectors.add(s);
      names.add(name(s));
      if (s instanceof Ast.CountSel) isCount = true;
    }
    this.count = isCount;
    if (where.needsFiltering && !select.allowFiltering()) throw new CqlException.Invalid(Restrictions.FILTERING);
    if (where.needsFiltering) throw new CqlException.Invalid("ALLOW FILTERING is not supported by this simulator");
    this.reversed = orderBy();
    this.limit = select.limit() == null ? Long.MAX_VALUE : positive(Values.integer(select.limit(), "LIMIT"), "LIMIT");
    this.perPartitionLimit = select.perPartitionLimit() == null ? Long.MAX_VALUE
        : positive(Values.integer(select.perPartitionLimit(), "PER PARTITION LIMIT"), "PER PARTITION LIMIT");
  }

  /** Partition key, clustering, then static and regular columns by name: SELECT *'s order. */
  static List<ColumnMetadata> selectStarOrder(TableMetadata t) {
    List<ColumnMetadata> out = new ArrayList<>(t.partitionKey());
    out.addAll(t.clusteringColumns());
    for (ColumnMetadata c : t.columns()) if (c.isStatic()) out.add(c);
    for (ColumnMetadata c : t.columns()) if (c.kind() == ColumnMetadata.Kind.REGULAR) out.add(c);
    return out;
  }

  private static long positive(long v, String what) {
    if (v <= 0) throw new CqlException.Invalid(what + " must be strictly positive");
    return v;
  }

  private String name(Selector s) {
    if (s instanceof Ast.ColumnSel c) {
      column(c.column());
      return c.alias() != null ? c.alias() : c.column();
    }
    if (s instanceof Ast.WriteTimeSel w) {
      ColumnMetadata c = column(w.column());
      if (c.isPrimaryKey()) throw new CqlException.Invalid("Cannot use selection function " + (w.ttl() ? "ttl" : "writeTime") + " on PRIMARY KEY part " + c.name());
      return w.alias() != null ? w.alias() : (w.ttl() ? "ttl(" : "writetime(") + w.column() + ")";
    }
    if (s instanceof Ast.TokenSel k) {
      for (String c : k.columns()) column(c);
      return k.alias() != null ? k.alias() : "system.token(" + String.join(", ", k.columns()) + ")";
    }
    Ast.CountSel c = (Ast.CountSel) s;
    if (c.column() != null) column(c.column());
    return c.alias() != null ? c.alias() : c.column() == null ? "count" : "system.count(" + c.column() + ")";
  }

  private ColumnMetadata column(String n) {
    ColumnMetadata c = table.column(n);
    if (c == null) throw new CqlException.Invalid("Undefined column name " + n + " in table " + table.qualifiedName());
    return c;
  }

  private boolean orderBy() {
    if (select.orderBy().isEmpty()) return false;
    if (where.partitionKeys == null) throw new CqlException.Invalid("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
    Boolean rev = null;
    List<ColumnMetadata> ck = table.clusteringColumns();
    for (int i = 0; i < select.orderBy().size(); i++) {
      Map.Entry<String, Boolean> o = select.orderBy().get(i);
      ColumnMetadata c = column(o.getKey());
      if (c.kind() != ColumnMetadata.Kind.CLUSTERING) throw new CqlException.Invalid("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got " + c.name());
      if (i >= ck.size() || !ck.get(i).name().equals(c.name())) throw new CqlException.Invalid("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY");
      boolean thisRev = o.getValue() != c.reversed();
      if (rev != null && rev != thisRev) throw new CqlException.Invalid("Unsupported order by relation");
      rev = thisRev;
    }
    return rev;
  }

  Action action(ConsistencyLevel cl, long nowInSec) {
    List<ReadCommand> commands = new ArrayList<>();
    if (where.partitionKeys != null) {
      // IN lists are answered in the order of the key values (by the partition key's types), not by token
      List<List<Bytes>> sorted = new ArrayList<>(where.partitionKeys);
      sorted.sort(this::compareKeys);
      List<DecoratedKey> keys = new ArrayList<>();
      for (List<Bytes> k : sorted) {
        DecoratedKey dk = DecoratedKey.of(table.partitionKeyBytes(k));
        if (!keys.contains(dk)) keys.add(dk);
      }
      for (DecoratedKey k : keys) commands.add(ReadCommand.partition(table, k));
    } else {
      commands.add(ReadCommand.range(table, where.tokenFromExclusive, where.tokenToInclusive));
    }
    return new Action.Read(commands, cl, partitions -> rows(partitions, nowInSec));
  }

  private int compareKeys(List<Bytes> a, List<Bytes> b) {
    for (int i = 0; i < a.size(); i++) {
      int c = table.partitionKey().get(i).type().compare(a.get(i), b.get(i));
      if (c != 0) return c;
    }
    return 0;
  }

  StatementResult rows(List<Partition> partitions, long nowInSec) {
    List<List<String>> out = new ArrayList<>();
    long counted = 0;
    boolean emptySlices = where.slices.stream().allMatch(s -> s.isEmpty(table::compareComponent));
    for (Partition p : partitions) {
      if (p == null || out.size() >= limit) continue;
      if (select.distinct()) {
        if (hasLiveData(p, nowInSec)) {
          counted++;
          if (!count) out.add(render(p, null, nowInSec));
        }
        continue;
      }
      List<Row> rows = new ArrayList<>();
      if (!emptySlices) {
        for (Row r : p.rows().values()) {
          if (!r.hasLiveData(nowInSec)) continue;
          boolean selected = false;
          for (Slice s : where.slices) if (s.includes(r.clustering(), table::compareComponent)) selected = true;
          if (selected) rows.add(r);
        }
      }
      if (reversed) Collections.reverse(rows);
      long inPartition = 0;
      if (rows.isEmpty() && !where.clusteringRestricted && p.staticRow() != null && p.staticRow().hasLiveData(nowInSec) && !table.clusteringColumns().isEmpty()) {
        counted++;
        if (!count) out.add(render(p, null, nowInSec));
        continue;
      }
      for (Row r : rows) {
        if (inPartition >= perPartitionLimit || (!count && out.size() >= limit)) break;
        inPartition++;
        counted++;
        if (!count) out.add(render(p, r, nowInSec));
      }
    }
    if (count) out = List.of(List.of(Long.toString(Math.min(counted, limit))));
    return new StatementResult.Rows(List.copyOf(names), out);
  }

  private static boolean hasLiveData(Partition p, long nowInSec) {
    if (p.staticRow() != null && p.staticRow().hasLiveData(nowInSec)) return true;
    for (Row r : p.rows().values()) if (r.hasLiveData(nowInSec)) return true;
    return false;
  }

  private List<String> render(Partition p, Row r, long nowInSec) {
    List<String> values = new ArrayList<>();
    for (Selector s : selectors) {
      if (s instanceof Ast.ColumnSel c) {
        values.add(RowValues.format(table, p, r, table.column(c.column()), nowInSec));
      } else if (s instanceof Ast.WriteTimeSel w) {
        Cell cell = RowValues.liveCell(p, r, table.column(w.column()), nowInSec);
        if (cell == null) values.add(null);
        else if (w.ttl()) values.add(cell.isExpiring() ? Long.toString(cell.localDeletionTime() - nowInSec) : null);
        else values.add(Long.toString(cell.timestamp()));
      } else if (s instanceof Ast.TokenSel) {
        values.add(Long.toString(p.key().token()));
      } else {
        values.add(null);
      }
    }
    return values;
  }
}
