package sim.cassandra.schema;

/** One column of a table: its name, type and role, and (for keys) its position. */
public record ColumnMetadata(String name, CqlType type, Kind kind, int position, boolean reversed) {
  public enum Kind { PARTITION_KEY, CLUSTERING, STATIC, REGULAR }

  public boolean isPrimaryKey() {
    return kind == Kind.PARTITION_KEY || kind == Kind.CLUSTERING;
  }

  public boolean isStatic() {
    return kind == Kind.STATIC;
  }

  public boolean isComplex() {
    return type.isCollection();
  }
}
