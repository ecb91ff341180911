package sim.cassandra.db;

import java.util.List;

/** A row's clustering key (empty for tables without clustering columns, and for the static row). */
public record Clustering(List<Bytes> values) {
  public static final Clustering EMPTY = new Clustering(List.of());
  /** The static row's clustering, which sorts before every other. */
  public static final Clustering STATIC = new Clustering(List.of());

  public Clustering {
    values = List.copyOf(values);
  }

  public static Clustering of(Bytes... values) {
    return new Clustering(List.of(values));
  }

  public int size() {
    return values.size();
  }

  public Bytes get(int i) {
    return values.get(i);
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
