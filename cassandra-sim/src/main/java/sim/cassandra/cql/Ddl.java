package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.cassandra.cql.Ast.ColumnDef;
import sim.cassandra.cql.Ast.CreateKeyspace;
import sim.cassandra.cql.Ast.CreateTable;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.CqlType;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.schema.Schema;
import sim.cassandra.schema.SpeculativeRetryPolicy;
import sim.cassandra.schema.TableMetadata;

/** Schema statements: validated with Cassandra's messages, then applied to a node's schema. */
public final class Ddl {
  private Ddl() {}

  /** Validates and applies; returns false when IF [NOT] EXISTS made it a no-op. */
  public static boolean apply(Schema schema, Ast.Statement s, String currentKeyspace) {
    if (s instanceof CreateKeyspace ck) return createKeyspace(schema, ck);
    if (s instanceof CreateTable ct) return createTable(schema, ct, currentKeyspace);
    if (s instanceof Ast.DropTable dt) {
      String ks = keyspaceOf(dt.keyspace(), currentKeyspace);
      if (schema.table(ks, dt.name()) == null) {
        if (dt.ifExists()) return false;
        throw new CqlException.Invalid("Table '" + ks + "." + dt.name() + "' doesn't exist");
      }
      schema.dropTable(ks, dt.name());
      return true;
    }
    if (s instanceof Ast.DropKeyspace dk) {
      if (schema.keyspace(dk.name()) == null) {
        if (dk.ifExists()) return false;
        throw new CqlException.ConfigError("Cannot drop non existing keyspace '" + dk.name() + "'.");
      }
      schema.dropKeyspace(dk.name());
      return true;
    }
    throw new IllegalArgumentException("not a schema statement: " + s);
  }

  public static boolean isDdl(Ast.Statement s) {
    return s instanceof CreateKeyspace || s instanceof CreateTable || s instanceof Ast.DropTable || s instanceof Ast.DropKeyspace;
  }

