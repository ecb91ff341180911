package sim.cassandra.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** The keyspaces and tables a node knows (its copy of the cluster's schema). */
public final class Schema {
  private final TreeMap<String, KeyspaceMetadata> keyspaces = new TreeMap<>();
  private final TreeMap<String, TableMetadata> tables = new TreeMap<>();
  private long version;

  public KeyspaceMetadata keyspace(String name) {
    return keyspaces.get(name);
  }

  public TableMetadata table(String keyspace, String table) {
    return tables.get(keyspace + "." + table);
  }

  public TableMetadata table(String qualified) {
    return tables.get(qualified);
  }

  public List<TableMetadata> tables() {
    return new ArrayList<>(tables.values());
  }

  public List<KeyspaceMetadata> keyspaces() {
    return new ArrayList<>(keyspaces.values());
  }

  public void addKeyspace(KeyspaceMetadata k) {
    keyspaces.put(k.name(), k);
    version++;
  }

  public void addTable(TableMetadata t) {
    tables.put(t.qualifiedName(), t);
    version++;
  }

  public void dropTable(String keyspace, String table) {
    tables.remove(keyspace + "." + table);
    version++;
  }

  public void dropKeyspace(String name) {
    keyspaces.remove(name);
    tables.keySet().removeIf(k -> k.startsWith(name + "."));
    version++;
  }

  public long version() {
    return version;
  }

  /** Parses a CQL type name: {@code int}, {@code set<text>}, {@code map<text, int>}; null if unknown. */
  public static CqlType parseType(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    int lt = t.indexOf('<');
    if (lt < 0) return NativeType.byName(t);
    if (!t.endsWith(">")) return null;
    String base = t.substring(0, lt).strip();
    String inner = t.substring(lt + 1, t.length() - 1);
    switch (base) {
      case "set", "list" -> {
        CqlType e = parseType(inner);
        if (e == null) return null;
        return base.equals("set") ? CollectionType.set(e) : CollectionType.list(e);
      }
      case "map" -> {
        int comma = topLevelComma(inner);
        if (comma < 0) return null;
        CqlType k = parseType(inner.substring(0, comma));
        CqlType v = parseType(inner.substring(comma + 1));
        return k == null || v == null ? null : CollectionType.map(k, v);
      }
      default -> {
        return null;
      }
    }
  }

  private static int topLevelComma(String s) {
    int depth = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '<') depth++;
      else if (c == '>') depth--;
      else if (c == ',' && depth == 0) return i;
    }
    return -1;
  }
}
