package sim.cassandra.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Cell;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.ComplexColumn;
import sim.cassandra.db.DeletionTime;
import sim.cassandra.db.Partition;
import sim.cassandra.db.RangeTombstones;
import sim.cassandra.db.Row;
import sim.cassandra.db.Slice;
import sim.cassandra.sstable.ClusteringPrefix;

/**
 * One line per partition, row, cell, complex deletion and range tombstone marker, with every value in hex
 * and every timestamp, TTL and deletion time in full: what {@link RealSSTableDump} prints from Cassandra's
 * reader and what {@link #of} prints from the simulator's partitions, so the two compare as text.
 */
public final class SSTableDumpFormat {
  private SSTableDumpFormat() {}

  static String partition(String keyHex, String deletion) {
    return "P key=" + keyHex + " del=" + deletion;
  }

  static String row(String tag, List<String> clustering, long ts, int ttl, long ldt, String deletion) {
    return "  " + tag + " ck=" + String.join(":", clustering) + " live=" + ts + "," + ttl + "," + ldt + " del=" + deletion;
  }

  static String cell(String column, String pathHex, String valueHex, long ts, int ttl, long ldt) {
    return "    C " + column + " path=" + (pathHex == null ? "-" : pathHex) + " v=" + valueHex + " ts=" + ts + " ttl=" + ttl + " ldt=" + ldt;
  }

  static String complexDeletion(String column, String deletion) {
    return "    X " + column + " del=" + deletion;
  }

  static String marker(String kind, List<String> clustering, String close, String open) {
    return "  M " + kind + " ck=" + String.join(":", clustering) + " close=" + (close == null ? "-" : close) + " open=" + (open == null ? "-" : open);
  }

  static String stats(long rows, long minTs, long maxTs, int minTtl, int maxTtl, long partitions, long cellCounts, long cardinality) {
    return "STATS rows=" + rows + " timestamps=" + minTs + ".." + maxTs + " ttls=" + minTtl + ".." + maxTtl + " partitions=" + partitions
        + " cell-counts=" + cellCounts + " cardinality=" + cardinality;
  }

  /**
   * The STATS line the partitions call for, counted here independently of the writer: rows (a non-empty
   * static row counts), the timestamp range over markers, deletions and cells, the TTL range over markers
   * and cells, one size and one cell count per partition; a HyperLogLog over a few hundred keys counts
   * them exactly.
   */
  public static String statsOf(List<Partition> partitions) {
    long rows = 0;
    long[] ts = {Long.MAX_VALUE, Long.MIN_VALUE};
    int[] ttl = {Integer.MAX_VALUE, Integer.MIN_VALUE};
    for (Partition p : partitions) {
      if (!p.deletion().isLive()) widen(ts, p.deletion().markedForDeleteAt());
      for (DeletionTime d : p.rangeTombstones().values()) widen(ts, d.markedForDeleteAt());
      List<Row> all = new ArrayList<>(p.rows().values());
      if (p.staticRow() != null && !p.staticRow().isEmpty()) all.add(p.staticRow());
      for (Row r : all) {
        rows++;
        if (!r.liveness().isEmpty()) {
          widen(ts, r.liveness().timestamp());
          widen(ttl, r.liveness().ttl());
        }
        if (!r.deletion().isLive()) widen(ts, r.deletion().markedForDeleteAt());
        List<Cell> cells = new ArrayList<>(r.cells().values());
        for (ComplexColumn cc : r.complex().values()) {
          if (!cc.deletion().isLive()) widen(ts, cc.deletion().markedForDeleteAt());
          cells.addAll(cc.cells().values());
        }
        for (Cell c : cells) {
          widen(ts, c.timestamp());
          widen(ttl, c.ttl());
        }
      }
    }
    return stats(rows, ts[0], ts[1], ttl[0] == Integer.MAX_VALUE ? 0 : ttl[0], ttl[1] == Integer.MIN_VALUE ? 0 : ttl[1], partitions.size(),
        partitions.size(), partitions.size());
  }

  private static void widen(long[] range, long v) {
    range[0] = Math.min(range[0], v);
    range[1] = Math.max(range[1], v);
  }

