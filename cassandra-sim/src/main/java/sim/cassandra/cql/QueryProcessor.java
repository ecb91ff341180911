package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.cassandra.cql.Ast.Statement;
import sim.cassandra.cql.Ast.Term;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Slice;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.Schema;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;

/**
 * The coordinator's query processor: parses a statement, validates it against the node's schema with
 * Cassandra's messages, stamps writes (the statement's {@code USING TIMESTAMP}, or the coordinator's
 * clock), and says what the cluster must do ({@link Action}).
 */
public final class QueryProcessor {
  private QueryProcessor() {}

  /** Clock readings of the coordinator for this statement. */
  public record Clock(long micros, long nowInSec) {}

  public static Action process(String cql, Session session, Schema schema, Clock clock, ConsistencyLevel cl, ConsistencyLevel serial) {
    try {
      return dispatch(cql, Parser.parse(cql), session, schema, clock, cl, serial);
    } catch (CqlException e) {
      return new Action.Done(new StatementResult.Error(e.code(), e.getMessage()));
    }
  }

  private static Action dispatch(String cql, Statement s, Session session, Schema schema, Clock clock, ConsistencyLevel cl, ConsistencyLevel serial) {
    if (s instanceof Ast.Use u) {
      if (schema.keyspace(u.keyspace()) == null) throw new CqlException.Invalid("Keyspace '" + u.keyspace() + "' does not exist");
      session.use(u.keyspace());
      return new Action.Done(new StatementResult.Ok());
    }
    if (Ddl.isDdl(s)) {
      Schema probe = copy(schema);
      Ddl.apply(probe, s, session.keyspace());
      return new Action.SchemaChange(cql, session.keyspace(), new StatementResult.Ok());
    }
    if (s instanceof Ast.Select sel) {
      TableMetadata t = table(schema, sel.keyspace(), sel.table(), session);
      SelectStatement st = new SelectStatement(t, sel);
      return st.action(cl, clock.nowInSec());
    }
    if (s instanceof Ast.Batch b) return batch(b, session, schema, clock, cl);
    return modification(s, session, schema, clock, cl, serial, null);
  }

  private static Schema copy(Schema schema) {
    Schema s = new Schema();
    schema.keyspaces().forEach(s::addKeyspace);
    schema.tables().forEach(s::addTable);
    return s;
  }

  static TableMetadata table(Schema schema, String ks, String name, Session session) {
    String keyspace = Ddl.keyspaceOf(ks, session.keyspace());
    if (schema.keyspace(keyspace) == null) throw new CqlException.Invalid("keyspace " + keyspace + " does not exist");
    TableMetadata t = schema.table(keyspace, name);
    if (t == null) throw new CqlException.Invalid("table " + name + " does not exist");
    return t;
  }

  private static Action batch(Ast.Batch b, Session session, Schema schema, Clock clock, ConsistencyLevel cl) {
    List<Mutation> all = new ArrayList<>();
    boolean counter = false;
    Long ts = b.using().timestamp() == null ? null : Values.integer(b.using().timestamp(), "timestamp");
    long batchTs = ts != null ? ts : session.nextTimestamp(clock.micros());
    for (Statement s : b.statements()) {
      Action a = modification(s, session, schema, clock, cl, ConsistencyLevel.SERIAL, batchTs);
      if (a instanceof Action.Write w) {
        all.addAll(w.mutations());
        counter |= w.counter();
      } else {
        throw new CqlException.Invalid("Conditional statements in batches are not supported by this simulator");
      }
    }
    if (counter && !b.type().equals("COUNTER")) throw new CqlException.Invalid("Cannot include a counter statement in a logged batch");
    if (!counter && b.type().equals("COUNTER")) throw new CqlException.Invalid("Cannot include non-counter statement in a counter batch");
    return new Action.Write(all, cl, counter, new StatementResult.Ok());
  }

