package sim.cassandra.sstable;

import java.util.ArrayList;
import java.util.List;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.CqlType;
import sim.cassandra.schema.NativeType;
import sim.cassandra.schema.TableMetadata;

/**
 * CQL types as Cassandra's storage engine names them ({@code org.apache.cassandra.db.marshal.*}, the
 * strings an SSTable's serialization header records) and how it writes their values: a type of fixed
 * length ({@code Int32Type} 4, {@code LongType} 8…) raw, any other with a vint length first.
 */
public final class MarshalTypes {
  public static final String PACKAGE = "org.apache.cassandra.db.marshal.";

  private MarshalTypes() {}

  public static String name(CqlType t) {
    if (t instanceof CollectionType c) {
      return switch (c.kind()) {
        case SET -> PACKAGE + "SetType(" + name(c.keys()) + ")";
        case LIST -> PACKAGE + "ListType(" + name(c.values()) + ")";
        case MAP -> PACKAGE + "MapType(" + name(c.keys()) + "," + name(c.values()) + ")";
      };
    }
    return PACKAGE + switch ((NativeType) t) {
      case ASCII -> "AsciiType";
      case BIGINT -> "LongType";
      case BLOB -> "BytesType";
      case BOOLEAN -> "BooleanType";
      case COUNTER -> "CounterColumnType";
      case DECIMAL -> "DecimalType";
      case DOUBLE -> "DoubleType";
      case FLOAT -> "FloatType";
      case INT -> "Int32Type";
      case SMALLINT -> "ShortType";
      case TEXT -> "UTF8Type";
      case TIMESTAMP -> "TimestampType";
      case TINYINT -> "ByteType";
      case UUID -> "UUIDType";
      case VARINT -> "IntegerType";
    };
  }

  /** A clustering column's type: {@code ReversedType(…)} for CLUSTERING ORDER … DESC. */
  public static String clusteringName(ColumnMetadata c) {
    return c.reversed() ? PACKAGE + "ReversedType(" + name(c.type()) + ")" : name(c.type());
  }

  /** The partition key's type: the column's own, or {@code CompositeType(…)} for a composite key. */
  public static String keyTypeName(TableMetadata t) {
    List<ColumnMetadata> pk = t.partitionKey();
    if (pk.size() == 1) return name(pk.get(0).type());
    StringBuilder b = new StringBuilder(PACKAGE).append("CompositeType(");
    for (int i = 0; i < pk.size(); i++) b.append(i == 0 ? "" : ",").append(name(pk.get(i).type()));
    return b.append(')').toString();
  }

  /** {@code AbstractType.valueLengthIfFixed}: the value's byte count if fixed, else -1. */
  public static int fixedLength(String typeName) {
    String n = unwrapReversed(typeName);
    if (!n.startsWith(PACKAGE) || n.indexOf('(') >= 0) return -1;
    return switch (n.substring(PACKAGE.length())) {
      case "Int32Type", "FloatType" -> 4;
      case "LongType", "DoubleType", "TimestampType", "DateType" -> 8;
      case "BooleanType" -> 1;
      case "UUIDType", "TimeUUIDType", "LexicalUUIDType" -> 16;
      case "EmptyType" -> 0;
      default -> -1;
    };
  }

  /** A non-frozen collection: each element is its own cell. */
  public static boolean isMultiCell(String typeName) {
    return typeName.startsWith(PACKAGE + "SetType(") || typeName.startsWith(PACKAGE + "ListType(")
        || typeName.startsWith(PACKAGE + "MapType(");
  }

  public static boolean isCounter(String typeName) {
    return typeName.equals(PACKAGE + "CounterColumnType");
  }

  static String unwrapReversed(String typeName) {
    String r = PACKAGE + "ReversedType(";
    return typeName.startsWith(r) && typeName.endsWith(")") ? typeName.substring(r.length(), typeName.length() - 1) : typeName;
  }

  /** The CQL type a marshal type name stands for (null for one the simulator does not model). */
  public static CqlType parse(String typeName) {
    String n = unwrapReversed(typeName);
    if (!n.startsWith(PACKAGE)) return null;
    String rest = n.substring(PACKAGE.length());
    int paren = rest.indexOf('(');
    if (paren < 0) {
      for (NativeType t : NativeType.values()) if (name(t).equals(n)) return t;
      return null;
    }
    List<String> args = arguments(rest.substring(paren + 1, rest.length() - 1));
    String outer = rest.substring(0, paren);
    List<CqlType> parsed = new ArrayList<>();
    for (String a : args) {
      CqlType t = parse(a);
      if (t == null) return null;
      parsed.add(t);
    }
    return switch (outer) {
      case "SetType" -> parsed.size() == 1 ? CollectionType.set(parsed.get(0)) : null;
      case "ListType" -> parsed.size() == 1 ? CollectionType.list(parsed.get(0)) : null;
      case "MapType" -> parsed.size() == 2 ? CollectionType.map(parsed.get(0), parsed.get(1)) : null;
      default -> null;
    };
  }

  /** Splits {@code a,b(c,d),e} at the top-level commas. */
  static List<String> arguments(String s) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int from = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') depth++;
      else if (c == ')') depth--;
      else if (c == ',' && depth == 0) {
        out.add(s.substring(from, i).strip());
        from = i + 1;
      }
    }
    if (from < s.length()) out.add(s.substring(from).strip());
    return out;
  }
}