  private static void widen(int[] range, int v) {
    range[0] = Math.min(range[0], v);
    range[1] = Math.max(range[1], v);
  }

  static String deletion(long markedForDeleteAt, long localDeletionTime) {
    return markedForDeleteAt + "," + localDeletionTime;
  }

  /** The lines of the simulator's partitions, in token order (as an SSTable holds them). */
  public static String of(List<Partition> partitions) {
    List<Partition> sorted = new ArrayList<>(partitions);
    sorted.sort((a, b) -> a.key().compareTo(b.key()));
    StringBuilder out = new StringBuilder();
    for (Partition p : sorted) {
      out.append(partition(hex(p.key().key()), del(p.deletion()))).append('\n');
      if (p.staticRow() != null && !p.staticRow().isEmpty()) row("S", p.staticRow(), out);
      List<Object[]> markers = markers(p);
      int m = 0;
      for (Row r : p.rows().values()) {
        while (m < markers.size() && RangeTombstones.compare((RangeTombstones.Position) markers.get(m)[0], r.clustering(), p.order()) < 0) {
          out.append((String) markers.get(m++)[1]).append('\n');
        }
        row("R", r, out);
      }
      while (m < markers.size()) out.append((String) markers.get(m++)[1]).append('\n');
    }
    return out.toString();
  }

  /** The markers the canonical range tombstones stand for: a bound at each end, a boundary where two meet. */
  private static List<Object[]> markers(Partition p) {
    List<Object[]> out = new ArrayList<>();
    RangeTombstones.Position lastEnd = null;
    DeletionTime lastDel = null;
    for (Map.Entry<Slice, DeletionTime> e : p.rangeTombstones().entrySet()) {
      RangeTombstones.Position s = RangeTombstones.start(e.getKey());
      if (lastEnd != null && RangeTombstones.compare(lastEnd, s, p.order()) == 0) {
        out.add(new Object[] {s, marker(ClusteringPrefix.markerKind(s, true, true).name(), values(s.prefix()), del(lastDel), del(e.getValue()))});
      } else {
        if (lastEnd != null) out.add(new Object[] {lastEnd, marker(ClusteringPrefix.markerKind(lastEnd, true, false).name(), values(lastEnd.prefix()), del(lastDel), null)});
        out.add(new Object[] {s, marker(ClusteringPrefix.markerKind(s, false, true).name(), values(s.prefix()), null, del(e.getValue()))});
      }
      lastEnd = RangeTombstones.end(e.getKey());
      lastDel = e.getValue();
    }
    if (lastEnd != null) out.add(new Object[] {lastEnd, marker(ClusteringPrefix.markerKind(lastEnd, true, false).name(), values(lastEnd.prefix()), del(lastDel), null)});
    return out;
  }

  private static void row(String tag, Row r, StringBuilder out) {
    out.append(row(tag, values(r.clustering()), r.liveness().timestamp(), r.liveness().ttl(), r.liveness().localExpirationTime(), del(r.deletion())))
        .append('\n');
    List<String> lines = new ArrayList<>();
    for (Map.Entry<String, Cell> e : r.cells().entrySet()) lines.add(cell(e.getKey(), e.getValue()));
    for (Map.Entry<String, ComplexColumn> e : r.complex().entrySet()) {
      if (!e.getValue().deletion().isLive()) lines.add(complexDeletion(e.getKey(), del(e.getValue().deletion())));
      for (Cell c : e.getValue().cells().values()) lines.add(cell(e.getKey(), c));
    }
    Collections.sort(lines);
    for (String line : lines) out.append(line).append('\n');
  }

  private static String cell(String column, Cell c) {
    return cell(column, c.path() == null ? null : hex(c.path()), hex(c.value()), c.timestamp(), c.ttl(), c.localDeletionTime());
  }

  private static List<String> values(Clustering c) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) out.add(hex(c.get(i)));
    return out;
  }

  private static String del(DeletionTime d) {
    return deletion(d.markedForDeleteAt(), d.localDeletionTime());
  }

  private static String hex(Bytes b) {
    return HexFormat.of().formatHex(b.unsafeArray());
  }
}
