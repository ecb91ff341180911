package sim.cassandra.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import sim.cassandra.db.Bytes;

/** The scalar CQL types the simulator supports, with Cassandra's serializations and comparators. */
public enum NativeType implements CqlType {
  ASCII("ascii"), BIGINT("bigint"), BLOB("blob"), BOOLEAN("boolean"), COUNTER("counter"), DECIMAL("decimal"),
  DOUBLE("double"), FLOAT("float"), INT("int"), SMALLINT("smallint"), TEXT("text"), TIMESTAMP("timestamp"),
  TINYINT("tinyint"), UUID("uuid"), VARINT("varint");

  private static final DateTimeFormatter TIMESTAMP_FORMAT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final String cql;

  NativeType(String cql) {
    this.cql = cql;
  }

  public static NativeType byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals("varchar")) return TEXT;
    for (NativeType t : values()) if (t.cql.equals(n)) return t;
    return null;
  }

  @Override
  public String cql() {
    return cql;
  }

  @Override
  public boolean isCounter() {
    return this == COUNTER;
  }

  @Override
  public int compare(Bytes a, Bytes b) {
    if (a.isEmpty() || b.isEmpty()) return Boolean.compare(!a.isEmpty(), !b.isEmpty());
    return switch (this) {
      case INT -> Integer.compare(a.buffer().getInt(), b.buffer().getInt());
      case BIGINT, COUNTER, TIMESTAMP -> Long.compare(a.buffer().getLong(), b.buffer().getLong());
      case SMALLINT -> Short.compare(a.buffer().getShort(), b.buffer().getShort());
      case TINYINT -> Byte.compare(a.get(0), b.get(0));
      case DOUBLE -> Double.compare(a.buffer().getDouble(), b.buffer().getDouble());
      case FLOAT -> Float.compare(a.buffer().getFloat(), b.buffer().getFloat());
      case VARINT -> new BigInteger(a.unsafeArray()).compareTo(new BigInteger(b.unsafeArray()));
      case DECIMAL -> ((BigDecimal) deserialize(a)).compareTo((BigDecimal) deserialize(b));
      case UUID -> compareUuid(a, b);
      default -> a.compareTo(b);
    };
  }

  /** UUIDType's order: version, then (for version 1) the timestamp, then the rest unsigned. */
  private static int compareUuid(Bytes a, Bytes b) {
    long msb1 = a.buffer().getLong();
    long msb2 = b.buffer().getLong();
    int v1 = (int) ((msb1 >>> 12) & 0xf);
    int v2 = (int) ((msb2 >>> 12) & 0xf);
    if (v1 != v2) return v1 - v2;
    int c = v1 == 1 ? Long.compare(reorder(msb1), reorder(msb2)) : Long.compareUnsigned(msb1, msb2);
    if (c != 0) return c;
    return Long.compareUnsigned(a.buffer().getLong(8), b.buffer().getLong(8));
  }

  private static long reorder(long msb) {
    return ((msb & 0x0FFFL) << 48) | ((msb & 0xFFFF0000L) << 16) | (msb >>> 32);
  }

  @Override
  public Bytes serialize(Object v) {
    return switch (this) {
      case ASCII, TEXT -> Bytes.wrap(((String) v).getBytes(StandardCharsets.UTF_8));
      case BIGINT, COUNTER, TIMESTAMP -> Bytes.ofLong((Long) v);
      case BLOB -> (Bytes) v;
      case BOOLEAN -> Bytes.wrap(new byte[] {(byte) ((Boolean) v ? 1 : 0)});
      case DECIMAL -> {
        BigDecimal d = (BigDecimal) v;
        byte[] unscaled = d.unscaledValue().toByteArray();
        yield Bytes.wrap(ByteBuffer.allocate(4 + unscaled.length).putInt(d.scale()).put(unscaled).array());
      }
      case DOUBLE -> Bytes.wrap(ByteBuffer.allocate(8).putDouble((Double) v).array());
      case FLOAT -> Bytes.wrap(ByteBuffer.allocate(4).putFloat((Float) v).array());
      case INT -> Bytes.wrap(ByteBuffer.allocate(4).putInt((Integer) v).array());
      case SMALLINT -> Bytes.wrap(ByteBuffer.allocate(2).putShort((Short) v).array());
      case TINYINT -> Bytes.wrap(new byte[] {(Byte) v});
      case UUID -> {
        UUID u = (UUID) v;
        yield Bytes.wrap(ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array());
      }
      case VARINT -> Bytes.wrap(((BigInteger) v).toByteArray());
    };
  }

  @Override
  public Object deserialize(Bytes b) {
    ByteBuffer buf = b.buffer();
    return switch (this) {
      case ASCII, TEXT -> b.utf8();
      case BIGINT, COUNTER, TIMESTAMP -> buf.getLong();
      case BLOB -> b;
      case BOOLEAN -> b.get(0) != 0;
      case DECIMAL -> {
        int scale = buf.getInt();
        byte[] rest = Arrays.copyOfRange(b.unsafeArray(), 4, b.length());
        yield new BigDecimal(new BigInteger(rest), scale);
      }
      case DOUBLE -> buf.getDouble();
      case FLOAT -> buf.getFloat();
      case INT -> buf.getInt();
      case SMALLINT -> buf.getShort();
      case TINYINT -> b.get(0);
      case UUID -> new UUID(buf.getLong(), buf.getLong());
      case VARINT -> new BigInteger(b.unsafeArray());
    };
  }

  @Override
  public String format(Object v) {
    if (v == null) return "NULL";
    return switch (this) {
      case ASCII, TEXT -> quote((String) v);
      case BLOB -> "0x" + ((Bytes) v).hex();
      case TIMESTAMP -> quote(TIMESTAMP_FORMAT.format(Instant.ofEpochMilli((Long) v)));
      case DECIMAL -> ((BigDecimal) v).toString();
      default -> v.toString();
    };
  }

  /** The driver's {@code ParseUtils.quote}: single quotes, with inner quotes doubled. */
  static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}