  private static Action modification(Statement s, Session session, Schema schema, Clock clock, ConsistencyLevel cl,
      ConsistencyLevel serial, Long batchTimestamp) {
    String ks;
    String name;
    Ast.Using using;
    Ast.Conditions conditions;
    if (s instanceof Ast.Insert i) {
      ks = i.keyspace();
      name = i.table();
      using = i.using();
      conditions = i.ifNotExists() ? new Ast.Conditions(true, false, List.of()) : Ast.Conditions.NONE;
    } else if (s instanceof Ast.Update u) {
      ks = u.keyspace();
      name = u.table();
      using = u.using();
      conditions = u.conditions();
    } else if (s instanceof Ast.Delete d) {
      ks = d.keyspace();
      name = d.table();
      using = d.using();
      conditions = d.conditions();
    } else {
      throw new CqlException.Invalid("Unsupported statement " + s.getClass().getSimpleName());
    }
    TableMetadata t = table(schema, ks, name, session);
    if (conditions.any() && using.timestamp() != null) throw new CqlException.Invalid("Cannot provide custom timestamp for conditional updates");
    int ttl = t.defaultTimeToLive();
    if (using.ttl() != null) {
      long v = Values.integer(using.ttl(), "TTL");
      if (v < 0) throw new CqlException.Invalid("A TTL must be greater or equal to 0, but was " + v);
      if (v > 630_720_000) throw new CqlException.Invalid("ttl is too large. requested (" + v + ") maximum (630720000)");
      ttl = (int) v;
    }
    if (t.isCounterTable() && using.ttl() != null) throw new CqlException.Invalid("Cannot set TTL on counter update");
    long ts = batchTimestamp != null ? batchTimestamp
        : using.timestamp() != null ? Values.integer(using.timestamp(), "timestamp") : session.nextTimestamp(clock.micros());
    WritePlan plan = WritePlan.of(s, t);
    if (conditions.any()) return Cas.action(t, plan, conditions, clock, ttl, serial, cl);
    Modifications m = new Modifications(t, ts, clock.nowInSec(), ttl);
    plan.apply(m);
    return new Action.Write(m.mutations(), cl, t.isCounterTable(), new StatementResult.Ok());
  }

  // ---- shared helpers for write plans ----

  static Map<ColumnMetadata, Term> insertValues(Ast.Insert i, TableMetadata t) {
    if (i.columns().size() != i.values().size()) throw new CqlException.Invalid("Unmatched column names/values");
    if (t.isCounterTable()) throw new CqlException.Invalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
    Map<ColumnMetadata, Term> values = new LinkedHashMap<>();
    for (int k = 0; k < i.columns().size(); k++) {
      ColumnMetadata c = t.column(i.columns().get(k));
      if (c == null) throw new CqlException.Invalid("Undefined column name " + i.columns().get(k) + " in table " + t.qualifiedName());
      if (values.put(c, i.values().get(k)) != null) throw new CqlException.Invalid("Multiple definitions found for column " + c.name());
    }
    List<String> missingPk = new ArrayList<>();
    for (ColumnMetadata c : t.partitionKey()) if (!values.containsKey(c)) missingPk.add(c.name());
    if (!missingPk.isEmpty()) throw new CqlException.Invalid("Some partition key parts are missing: " + String.join(", ", missingPk));
    List<String> missingCk = new ArrayList<>();
    for (ColumnMetadata c : t.clusteringColumns()) if (!values.containsKey(c)) missingCk.add(c.name());
    if (!missingCk.isEmpty()) throw new CqlException.Invalid("Some clustering keys are missing: " + String.join(", ", missingCk));
    return values;
  }

  static List<Bytes> keyComponents(Map<ColumnMetadata, Term> values, List<ColumnMetadata> cols) {
    List<Bytes> out = new ArrayList<>();
    for (ColumnMetadata c : cols) {
      Object v = Values.value(values.get(c), c);
      if (v == null) throw new CqlException.Invalid("Invalid null value in condition for column " + c.name());
      out.add(c.type().serialize(v));
    }
    return out;
  }

  /** The partition keys and (one) clustering a WHERE names for UPDATE / DELETE. */
  record Target(List<DecoratedKey> keys, Clustering clustering, Slice slice, boolean wholePartition) {}

  static Target target(TableMetadata t, List<Ast.Relation> where, Modifications keys, boolean delete, boolean staticOnly) {
    Restrictions r = Restrictions.analyze(t, where);
    if (r.partitionKeys == null) throw new CqlException.Invalid("Some partition key parts are missing: " + r.missingPartitionKeyParts);
    for (Ast.Relation rel : where) {
      ColumnMetadata c = t.column(rel.columns().get(0));
      if (!c.isPrimaryKey()) throw new CqlException.Invalid("Non PRIMARY KEY columns found in where clause: " + c.name());
    }
    List<DecoratedKey> dks = new ArrayList<>();
    for (List<Bytes> k : r.partitionKeys) dks.add(keys.key(k));
    boolean full = r.fullClustering(t);
    if (!delete && !full && !staticOnly) {
      List<String> missing = new ArrayList<>();
      for (int i = r.clusteringEqualities; i < t.clusteringColumns().size(); i++) missing.add(t.clusteringColumns().get(i).name());
      throw new CqlException.Invalid("Some clustering keys are missing: " + String.join(", ", missing));
    }
    if (full) {
      Slice only = r.slices.get(0);
      if (r.slices.size() > 1) throw new CqlException.Invalid("IN on clustering columns of a modification is not supported by this simulator");
      return new Target(dks, t.clusteringColumns().isEmpty() ? Clustering.EMPTY : only.start(), null, false);
    }
    boolean whole = !r.clusteringRestricted;
    return new Target(dks, null, whole ? null : r.slices.get(0), whole);
  }
}
