package sim.cassandra.cql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import sim.cassandra.cql.Ast.Literal;
import sim.cassandra.cql.Ast.Term;
import sim.cassandra.db.Bytes;
import sim.cassandra.schema.CollectionType;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.CqlType;
import sim.cassandra.schema.NativeType;

/** Turns CQL literals into typed values for a column, with Cassandra's messages for the ones that do not fit. */
public final class Values {
  private Values() {}

  /** The Java value of {@code term} for the column (null for {@code null}). */
  public static Object value(Term term, ColumnMetadata col) {
    return value(term, col.type(), col.name());
  }

  public static Object value(Term term, CqlType type, String receiver) {
    if (term instanceof Ast.Null) return null;
    if (type instanceof CollectionType ct) return collection(term, ct, receiver);
    if (!(term instanceof Literal l)) {
      throw new CqlException.Invalid("Invalid " + literalKind(term) + " literal for " + receiver + " of type " + type.cql());
    }
    NativeType t = (NativeType) type;
    try {
      Object v = scalar(l, t);
      if (v != null) return v;
    } catch (NumberFormatException | DateTimeParseException e) {
      // falls through to Cassandra's message
    }
    throw new CqlException.Invalid(String.format("Invalid %s constant (%s) for \"%s\" of type %s", l.kind(), l.text(), receiver, t.cql()));
  }

  private static String literalKind(Term t) {
    if (t instanceof Ast.ListLiteral) return "list";
    if (t instanceof Ast.SetLiteral) return "set";
    if (t instanceof Ast.MapLiteral || t instanceof Ast.EmptyBraces) return "map";
    return "tuple";
  }

  private static Object scalar(Literal l, NativeType t) {
    String s = l.text();
    return switch (t) {
      case ASCII, TEXT -> l.kind() == Token.Kind.STRING ? s : null;
      case INT -> l.kind() == Token.Kind.INTEGER ? Integer.valueOf(Integer.parseInt(s)) : null;
      case BIGINT, COUNTER -> l.kind() == Token.Kind.INTEGER ? Long.valueOf(Long.parseLong(s)) : null;
      case SMALLINT -> l.kind() == Token.Kind.INTEGER ? Short.valueOf(Short.parseShort(s)) : null;
      case TINYINT -> l.kind() == Token.Kind.INTEGER ? Byte.valueOf(Byte.parseByte(s)) : null;
      case VARINT -> l.kind() == Token.Kind.INTEGER ? new BigInteger(s) : null;
      case DOUBLE -> number(l) ? Double.valueOf(Double.parseDouble(s)) : null;
      case FLOAT -> number(l) ? Float.valueOf(Float.parseFloat(s)) : null;
      case DECIMAL -> number(l) ? new BigDecimal(s) : null;
      case BOOLEAN -> l.kind() == Token.Kind.BOOLEAN ? Boolean.valueOf(Boolean.parseBoolean(s)) : null;
      case UUID -> l.kind() == Token.Kind.UUID ? UUID.fromString(s) : null;
      case BLOB -> l.kind() == Token.Kind.HEX ? Bytes.wrap(HexFormat.of().parseHex(s.length() % 2 == 0 ? s : "0" + s)) : null;
      case TIMESTAMP -> timestamp(l);
    };
  }

  private static boolean number(Literal l) {
    return l.kind() == Token.Kind.INTEGER || l.kind() == Token.Kind.FLOAT;
  }

  private static Long timestamp(Literal l) {
    if (l.kind() == Token.Kind.INTEGER) return Long.parseLong(l.text());
    if (l.kind() != Token.Kind.STRING) return null;
    String s = l.text().strip().replace(' ', 'T');
    if (s.length() == 10) return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    if (s.endsWith("Z") || s.matches(".*[+-]\\d\\d:?\\d\\d$")) {
      if (s.matches(".*[+-]\\d\\d\\d\\d$")) s = s.substring(0, s.length() - 2) + ":" + s.substring(s.length() - 2);
      return java.time.OffsetDateTime.parse(s).toInstant().toEpochMilli();
    }
    return Instant.parse(s + "Z").toEpochMilli();
  }

  private static Object collection(Term term, CollectionType ct, String receiver) {
    switch (ct.kind()) {
      case SET -> {
        if (term instanceof Ast.EmptyBraces) return List.of();
        if (!(term instanceof Ast.SetLiteral s)) throw new CqlException.Invalid("Invalid " + literalKind(term) + " literal for " + receiver + " of type " + ct.cql());
        List<Object> out = new ArrayList<>();
        for (Term e : s.elements()) out.add(element(e, ct.keys(), receiver));
        return out;
      }
      case LIST -> {
        if (!(term instanceof Ast.ListLiteral s)) throw new CqlException.Invalid("Invalid " + literalKind(term) + " literal for " + receiver + " of type " + ct.cql());
        List<Object> out = new ArrayList<>();
        for (Term e : s.elements()) out.add(element(e, ct.values(), receiver));
        return out;
      }
      default -> {
        if (term instanceof Ast.EmptyBraces) return new LinkedHashMap<>();
        if (!(term instanceof Ast.MapLiteral m)) throw new CqlException.Invalid("Invalid " + literalKind(term) + " literal for " + receiver + " of type " + ct.cql());
        Map<Object, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < m.keys().size(); i++) out.put(element(m.keys().get(i), ct.keys(), receiver), element(m.values().get(i), ct.values(), receiver));
        return out;
      }
    }
  }

  private static Object element(Term t, CqlType type, String receiver) {
    if (t instanceof Ast.Null) throw new CqlException.Invalid("null is not supported inside collections");
    return value(t, type, receiver);
  }

  /** Whole-number literal ({@code USING TIMESTAMP}, {@code TTL}, {@code LIMIT}). */
  public static long integer(Term t, String what) {
    if (t instanceof Literal l && l.kind() == Token.Kind.INTEGER) {
      try {
        return Long.parseLong(l.text());
      } catch (NumberFormatException e) {
        // below
      }
    }
    throw new CqlException.Invalid("Invalid " + what + " value");
  }
}
