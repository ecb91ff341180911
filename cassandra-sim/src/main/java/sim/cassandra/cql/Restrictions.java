package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.cql.Ast.Relation;
import sim.cassandra.cql.Ast.Term;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.Slice;
import sim.cassandra.ring.Murmur3Partitioner;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;

/**
 * A WHERE clause understood the way Cassandra's {@code StatementRestrictions} does: the partition keys it
 * names (= and IN on every partition key column), or a token range, and the clustering slices it selects
 * (= and IN on a prefix, then at most one slice). Anything else needs ALLOW FILTERING.
 */
final class Restrictions {
  static final String FILTERING = "Cannot execute this query as it might involve data filtering and thus may have unpredictable performance. If you want to execute this query despite the performance unpredictability, use ALLOW FILTERING";

  /** Every partition key named (each a list of component bytes), or null for a scan. */
  List<List<Bytes>> partitionKeys;
  long tokenFromExclusive = Murmur3Partitioner.MINIMUM_TOKEN;
  long tokenToInclusive = Murmur3Partitioner.MAXIMUM_TOKEN;
  boolean tokenRestricted;
  /** The clustering slices selected; one ALL slice when clustering is unrestricted. */
  List<Slice> slices = new ArrayList<>(List.of(Slice.ALL));
  boolean clusteringRestricted;
  /** The number of leading clustering columns fixed by = (full key when equal to the column count). */
  int clusteringEqualities;
  boolean clusteringSliced;
  boolean needsFiltering;
  String missingPartitionKeyParts;

  static Restrictions analyze(TableMetadata t, List<Relation> where) {
    Restrictions r = new Restrictions();
    Map<String, Relation> byColumn = new TreeMap<>();
    List<Relation> clusteringTuples = new ArrayList<>();
    for (Relation rel : where) {
      for (String c : rel.columns()) {
        if (t.column(c) == null) throw new CqlException.Invalid("Undefined column name " + c + " in table " + t.qualifiedName());
      }
      if (rel.token()) {
        r.tokenRestricted = true;
        long v = (Long) Values.value(rel.values().get(0), sim.cassandra.schema.NativeType.BIGINT, "partition key token");
        switch (rel.op()) {
          case ">" -> r.tokenFromExclusive = Math.max(r.tokenFromExclusive, v);
          case ">=" -> r.tokenFromExclusive = Math.max(r.tokenFromExclusive, v - 1);
          case "<" -> r.tokenToInclusive = Math.min(r.tokenToInclusive, v - 1);
          case "<=" -> r.tokenToInclusive = Math.min(r.tokenToInclusive, v);
          case "=" -> {
            r.tokenFromExclusive = v - 1;
            r.tokenToInclusive = v;
          }
          default -> throw new CqlException.Invalid("Unsupported \"" + rel.op() + "\" relation: " + rel);
        }
      } else if (rel.multiColumn()) {
        clusteringTuples.add(rel);
      } else {
        String c = rel.columns().get(0);
        Relation prev = byColumn.get(c);
        if (prev != null && !(isSlice(prev) && isSlice(rel))) {
          throw new CqlException.Invalid(c + " cannot be restricted by more than one relation if it includes an Equal");
        }
        byColumn.merge(c, rel, (a, b) -> new Relation(a.columns(), a.op() + "&" + b.op(), concat(a.values(), b.values()), false));
      }
    }
    r.partition(t, byColumn);
    r.clustering(t, byColumn, clusteringTuples);
    for (String c : byColumn.keySet()) {
      ColumnMetadata col = t.column(c);
      if (!col.isPrimaryKey()) r.needsFiltering = true;
    }
    return r;
  }

