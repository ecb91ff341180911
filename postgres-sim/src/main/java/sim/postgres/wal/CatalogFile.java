package sim.postgres.wal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.postgres.heap.Table;
import sim.postgres.sql.Ast.ColumnDef;
import sim.postgres.sql.Ast.SqlType;

/**
 * {@code global/pg_class}: the catalog (tables, columns, indexes, fillfactor) as one line per table. The
 * same bytes are the payload of the WAL's catalog record, so a standby learns DDL by replay. (PostgreSQL
 * keeps pg_class, pg_attribute and pg_index as heap relations; this is the simplification the README names.)
 */
final class CatalogFile {
  private CatalogFile() {}

  static byte[] encode(Map<String, Table> tables) {
    StringBuilder b = new StringBuilder();
    for (Table t : tables.values()) {
      b.append(t.oid).append('|').append(t.name).append('|');
      for (int i = 0; i < t.columns.size(); i++) {
        ColumnDef c = t.columns.get(i);
        b.append(i > 0 ? "," : "").append(c.name()).append(':').append(c.type().name()).append(':').append(c.notNull());
      }
      b.append('|');
      for (int i = 0; i < t.indexes.size(); i++) {
        Table.Index ix = t.indexes.get(i);
        b.append(i > 0 ? ";" : "").append(ix.name()).append(':').append(ix.oid()).append(':');
        for (int j = 0; j < ix.columns().size(); j++) b.append(j > 0 ? "," : "").append(ix.columns().get(j));
        b.append(':').append(ix.unique()).append(':').append(ix.primary());
      }
      b.append('|').append(t.fillfactor);
      if (!t.brinIndexes.isEmpty()) {
        b.append('|');
        for (int i = 0; i < t.brinIndexes.size(); i++) {
          Table.Brin x = t.brinIndexes.get(i);
          b.append(i > 0 ? ";" : "").append(x.name()).append(':').append(x.oid()).append(':').append(x.column()).append(':').append(x.pagesPerRange());
        }
      }
      b.append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, Table> decode(String text) {
    Map<String, Table> out = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) continue;
      String[] f = line.split("\\|", -1);
      List<ColumnDef> cols = new ArrayList<>();
      for (String c : f[2].split(",")) {
        String[] p = c.split(":");
        cols.add(new ColumnDef(p[0], SqlType.valueOf(p[1]), Boolean.parseBoolean(p[2])));
      }
      Table t = new Table(f[1], Integer.parseInt(f[0]), cols);
      if (f.length > 4) t.fillfactor = Integer.parseInt(f[4]);
      if (!f[3].isEmpty()) {
        for (String ix : f[3].split(";")) {
          String[] p = ix.split(":");
          List<Integer> ixCols = new ArrayList<>();
          for (String n : p[2].split(",")) ixCols.add(Integer.parseInt(n));
          t.indexes.add(new Table.Index(p[0], Integer.parseInt(p[1]), ixCols, Boolean.parseBoolean(p[3]), Boolean.parseBoolean(p[4])));
        }
      }
      if (f.length > 5) {
        for (String x : f[5].split(";")) {
          String[] p = x.split(":");
          t.brinIndexes.add(new Table.Brin(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3])));
        }
      }
      out.put(t.name, t);
    }
    return out;
  }
}
