package sim.cassandra.cql;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.cql.Ast.Assignment;
import sim.cassandra.cql.Ast.Term;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.CounterContext;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.LivenessInfo;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.db.Slice;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;

/**
 * INSERT, UPDATE and DELETE turned into partition updates, cell by cell as Cassandra writes them: an
 * INSERT's primary-key liveness marker, null as a cell tombstone, a collection overwrite as a collection
 * deletion at {@code timestamp − 1} plus the new elements, a counter increment as a delta the leader
 * replica turns into its shard.
 */
final class Modifications {
  /** The counter id a coordinator puts in a delta; the leader replica replaces it with its own shard. */
  static final long COUNTER_DELTA_ID = Long.MIN_VALUE;
  /** List prepends get paths before 2010-01-01 (Cassandra's {@code PrecisionTime} reference), appends after. */
  private static final long PREPEND_REFERENCE_MICROS = 1_262_304_000_000_000L;

  private final TableMetadata table;
  private final long timestamp;
  private final long nowInSec;
  private final int ttl;
  private final TreeMap<DecoratedKey, Partition> updates = new TreeMap<>();
  private int listSequence;

  Modifications(TableMetadata table, long timestamp, long nowInSec, int ttl) {
    this.table = table;
    this.timestamp = timestamp;
    this.nowInSec = nowInSec;
    this.ttl = ttl;
  }

  List<Mutation> mutations() {
    List<Mutation> out = new ArrayList<>();
    for (Partition p : updates.values()) out.add(new Mutation(table.keyspace(), table.name(), p));
    return out;
  }

  Partition partition(DecoratedKey key) {
    return updates.computeIfAbsent(key, k -> new Partition(k, table.clusteringComparator()));
  }

  DecoratedKey key(List<Bytes> components) {
    for (Bytes b : components) if (b.isEmpty()) throw new CqlException.Invalid("Key may not be empty");
    return DecoratedKey.of(table.partitionKeyBytes(components));
  }

  // ---- INSERT ----

  void insert(DecoratedKey key, Clustering clustering, Map<ColumnMetadata, Term> values) {
    Row row = Row.empty(clustering);
    Row staticRow = Row.empty(Clustering.STATIC);
    row = new Row(clustering, LivenessInfo.of(timestamp, ttl, nowInSec), DeletionTime.LIVE, row.cells(), row.complex());
    for (Map.Entry<ColumnMetadata, Term> e : values.entrySet()) {
      ColumnMetadata c = e.getKey();
      if (c.isPrimaryKey()) continue;
      setValue(c.isStatic() ? staticRow : row, c, e.getValue());
    }
    Partition p = partition(key);
    if (table.clusteringColumns().isEmpty() || !clustering.values().isEmpty()) p.addRow(row);
    if (!staticRow.cells().isEmpty() || !staticRow.complex().isEmpty()) p.addRow(staticRow);
  }

  // ---- UPDATE ----

  void update(DecoratedKey key, Clustering clustering, List<Assignment> assignments) {
    Row row = Row.empty(clustering);
    Row staticRow = Row.empty(Clustering.STATIC);
    for (Assignment a : assignments) {
      ColumnMetadata c = table.column(a.column());
      Row target = c.isStatic() ? staticRow : row;
      if (a instanceof Ast.SetValue s) setValue(target, c, s.value());
      else if (a instanceof Ast.SetElement s) setElement(target, c, s.key(), s.value());
      else if (a instanceof Ast.Add s) add(target, c, s.value(), false);
      else if (a instanceof Ast.Prepend s) add(target, c, s.value(), true);
      else if (a instanceof Ast.Subtract s) subtract(target, c, s.value());
    }
    Partition p = partition(key);
    if (!row.cells().isEmpty() || !row.complex().isEmpty()) p.addRow(row);
    if (!staticRow.cells().isEmpty() || !staticRow.complex().isEmpty()) p.addRow(staticRow);
  }

  private void setValue(Row row, ColumnMetadata c, Term term) {
    Object v = Values.value(term, c);
    if (c.type() instanceof CollectionType ct) {
      ComplexColumn cc = ComplexColumn.of(new DeletionTime(timestamp - 1, nowInSec), ct.pathType()::compare);
      if (v != null) addElements(cc, ct, v, false);
      row.complex().put(c.name(), cc);
      return;
    }
    row.cells().put(c.name(), v == null ? Cell.tombstone(timestamp, nowInSec, null) : Cell.live(c.type().serialize(v), timestamp, ttl, nowInSec, null));
  }

  private void setElement(Row row, ColumnMetadata c, Term keyTerm, Term valueTerm) {
    if (!(c.type() instanceof CollectionType ct) || ct.kind() == CollectionType.Kind.SET) {
      throw new CqlException.Invalid("Invalid operation (" + c.name() + "[?] = ?) for non map column " + c.name());
    }
    if (ct.kind() == CollectionType.Kind.LIST) throw new CqlException.Invalid("Setting list elements by index is not supported by this simulator");
    Bytes path = ct.keys().serialize(Values.value(keyTerm, ct.keys(), c.name()));
    Object v = Values.value(valueTerm, ct.values(), c.name());
    ComplexColumn cc = row.complex().computeIfAbsent(c.name(), n -> ComplexColumn.of(DeletionTime.LIVE, ct.pathType()::compare));
    cc.cells().put(path, v == null ? Cell.tombstone(timestamp, nowInSec, path) : Cell.live(ct.values().serialize(v), timestamp, ttl, nowInSec, path));
  }

