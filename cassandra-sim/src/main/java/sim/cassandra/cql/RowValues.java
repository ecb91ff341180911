package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.CounterContext;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;

/** The visible value of a column in a row at {@code nowInSec}: key parts, live cells, live collection elements. */
final class RowValues {
  private RowValues() {}

  /** The CQL literal, or null when the column has no live value. */
  static String format(TableMetadata t, Partition p, Row row, ColumnMetadata c, long nowInSec) {
    Object v = value(t, p, row, c, nowInSec);
    return v == null ? null : c.type().format(v);
  }

  static Object value(TableMetadata t, Partition p, Row row, ColumnMetadata c, long nowInSec) {
    switch (c.kind()) {
      case PARTITION_KEY -> {
        return c.type().deserialize(t.partitionKeyComponents(p.key().key()).get(c.position()));
      }
      case CLUSTERING -> {
        if (row == null || row.clustering().size() <= c.position()) return null;
        return c.type().deserialize(row.clustering().get(c.position()));
      }
      default -> {
        Row source = c.isStatic() ? p.staticRow() : row;
        if (source == null) return null;
        if (c.type() instanceof CollectionType ct) return collection(ct, source.complex().get(c.name()), nowInSec);
        Cell cell = source.cells().get(c.name());
        if (cell == null || !cell.isLive(nowInSec)) return null;
        if (cell.counter()) return CounterContext.total(cell.value());
        return c.type().deserialize(cell.value());
      }
    }
  }

  static Cell liveCell(Partition p, Row row, ColumnMetadata c, long nowInSec) {
    Row source = c.isStatic() ? p.staticRow() : row;
    if (source == null) return null;
    Cell cell = source.cells().get(c.name());
    return cell != null && cell.isLive(nowInSec) ? cell : null;
  }

  private static Object collection(CollectionType ct, ComplexColumn cc, long nowInSec) {
    if (cc == null) return null;
    List<Object> list = new ArrayList<>();
    Map<Object, Object> map = new LinkedHashMap<>();
    for (Map.Entry<Bytes, Cell> e : cc.cells().entrySet()) {
      if (!e.getValue().isLive(nowInSec)) continue;
      switch (ct.kind()) {
        case SET -> list.add(ct.keys().deserialize(e.getKey()));
        case LIST -> list.add(ct.values().deserialize(e.getValue().value()));
        case MAP -> map.put(ct.keys().deserialize(e.getKey()), ct.values().deserialize(e.getValue().value()));
      }
    }
    if (ct.kind() == CollectionType.Kind.MAP) return map.isEmpty() ? null : map;
    return list.isEmpty() ? null : list;
  }
}
