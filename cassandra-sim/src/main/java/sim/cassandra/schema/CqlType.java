package sim.cassandra.schema;

import sim.cassandra.db.Bytes;

/**
 * A CQL type: how its values are serialized (the native protocol's and the SSTable's bytes), how they
 * sort (Cassandra's {@code AbstractType.compare}), and how a value prints as a CQL literal (what the Java
 * driver's {@code TypeCodec.format} prints: {@code 'a'}, {@code 1}, {@code {'x':1}}).
 */
public sealed interface CqlType permits NativeType, CollectionType {
  /** The type as CQL writes it: {@code int}, {@code set<text>}. */
  String cql();

  int compare(Bytes a, Bytes b);

  Bytes serialize(Object value);

  Object deserialize(Bytes bytes);

  /** The CQL literal of a (deserialized) value. */
  String format(Object value);

  default boolean isCollection() {
    return false;
  }

  default boolean isCounter() {
    return false;
  }
}