  private void add(Row row, ColumnMetadata c, Term term, boolean prepend) {
    if (c.type().isCounter()) {
      long delta = ((Number) Values.value(term, c)).longValue();
      Cell prev = row.cells().get(c.name());
      long sum = delta + (prev == null ? 0 : CounterContext.total(prev.value()));
      row.cells().put(c.name(), Cell.counter(CounterContext.of(COUNTER_DELTA_ID, 0, sum), timestamp));
      return;
    }
    if (!(c.type() instanceof CollectionType ct)) {
      throw new CqlException.Invalid("Invalid operation (" + c.name() + " = " + c.name() + " + ?) for non counter column " + c.name());
    }
    Object v = Values.value(term, c);
    if (v == null) return;
    ComplexColumn cc = row.complex().computeIfAbsent(c.name(), n -> ComplexColumn.of(DeletionTime.LIVE, ct.pathType()::compare));
    addElements(cc, ct, v, prepend);
  }

  private void subtract(Row row, ColumnMetadata c, Term term) {
    if (c.type().isCounter()) {
      long delta = ((Number) Values.value(term, c)).longValue();
      Cell prev = row.cells().get(c.name());
      long sum = -delta + (prev == null ? 0 : CounterContext.total(prev.value()));
      row.cells().put(c.name(), Cell.counter(CounterContext.of(COUNTER_DELTA_ID, 0, sum), timestamp));
      return;
    }
    if (!(c.type() instanceof CollectionType ct) || ct.kind() == CollectionType.Kind.LIST) {
      throw new CqlException.Invalid("Invalid operation (" + c.name() + " = " + c.name() + " - ?) for column " + c.name());
    }
    ComplexColumn cc = row.complex().computeIfAbsent(c.name(), n -> ComplexColumn.of(DeletionTime.LIVE, ct.pathType()::compare));
    Object v = Values.value(term, ct.kind() == CollectionType.Kind.MAP ? CollectionType.set(ct.keys()) : ct, c.name());
    if (v == null) return;
    for (Object e : (List<?>) v) {
      Bytes path = ct.keys().serialize(e);
      cc.cells().put(path, Cell.tombstone(timestamp, nowInSec, path));
    }
  }

  @SuppressWarnings("unchecked")
  private void addElements(ComplexColumn cc, CollectionType ct, Object v, boolean prepend) {
    switch (ct.kind()) {
      case SET -> {
        for (Object e : (List<Object>) v) {
          Bytes path = ct.keys().serialize(e);
          cc.cells().put(path, Cell.live(Bytes.EMPTY, timestamp, ttl, nowInSec, path));
        }
      }
      case MAP -> {
        for (Map.Entry<Object, Object> e : ((Map<Object, Object>) v).entrySet()) {
          Bytes path = ct.keys().serialize(e.getKey());
          cc.cells().put(path, Cell.live(ct.values().serialize(e.getValue()), timestamp, ttl, nowInSec, path));
        }
      }
      case LIST -> {
        List<Object> elems = (List<Object>) v;
        for (int i = 0; i < elems.size(); i++) {
          Bytes path = listPath(prepend, i, elems.size());
          cc.cells().put(path, Cell.live(ct.values().serialize(elems.get(i)), timestamp, ttl, nowInSec, path));
        }
      }
    }
  }

  /**
   * A list element's path: a time-ordered 16-byte id. Appends take the write's time; prepends take times
   * counting down before the 2010 reference, so they sort first, in the order written.
   */
  private Bytes listPath(boolean prepend, int i, int n) {
    long seq = listSequence++;
    long time = prepend ? PREPEND_REFERENCE_MICROS - (timestamp % 1_000_000L) * 1000 - (n - i) : timestamp * 16 + seq;
    return Bytes.wrap(ByteBuffer.allocate(16).putLong(time).putLong(seq).array());
  }

  // ---- DELETE ----

  void deletePartition(DecoratedKey key) {
    partition(key).deletePartition(new DeletionTime(timestamp, nowInSec));
  }

  void deleteRow(DecoratedKey key, Clustering clustering) {
    partition(key).addRow(new Row(clustering, LivenessInfo.EMPTY, new DeletionTime(timestamp, nowInSec), new TreeMap<>(), new TreeMap<>()));
  }

  void deleteSlice(DecoratedKey key, Slice slice) {
    partition(key).addRangeTombstone(slice, new DeletionTime(timestamp, nowInSec));
  }

  void deleteColumns(DecoratedKey key, Clustering clustering, List<Ast.DeleteTarget> targets) {
    Row row = Row.empty(clustering);
    Row staticRow = Row.empty(Clustering.STATIC);
    for (Ast.DeleteTarget t : targets) {
      ColumnMetadata c = table.column(t.column());
      Row target = c.isStatic() ? staticRow : row;
      if (c.type() instanceof CollectionType ct) {
        if (t.key() == null) {
          target.complex().put(c.name(), ComplexColumn.of(new DeletionTime(timestamp, nowInSec), ct.pathType()::compare));
        } else {
          Bytes path = ct.keys().serialize(Values.value(t.key(), ct.keys(), c.name()));
          ComplexColumn cc = target.complex().computeIfAbsent(c.name(), n -> ComplexColumn.of(DeletionTime.LIVE, ct.pathType()::compare));
          cc.cells().put(path, Cell.tombstone(timestamp, nowInSec, path));
        }
      } else {
        target.cells().put(c.name(), Cell.tombstone(timestamp, nowInSec, null));
      }
    }
    Partition p = partition(key);
    if (!row.cells().isEmpty() || !row.complex().isEmpty()) p.addRow(row);
    if (!staticRow.cells().isEmpty() || !staticRow.complex().isEmpty()) p.addRow(staticRow);
  }
}