  static String keyspaceOf(String given, String current) {
    String ks = given != null ? given : current;
    if (ks == null) throw new CqlException.Invalid("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
    return ks;
  }

  private static boolean createKeyspace(Schema schema, CreateKeyspace ck) {
    if (schema.keyspace(ck.name()) != null) {
      if (ck.ifNotExists()) return false;
      throw new CqlException.AlreadyExists("Cannot add existing keyspace \"" + ck.name() + "\"");
    }
    Map<String, String> opts = new HashMap<>(ck.replication());
    String cls = opts.remove("class");
    if (cls == null) throw new CqlException.ConfigError("Missing replication strategy class");
    String strategy = cls.substring(cls.lastIndexOf('.') + 1);
    Map<String, Integer> rf = new HashMap<>();
    switch (strategy) {
      case "SimpleStrategy" -> {
        String f = opts.remove("replication_factor");
        if (f == null) throw new CqlException.ConfigError("SimpleStrategy requires a replication_factor strategy option.");
        rf.put("replication_factor", factor(f));
        if (!opts.isEmpty()) throw new CqlException.ConfigError("Unrecognized strategy option {" + String.join(", ", opts.keySet()) + "} passed to SimpleStrategy for keyspace " + ck.name());
      }
      case "NetworkTopologyStrategy" -> {
        for (Map.Entry<String, String> e : opts.entrySet()) rf.put(e.getKey(), factor(e.getValue()));
      }
      default -> throw new CqlException.ConfigError("Unable to find replication strategy class 'org.apache.cassandra.locator." + strategy + "'");
    }
    schema.addKeyspace(new KeyspaceMetadata(ck.name(), strategy, rf));
    return true;
  }

  private static int factor(String s) {
    try {
      int n = Integer.parseInt(s.strip());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new CqlException.ConfigError("Replication factor must be non-negative; found " + s);
    }
  }

  private static boolean createTable(Schema schema, CreateTable ct, String currentKeyspace) {
    String ks = keyspaceOf(ct.keyspace(), currentKeyspace);
    if (schema.keyspace(ks) == null) throw new CqlException.Invalid("Keyspace '" + ks + "' doesn't exist");
    if (schema.table(ks, ct.name()) != null) {
      if (ct.ifNotExists()) return false;
      throw new CqlException.AlreadyExists("Cannot add already existing table \"" + ct.name() + "\" to keyspace \"" + ks + "\"");
    }
    if (ct.partitionKey().isEmpty()) throw new CqlException.Invalid("No PRIMARY KEY specifed for table '" + ct.name() + "' (exactly one required)");
    Map<String, ColumnDef> defs = new HashMap<>();
    for (ColumnDef d : ct.columns()) {
      if (defs.put(d.name(), d) != null) throw new CqlException.Invalid("Duplicate column '" + d.name() + "' declaration for table " + ks + "." + ct.name());
    }
    List<ColumnMetadata> cols = new ArrayList<>();
    for (ColumnDef d : ct.columns()) {
      CqlType type = Schema.parseType(d.type());
      if (type == null) throw new CqlException.Invalid("Unknown type " + d.type());
      int pk = ct.partitionKey().indexOf(d.name());
      int ck = ct.clustering().indexOf(d.name());
      ColumnMetadata.Kind kind;
      int position = 0;
      if (pk >= 0) {
        kind = ColumnMetadata.Kind.PARTITION_KEY;
        position = pk;
      } else if (ck >= 0) {
        kind = ColumnMetadata.Kind.CLUSTERING;
        position = ck;
      } else {
        kind = d.isStatic() ? ColumnMetadata.Kind.STATIC : ColumnMetadata.Kind.REGULAR;
      }
      if (d.isStatic() && ct.clustering().isEmpty()) {
        throw new CqlException.Invalid("Static columns are only useful (and thus allowed) if the table has at least one clustering column");
      }
      if ((pk >= 0 || ck >= 0) && type.isCollection()) throw new CqlException.Invalid("Invalid non-frozen collection type for PRIMARY KEY component " + d.name());
      cols.add(new ColumnMetadata(d.name(), type, kind, position, ct.descending().getOrDefault(d.name(), false)));
    }
    for (String k : ct.partitionKey()) if (!defs.containsKey(k)) throw new CqlException.Invalid("Unknown definition " + k + " referenced in PRIMARY KEY");
    for (String k : ct.clustering()) if (!defs.containsKey(k)) throw new CqlException.Invalid("Unknown definition " + k + " referenced in PRIMARY KEY");
    for (String k : ct.descending().keySet()) {
      if (!ct.clustering().contains(k)) throw new CqlException.Invalid("Missing CLUSTERING ORDER for column " + k);
    }
    int gcGrace = TableMetadata.DEFAULT_GC_GRACE_SECONDS;
    int ttl = 0;
    String compaction = "SizeTieredCompactionStrategy";
    SpeculativeRetryPolicy speculativeRetry = SpeculativeRetryPolicy.DEFAULT;
    for (Map.Entry<String, String> o : ct.options().entrySet()) {
      switch (o.getKey()) {
        case "gc_grace_seconds" -> gcGrace = Integer.parseInt(o.getValue());
        case "default_time_to_live" -> ttl = Integer.parseInt(o.getValue());
        case "compaction" -> compaction = compactionClass(o.getValue());
        case "speculative_retry" -> speculativeRetry = speculativeRetry(o.getValue());
        default -> { } // other table options do not change the model
      }
    }
    schema.addTable(new TableMetadata(ks, ct.name(), cols, gcGrace, ttl, compaction, speculativeRetry));
    return true;
  }

  /** A bad value is a ConfigurationException in Cassandra, which the native protocol reports as CONFIG_ERROR. */
  private static SpeculativeRetryPolicy speculativeRetry(String value) {
    try {
      return SpeculativeRetryPolicy.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CqlException.ConfigError(e.getMessage());
    }
  }

  private static String compactionClass(String mapText) {
    int at = mapText.indexOf("class=");
    if (at < 0) return "SizeTieredCompactionStrategy";
    String rest = mapText.substring(at + 6);
    int end = rest.indexOf(',');
    if (end < 0) end = rest.indexOf('}');
    String cls = rest.substring(0, end).strip();
    return cls.substring(cls.lastIndexOf('.') + 1);
  }
}