  private static boolean isSlice(Relation r) {
    return r.op().equals(">") || r.op().equals(">=") || r.op().equals("<") || r.op().equals("<=");
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private void partition(TableMetadata t, Map<String, Relation> byColumn) {
    List<List<Bytes>> keys = new ArrayList<>(List.of(List.of()));
    List<String> missing = new ArrayList<>();
    boolean any = false;
    for (ColumnMetadata pk : t.partitionKey()) {
      Relation rel = byColumn.get(pk.name());
      if (rel == null) {
        missing.add(pk.name());
        continue;
      }
      any = true;
      if (!rel.op().equals("=") && !rel.op().equals("IN")) {
        needsFiltering = true;
        continue;
      }
      List<List<Bytes>> next = new ArrayList<>();
      for (List<Bytes> prefix : keys) {
        for (Term v : rel.values()) {
          Object val = Values.value(v, pk);
          if (val == null) throw new CqlException.Invalid("Invalid null value in condition for column " + pk.name());
          List<Bytes> k = new ArrayList<>(prefix);
          k.add(pk.type().serialize(val));
          next.add(k);
        }
      }
      keys = next;
    }
    if (missing.isEmpty()) {
      partitionKeys = keys;
    } else {
      missingPartitionKeyParts = String.join(", ", missing);
      if (any) needsFiltering = true;
    }
  }

  private void clustering(TableMetadata t, Map<String, Relation> byColumn, List<Relation> tuples) {
    List<ColumnMetadata> ck = t.clusteringColumns();
    List<List<Bytes>> prefixes = new ArrayList<>(List.of(List.of()));
    int i = 0;
    Relation sliceRel = null;
    for (; i < ck.size(); i++) {
      Relation rel = byColumn.get(ck.get(i).name());
      if (rel == null) break;
      clusteringRestricted = true;
      if (rel.op().equals("=") || rel.op().equals("IN")) {
        List<List<Bytes>> next = new ArrayList<>();
        for (List<Bytes> p : prefixes) {
          for (Term v : rel.values()) {
            List<Bytes> k = new ArrayList<>(p);
            k.add(ck.get(i).type().serialize(Values.value(v, ck.get(i))));
            next.add(k);
          }
        }
        prefixes = next;
        clusteringEqualities = i + 1;
      } else {
        sliceRel = rel;
        i++;
        break;
      }
    }
    for (int j = i; j < ck.size(); j++) {
      if (byColumn.containsKey(ck.get(j).name())) {
        if (partitionKeys != null) {
          throw new CqlException.Invalid("PRIMARY KEY column \"" + ck.get(j).name() + "\" cannot be restricted as preceding column \"" + ck.get(j - 1).name() + "\" is not restricted");
        }
        needsFiltering = true;
      }
    }
    if (clusteringRestricted && partitionKeys == null) needsFiltering = true;
    slices = new ArrayList<>();
    if (!tuples.isEmpty()) {
      clusteringRestricted = true;
      clusteringSliced = true;
      if (partitionKeys == null) needsFiltering = true;
      slices.add(tupleSlice(t, tuples));
      return;
    }
    for (List<Bytes> p : prefixes) {
      if (sliceRel == null) {
        slices.add(p.isEmpty() ? Slice.ALL : Slice.prefix(new Clustering(p)));
      } else {
        clusteringSliced = true;
        slices.add(slice(t, p, sliceRel, ck.get(p.size())));
      }
    }
  }

  /** A slice on the column after the = prefix; a DESC column's lower bound is the slice's end. */
  private static Slice slice(TableMetadata t, List<Bytes> prefix, Relation rel, ColumnMetadata col) {
    String[] ops = rel.op().split("&");
    Clustering p = new Clustering(prefix);
    Clustering lo = p;
    Clustering hi = p;
    boolean loIncl = true;
    boolean hiIncl = true;
    for (int k = 0; k < ops.length; k++) {
      List<Bytes> b = new ArrayList<>(prefix);
      b.add(col.type().serialize(Values.value(rel.values().get(k), col)));
      Clustering bound = new Clustering(b);
      switch (ops[k]) {
        case ">" -> { lo = bound; loIncl = false; }
        case ">=" -> { lo = bound; loIncl = true; }
        case "<" -> { hi = bound; hiIncl = false; }
        case "<=" -> { hi = bound; hiIncl = true; }
        default -> throw new CqlException.Invalid("Unsupported relation " + ops[k]);
      }
    }
    return col.reversed() ? new Slice(hi, hiIncl, lo, loIncl) : new Slice(lo, loIncl, hi, hiIncl);
  }

  private static Slice tupleSlice(TableMetadata t, List<Relation> tuples) {
    Clustering lo = Clustering.EMPTY;
    Clustering hi = Clustering.EMPTY;
    boolean loIncl = true;
    boolean hiIncl = true;
    for (Relation rel : tuples) {
      List<Bytes> b = new ArrayList<>();
      Ast.TupleLiteral tl = (Ast.TupleLiteral) rel.values().get(0);
      for (int k = 0; k < rel.columns().size(); k++) {
        ColumnMetadata c = t.column(rel.columns().get(k));
        b.add(c.type().serialize(Values.value(tl.elements().get(k), c)));
      }
      Clustering bound = new Clustering(b);
      switch (rel.op()) {
        case ">" -> { lo = bound; loIncl = false; }
        case ">=" -> { lo = bound; loIncl = true; }
        case "<" -> { hi = bound; hiIncl = false; }
        case "<=" -> { hi = bound; hiIncl = true; }
        case "=" -> { lo = bound; hi = bound; }
        default -> throw new CqlException.Invalid("Unsupported relation " + rel.op());
      }
    }
    return new Slice(lo, loIncl, hi, hiIncl);
  }

  boolean fullClustering(TableMetadata t) {
    return clusteringEqualities == t.clusteringColumns().size() && !clusteringSliced;
  }
}
