package sim.cassandra.schema;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.cassandra.db.Bytes;

/**
 * A non-frozen collection column: each element is its own cell, keyed by a cell path (the set element,
 * the map key, a timeuuid for a list element). The whole value, when it travels (native protocol, an IN
 * list), is serialized as an int count followed by int-length-prefixed elements.
 */
public record CollectionType(Kind kind, CqlType keys, CqlType values) implements CqlType {
  public enum Kind { SET, LIST, MAP }

  public static CollectionType set(CqlType elements) {
    return new CollectionType(Kind.SET, elements, null);
  }

  public static CollectionType list(CqlType elements) {
    return new CollectionType(Kind.LIST, null, elements);
  }

  public static CollectionType map(CqlType k, CqlType v) {
    return new CollectionType(Kind.MAP, k, v);
  }

  @Override
  public boolean isCollection() {
    return true;
  }

  /** The type a cell's path sorts by: the element (set), the key (map), timeuuid order (list). */
  public CqlType pathType() {
    return kind == Kind.LIST ? NativeType.BLOB : keys;
  }

  /** The type of a cell's value: nothing for a set, the element for a list, the value for a map. */
  public CqlType cellValueType() {
    return kind == Kind.SET ? NativeType.BLOB : values;
  }

  @Override
  public String cql() {
    return switch (kind) {
      case SET -> "set<" + keys.cql() + ">";
      case LIST -> "list<" + values.cql() + ">";
      case MAP -> "map<" + keys.cql() + ", " + values.cql() + ">";
    };
  }

  @Override
  public int compare(Bytes a, Bytes b) {
    return a.compareTo(b);
  }

  /** A set/list value is a {@code List} (in order), a map value a {@code LinkedHashMap} (in key order). */
  @Override
  public Bytes serialize(Object value) {
    List<Bytes> parts = new ArrayList<>();
    if (kind == Kind.MAP) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        parts.add(keys.serialize(e.getKey()));
        parts.add(values.serialize(e.getValue()));
      }
    } else {
      CqlType t = kind == Kind.SET ? keys : values;
      for (Object o : (List<?>) value) parts.add(t.serialize(o));
    }
    int size = 4;
    for (Bytes p : parts) size += 4 + p.length();
    ByteBuffer b = ByteBuffer.allocate(size).putInt(kind == Kind.MAP ? parts.size() / 2 : parts.size());
    for (Bytes p : parts) b.putInt(p.length()).put(p.unsafeArray());
    return Bytes.wrap(b.array());
  }

  @Override
  public Object deserialize(Bytes bytes) {
    ByteBuffer b = bytes.buffer();
    int n = b.getInt();
    if (kind == Kind.MAP) {
      Map<Object, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) m.put(keys.deserialize(read(b)), values.deserialize(read(b)));
      return m;
    }
    CqlType t = kind == Kind.SET ? keys : values;
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(t.deserialize(read(b)));
    return out;
  }

  private static Bytes read(ByteBuffer b) {
    byte[] d = new byte[b.getInt()];
    b.get(d);
    return Bytes.wrap(d);
  }

  /** The driver's format: {@code {'a','b'}}, {@code [1,2]}, {@code {'x':1}} (no spaces). */
  @Override
  public String format(Object value) {
    StringBuilder s = new StringBuilder(kind == Kind.LIST ? "[" : "{");
    boolean first = true;
    if (kind == Kind.MAP) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) s.append(',');
        first = false;
        s.append(keys.format(e.getKey())).append(':').append(values.format(e.getValue()));
      }
    } else {
      CqlType t = kind == Kind.SET ? keys : values;
      for (Object o : (List<?>) value) {
        if (!first) s.append(',');
        first = false;
        s.append(t.format(o));
      }
    }
    return s.append(kind == Kind.LIST ? "]" : "}").toString();
  }
}
