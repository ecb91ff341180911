package sim.kafka.record;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Kafka's protocol fields, big-endian, as its generated messages write them: fixed-width integers, classic (int16
 * length) and compact (unsigned varint length + 1) strings, bytes, unsigned varints, uuids, compact arrays and tagged
 * fields. The records of {@code __consumer_offsets} and of {@code __cluster_metadata} are written with it.
 */
public class FieldWriter {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public FieldWriter int8(int v) {
    out.write(v);
    return this;
  }

  public FieldWriter int16(int v) {
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public FieldWriter int32(int v) {
    return int16(v >>> 16).int16(v);
  }

  public FieldWriter int64(long v) {
    return int32((int) (v >>> 32)).int32((int) v);
  }

  public FieldWriter string(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int16(b.length);
    out.writeBytes(b);
    return this;
  }

  public FieldWriter nullableString(String s) {
    return s == null ? int16(-1) : string(s);
  }

  public FieldWriter blob(byte[] b) {
    int32(b.length);
    out.writeBytes(b);
    return this;
  }

  public FieldWriter nullableBlob(byte[] b) {
    return b == null ? int32(-1) : blob(b);
  }

  /** An unsigned varint, as flexible versions write lengths and tag counts. */
  public FieldWriter uvarint(int v) {
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
    return this;
  }

  /** A flexible version's string: unsigned varint length + 1, 0 for null. */
  public FieldWriter compactString(String s) {
    if (s == null) return uvarint(0);
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    uvarint(b.length + 1);
    out.writeBytes(b);
    return this;
  }

  /** An empty tagged-field section. */
  public FieldWriter noTags() {
    return uvarint(0);
  }

  public byte[] bytes() {
    return out.toByteArray();
  }

  public FieldWriter uuid(long msb, long lsb) {
    return int64(msb).int64(lsb);
  }

  /** A flexible version's int32 array: unsigned varint length + 1, then the elements. */
  public FieldWriter compactInt32s(int[] values) {
    uvarint(values.length + 1);
    for (int v : values) int32(v);
    return this;
  }

  /** A tagged field: its tag, its size, its bytes (written by {@code value}). */
  public FieldWriter tagged(int tag, FieldWriter value) {
    byte[] b = value.bytes();
    uvarint(tag).uvarint(b.length);
    out.writeBytes(b);
    return this;
  }
}
