package sim.kafka.raft;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Kafka's binary metadata record frame, as MetadataRecordSerde writes it: unsigned varints frame version (1), api key and
 * record version, then the record in its generated-message schema. Every record here is version 0, a "flexible" version:
 * compact arrays and strings (length + 1 as an unsigned varint), uuids as two int64s, and a tagged-field section at the end
 * (count, then tag, size and bytes per field, written only when the field differs from its default).
 */
final class MetadataCodec {
  static final int FRAME_VERSION = 1;
  static final short REGISTER_BROKER = 0;
  static final short TOPIC = 2;
  static final short PARTITION = 3;
  static final short PARTITION_CHANGE = 5;
  static final short PRODUCER_IDS = 15;
  static final short BROKER_REGISTRATION_CHANGE = 17;

  private MetadataCodec() {}

  /** Writes one record. */
  static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer(short apiKey) {
      uvarint(FRAME_VERSION);
      uvarint(apiKey);
      uvarint(0);
    }

    Writer uvarint(int v) {
      while ((v & ~0x7F) != 0) {
        out.write((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write(v);
      return this;
    }

    Writer int8(int v) {
      out.write(v);
      return this;
    }

    Writer int32(int v) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
      return this;
    }

    Writer int64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
      return this;
    }

    Writer uuid(long msb, long lsb) {
      return int64(msb).int64(lsb);
    }

    Writer string(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      uvarint(b.length + 1);
      out.writeBytes(b);
      return this;
    }

    Writer int32s(int[] values) {
      uvarint(values.length + 1);
      for (int v : values) int32(v);
      return this;
    }

    /** A tagged field: its tag, its size, its bytes (built by {@code value}). */
    Writer tagged(int tag, Writer value) {
      byte[] b = value.out.toByteArray();
      uvarint(tag).uvarint(b.length);
      out.writeBytes(b);
      return this;
    }

    byte[] bytes() {
      return out.toByteArray();
    }

    /** A bare writer for a tagged field's value. */
    static Writer value() {
      return new Writer();
    }

    private Writer() {}
  }

  /** Reads one record. */
  static final class Reader {
    private final ByteBuffer in;
    final short apiKey;
    final short version;

    Reader(byte[] bytes) {
      in = ByteBuffer.wrap(bytes);
      int frame = uvarint();
      if (frame != FRAME_VERSION) throw new IllegalArgumentException("metadata record frame version " + frame);
      apiKey = (short) uvarint();
      version = (short) uvarint();
    }

    int uvarint() {
      int v = 0;
      for (int shift = 0; ; shift += 7) {
        int b = in.get() & 0xFF;
        v |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) return v;
      }
    }

    int int8() {
      return in.get();
    }

    int int32() {
      return in.getInt();
    }

    long int64() {
      return in.getLong();
    }

    boolean bool() {
      return in.get() != 0;
    }

    String string() {
      int n = uvarint() - 1;
      if (n < 0) return null;
      byte[] b = new byte[n];
      in.get(b);
      return new String(b, StandardCharsets.UTF_8);
    }

    int[] int32s() {
      int n = uvarint() - 1;
      if (n < 0) return null;
      int[] out = new int[n];
      for (int i = 0; i < n; i++) out[i] = in.getInt();
      return out;
    }

    /** Skips a compact array of elements without fields we read (EndPoints, Features: written empty). */
    void emptyArray() {
      int n = uvarint() - 1;
      if (n > 0) throw new IllegalArgumentException("expected an empty array, found " + n + " elements");
    }

    /** The tagged fields: tag -> a reader over its bytes. */
    List<int[]> taggedFields() {
      List<int[]> tags = new ArrayList<>();
      int count = uvarint();
      for (int i = 0; i < count; i++) {
        int tag = uvarint();
        int size = uvarint();
        tags.add(new int[] {tag, in.position(), size});
        in.position(in.position() + size);
      }
      return tags;
    }

    /** Positions the reader at a tagged field found by {@link #taggedFields}. */
    void at(int position) {
      in.position(position);
    }
  }
}
