package sim.kafka.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The RecordBatch v2 codec (Kafka's {@code DefaultRecordBatch} and {@code DefaultRecord}), byte for byte:
 *
 * <pre>
 * baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 (2) | crc uint32 (CRC32C)
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 | producerId int64
 * producerEpoch int16 | baseSequence int32 | recordCount int32 | records...
 * record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint
 *         keyLength varint | key | valueLength varint | value | headerCount varint | headers...
 * </pre>
 *
 * The CRC covers attributes to the end, so the leader can stamp baseOffset and partitionLeaderEpoch in
 * place without recomputing it, exactly as Kafka's leader does. Attributes are always 0 here: no
 * compression, CreateTime, not transactional, not a control batch.
 */
public final class RecordBatches {
  public static final int BASE_OFFSET_OFFSET = 0;
  public static final int LENGTH_OFFSET = 8;
  public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
  public static final int MAGIC_OFFSET = 16;
  public static final int CRC_OFFSET = 17;
  public static final int ATTRIBUTES_OFFSET = 21;
  public static final int LAST_OFFSET_DELTA_OFFSET = 23;
  public static final int BASE_TIMESTAMP_OFFSET = 27;
  public static final int MAX_TIMESTAMP_OFFSET = 35;
  public static final int PRODUCER_ID_OFFSET = 43;
  public static final int PRODUCER_EPOCH_OFFSET = 51;
  public static final int BASE_SEQUENCE_OFFSET = 53;
  public static final int RECORDS_COUNT_OFFSET = 57;
  public static final int RECORD_BATCH_OVERHEAD = 61;
  public static final int LOG_OVERHEAD = 12;
  public static final byte MAGIC_V2 = 2;
  public static final long NO_PRODUCER_ID = -1L;
  public static final short NO_PRODUCER_EPOCH = -1;
  public static final int NO_SEQUENCE = -1;
  public static final int NO_PARTITION_LEADER_EPOCH = -1;

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private RecordBatches() {}

  /** Producer fields of a batch; {@link #NONE} for a producer without idempotence. */
  public record ProducerFields(long producerId, short producerEpoch, int baseSequence) {
    public static final ProducerFields NONE = new ProducerFields(NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE);
  }

  // ---- writing -------------------------------------------------------------------------------------

  /** Encodes {@code records} (their offsets are ignored: deltas 0..n-1) into one uncompressed batch. */
  public static byte[] build(long baseOffset, int partitionLeaderEpoch, ProducerFields producer, List<LogRecord> records) {
    if (records.isEmpty()) throw new IllegalArgumentException("a record batch needs at least one record");
    long baseTimestamp = records.get(0).timestamp();
    long maxTimestamp = Long.MIN_VALUE;
    int size = RECORD_BATCH_OVERHEAD;
    int[] bodySizes = new int[records.size()];
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      maxTimestamp = Math.max(maxTimestamp, r.timestamp());
      bodySizes[i] = recordBodySize(i, r.timestamp() - baseTimestamp, r);
      size += Varint.sizeOfVarint(bodySizes[i]) + bodySizes[i];
    }
    byte[] out = new byte[size];
    int pos = RECORD_BATCH_OVERHEAD;
    for (int i = 0; i < records.size(); i++) {
      pos = writeRecord(out, pos, bodySizes[i], i, records.get(i).timestamp() - baseTimestamp, records.get(i));
    }
    LONG.set(out, BASE_OFFSET_OFFSET, baseOffset);
    INT.set(out, LENGTH_OFFSET, size - LOG_OVERHEAD);
    INT.set(out, PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
    out[MAGIC_OFFSET] = MAGIC_V2;
    SHORT.set(out, ATTRIBUTES_OFFSET, (short) 0);
    INT.set(out, LAST_OFFSET_DELTA_OFFSET, records.size() - 1);
    LONG.set(out, BASE_TIMESTAMP_OFFSET, baseTimestamp);
    LONG.set(out, MAX_TIMESTAMP_OFFSET, maxTimestamp);
    LONG.set(out, PRODUCER_ID_OFFSET, producer.producerId());
    SHORT.set(out, PRODUCER_EPOCH_OFFSET, producer.producerEpoch());
    INT.set(out, BASE_SEQUENCE_OFFSET, producer.baseSequence());
    INT.set(out, RECORDS_COUNT_OFFSET, records.size());
    INT.set(out, CRC_OFFSET, (int) crc(out, 0, size));
    return out;
  }

  private static int recordBodySize(int offsetDelta, long timestampDelta, LogRecord r) {
    int size = 1 + Varint.sizeOfVarlong(timestampDelta) + Varint.sizeOfVarint(offsetDelta);
    size += bytesSize(r.key()) + bytesSize(r.value());
    size += Varint.sizeOfVarint(r.headers().size());
    for (Header h : r.headers()) {
      int keyLength = utf8Length(h.key());
      size += Varint.sizeOfVarint(keyLength) + keyLength + bytesSize(h.value());
    }
    return size;
  }

  private static int bytesSize(byte[] b) {
    return b == null ? 1 : Varint.sizeOfVarint(b.length) + b.length;
  }

  private static int utf8Length(String s) {
    for (int i = 0; i < s.length(); i++) if (s.charAt(i) >= 0x80) return s.getBytes(StandardCharsets.UTF_8).length;
    return s.length();
  }

  private static int writeRecord(byte[] out, int pos, int bodySize, int offsetDelta, long timestampDelta, LogRecord r) {
    pos = Varint.writeVarint(out, pos, bodySize);
    out[pos++] = 0;
    pos = Varint.writeVarlong(out, pos, timestampDelta);
    pos = Varint.writeVarint(out, pos, offsetDelta);
    pos = writeBytes(out, pos, r.key());
    pos = writeBytes(out, pos, r.value());
    pos = Varint.writeVarint(out, pos, r.headers().size());
    for (Header h : r.headers()) {
      pos = writeKey(out, pos, h.key());
      pos = writeBytes(out, pos, h.value());
    }
    return pos;
  }

  /** A header key as UTF-8: ASCII keys (the usual ones) straight into the batch, without an intermediate array. */
  @SuppressWarnings("deprecation")
  private static int writeKey(byte[] out, int pos, String key) {
    int length = utf8Length(key);
    if (length != key.length()) return writeBytes(out, pos, key.getBytes(StandardCharsets.UTF_8));
    pos = Varint.writeVarint(out, pos, length);
    // ASCII only here: the low byte of each char is its UTF-8 byte; this copies a compact string's bytes at once.
    key.getBytes(0, length, out, pos);
    return pos + length;
  }

  private static int writeBytes(byte[] out, int pos, byte[] b) {
    if (b == null) return Varint.writeVarint(out, pos, -1);
    pos = Varint.writeVarint(out, pos, b.length);
    System.arraycopy(b, 0, out, pos, b.length);
    return pos + b.length;
  }

  /** Attribute bit 6: the base timestamp is the batch's delete horizon (KIP-534), set by the log cleaner. */
  public static final short DELETE_HORIZON_FLAG = 0x40;

  /**
   * The log cleaner's rewrite of one batch ({@code MemoryRecords.filterTo} with {@code buildRetainedRecordsInto}):
   * the same base offset, last offset, partition leader epoch and producer fields; only {@code retained}
   * records, each at its own offset (compaction leaves gaps). With {@code deleteHorizonMs} ≥ 0 the batch
   * carries it as its base timestamp under attribute bit 6; otherwise the base timestamp is the first
   * retained record's.
   */
  public static byte[] buildRetained(BatchHeader original, List<LogRecord> retained, long deleteHorizonMs) {
    if (retained.isEmpty()) throw new IllegalArgumentException("a rewritten batch keeps at least one record");
    long baseTimestamp = deleteHorizonMs >= 0 ? deleteHorizonMs : retained.get(0).timestamp();
    long maxTimestamp = Long.MIN_VALUE;
    int size = RECORD_BATCH_OVERHEAD;
    int[] bodySizes = new int[retained.size()];
    for (int i = 0; i < retained.size(); i++) {
      LogRecord r = retained.get(i);
      maxTimestamp = Math.max(maxTimestamp, r.timestamp());
      bodySizes[i] = recordBodySize((int) (r.offset() - original.baseOffset()), r.timestamp() - baseTimestamp, r);
      size += Varint.sizeOfVarint(bodySizes[i]) + bodySizes[i];
    }
    byte[] out = new byte[size];
    int pos = RECORD_BATCH_OVERHEAD;
    for (int i = 0; i < retained.size(); i++) {
      LogRecord r = retained.get(i);
      pos = writeRecord(out, pos, bodySizes[i], (int) (r.offset() - original.baseOffset()), r.timestamp() - baseTimestamp, r);
    }
    LONG.set(out, BASE_OFFSET_OFFSET, original.baseOffset());
    INT.set(out, LENGTH_OFFSET, size - LOG_OVERHEAD);
    INT.set(out, PARTITION_LEADER_EPOCH_OFFSET, original.partitionLeaderEpoch());
    out[MAGIC_OFFSET] = MAGIC_V2;
    SHORT.set(out, ATTRIBUTES_OFFSET, (short) (original.attributes() | (deleteHorizonMs >= 0 ? DELETE_HORIZON_FLAG : 0)));
    INT.set(out, LAST_OFFSET_DELTA_OFFSET, original.lastOffsetDelta());
    LONG.set(out, BASE_TIMESTAMP_OFFSET, baseTimestamp);
    LONG.set(out, MAX_TIMESTAMP_OFFSET, maxTimestamp);
    LONG.set(out, PRODUCER_ID_OFFSET, original.producerId());
    SHORT.set(out, PRODUCER_EPOCH_OFFSET, original.producerEpoch());
    INT.set(out, BASE_SEQUENCE_OFFSET, original.baseSequence());
    INT.set(out, RECORDS_COUNT_OFFSET, retained.size());
    INT.set(out, CRC_OFFSET, (int) crc(out, 0, size));
    return out;
  }

  /** A batch with no records (the cleaner keeps it for its offsets and producer fields), as Kafka's {@code writeEmptyHeader}. */
  public static byte[] emptyBatch(BatchHeader h) {
    byte[] out = new byte[RECORD_BATCH_OVERHEAD];
    LONG.set(out, BASE_OFFSET_OFFSET, h.baseOffset());
    INT.set(out, LENGTH_OFFSET, RECORD_BATCH_OVERHEAD - LOG_OVERHEAD);
    INT.set(out, PARTITION_LEADER_EPOCH_OFFSET, h.partitionLeaderEpoch());
    out[MAGIC_OFFSET] = MAGIC_V2;
    SHORT.set(out, ATTRIBUTES_OFFSET, (short) (h.attributes() & ~DELETE_HORIZON_FLAG));
    INT.set(out, LAST_OFFSET_DELTA_OFFSET, h.lastOffsetDelta());
    LONG.set(out, BASE_TIMESTAMP_OFFSET, -1L); // writeEmptyHeader: no first timestamp, the batch's max kept
    LONG.set(out, MAX_TIMESTAMP_OFFSET, h.maxTimestamp());
    LONG.set(out, PRODUCER_ID_OFFSET, h.producerId());
    SHORT.set(out, PRODUCER_EPOCH_OFFSET, h.producerEpoch());
    INT.set(out, BASE_SEQUENCE_OFFSET, h.baseSequence());
    INT.set(out, RECORDS_COUNT_OFFSET, 0);
    INT.set(out, CRC_OFFSET, (int) crc(out, 0, RECORD_BATCH_OVERHEAD));
    return out;
  }

  /** The leader's stamp: offsets and its epoch go into fields the CRC does not cover. */
  public static void stamp(byte[] batch, int pos, long baseOffset, int partitionLeaderEpoch) {
    LONG.set(batch, pos + BASE_OFFSET_OFFSET, baseOffset);
    INT.set(batch, pos + PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
  }

  // ---- reading -------------------------------------------------------------------------------------

  /** The header at {@code pos} without validation; needs 61 bytes. */
  public static BatchHeader header(byte[] b, int pos) {
    return new BatchHeader((long) LONG.get(b, pos + BASE_OFFSET_OFFSET), (int) INT.get(b, pos + LENGTH_OFFSET),
        (int) INT.get(b, pos + PARTITION_LEADER_EPOCH_OFFSET), b[pos + MAGIC_OFFSET],
        Integer.toUnsignedLong((int) INT.get(b, pos + CRC_OFFSET)), (short) SHORT.get(b, pos + ATTRIBUTES_OFFSET),
        (int) INT.get(b, pos + LAST_OFFSET_DELTA_OFFSET), (long) LONG.get(b, pos + BASE_TIMESTAMP_OFFSET),
        (long) LONG.get(b, pos + MAX_TIMESTAMP_OFFSET), (long) LONG.get(b, pos + PRODUCER_ID_OFFSET),
        (short) SHORT.get(b, pos + PRODUCER_EPOCH_OFFSET), (int) INT.get(b, pos + BASE_SEQUENCE_OFFSET),
        (int) INT.get(b, pos + RECORDS_COUNT_OFFSET));
  }

  /**
   * Validates the batch at {@code pos} (within {@code limit}) as Kafka's {@code ensureValid} does: the size
   * fields fit, magic is 2, the CRC32C over attributes..end matches. Throws naming what is wrong.
   */
  public static BatchHeader validate(byte[] b, int pos, int limit) {
    if (limit - pos < LOG_OVERHEAD) throw new CorruptRecordException("only " + (limit - pos) + " bytes left at position " + pos + ", less than a batch's offset and length");
    int batchLength = (int) INT.get(b, pos + LENGTH_OFFSET);
    if (batchLength < RECORD_BATCH_OVERHEAD - LOG_OVERHEAD) {
      throw new CorruptRecordException("batch at position " + pos + " has length " + batchLength + ", smaller than the v2 header");
    }
    if ((long) pos + LOG_OVERHEAD + batchLength > limit) {
      throw new CorruptRecordException("batch at position " + pos + " claims " + (batchLength + LOG_OVERHEAD) + " bytes but only " + (limit - pos) + " remain (torn write)");
    }
    BatchHeader h = header(b, pos);
    if (h.magic() != MAGIC_V2) throw new CorruptRecordException("batch at position " + pos + " has magic " + h.magic() + ", expected 2");
    long computed = crc(b, pos, h.sizeInBytes());
    if (computed != h.crc()) {
      throw new CorruptRecordException("batch at position " + pos + " (offset " + h.baseOffset() + ") fails its CRC: stored "
          + Long.toHexString(h.crc()) + ", computed " + Long.toHexString(computed));
    }
    if (h.recordCount() < 0 || h.lastOffsetDelta() < 0) throw new CorruptRecordException("batch at position " + pos + " has a negative record count or offset delta");
    return h;
  }

  /** CRC32C over attributes..end of the batch starting at {@code pos} with {@code size} bytes. */
  public static long crc(byte[] b, int pos, int size) {
    CRC32C crc = new CRC32C();
    crc.update(b, pos + ATTRIBUTES_OFFSET, size - ATTRIBUTES_OFFSET);
    return crc.getValue();
  }

  /** Decodes the records of a validated batch. */
  public static List<LogRecord> records(byte[] b, int pos) {
    BatchHeader h = header(b, pos);
    Varint.Reader in = new Varint.Reader(b, pos + RECORD_BATCH_OVERHEAD, pos + h.sizeInBytes());
    List<LogRecord> out = new ArrayList<>(h.recordCount());
    for (int i = 0; i < h.recordCount(); i++) out.add(readRecord(in, h, i));
    if (in.remaining() != 0) throw new CorruptRecordException("batch at offset " + h.baseOffset() + " has " + in.remaining() + " bytes after its last record");
    return out;
  }

  /**
   * Every record of a fetched run of batches at or past {@code fromOffset} (a fetch starts at the batch holding
   * the position, so its first records may lie before it), each batch's CRC checked first (check.crcs=true).
   */
  public static List<LogRecord> recordsFrom(byte[] b, long fromOffset) {
    List<LogRecord> out = new ArrayList<>();
    for (int pos = 0; pos < b.length; ) {
      BatchHeader h = validate(b, pos, b.length);
      for (LogRecord rec : records(b, pos)) if (rec.offset() >= fromOffset) out.add(rec);
      pos += h.sizeInBytes();
    }
    return out;
  }

  /** What {@link #forEachKey} hands over for each record: its offset, where its key lies in the batch, whether it is a tombstone. */
  @FunctionalInterface
  public interface KeyVisitor {
    /** {@code keyLength} is -1 for a null key. */
    void record(int index, long offset, int keyPosition, int keyLength, boolean tombstone);
  }

  /**
   * Walks the records of a validated batch reading only what the log cleaner needs (offset, key, whether the
   * value is null), without copying keys or values: Kafka's cleaner, too, only looks at the key and the value's
   * presence while it builds the offset map and decides what to keep.
   */
  public static void forEachKey(byte[] b, int pos, KeyVisitor visitor) {
    BatchHeader h = header(b, pos);
    Varint.Reader in = new Varint.Reader(b, pos + RECORD_BATCH_OVERHEAD, pos + h.sizeInBytes());
    for (int i = 0; i < h.recordCount(); i++) {
      int length = in.readVarint("record length");
      int start = in.position();
      if (length < 0 || length > in.remaining()) throw new CorruptRecordException("record " + i + " of batch at offset " + h.baseOffset() + " has bad length " + length);
      in.readByte("record attributes");
      in.readVarlong("timestamp delta");
      long offset = h.baseOffset() + in.readVarint("offset delta");
      int keyLength = in.readVarint("key length");
      int keyPosition = in.position();
      in.skip(keyLength, "key");
      int valueLength = in.readVarint("value length");
      in.skip(valueLength, "value");
      int headerCount = in.readVarint("header count");
      if (headerCount < 0 || headerCount > length) throw new CorruptRecordException("record at offset " + offset + " has bad header count " + headerCount);
      for (int k = 0; k < headerCount; k++) {
        in.skip(in.readVarint("header key length"), "header key");
        in.skip(in.readVarint("header value length"), "header value");
      }
      if (in.position() - start != length) throw new CorruptRecordException("record at offset " + offset + " is " + (in.position() - start) + " bytes, its length says " + length);
      visitor.record(i, offset, keyPosition, keyLength, valueLength < 0);
    }
  }

  private static LogRecord readRecord(Varint.Reader in, BatchHeader h, int index) {
    int length = in.readVarint("record length");
    int start = in.position();
    if (length < 0 || length > in.remaining()) throw new CorruptRecordException("record " + index + " of batch at offset " + h.baseOffset() + " has bad length " + length);
    in.readByte("record attributes");
    long timestamp = h.baseTimestamp() + in.readVarlong("timestamp delta");
    long offset = h.baseOffset() + in.readVarint("offset delta");
    byte[] key = in.readBytes(in.readVarint("key length"), "key");
    byte[] value = in.readBytes(in.readVarint("value length"), "value");
    int headerCount = in.readVarint("header count");
    if (headerCount < 0 || headerCount > length) throw new CorruptRecordException("record at offset " + offset + " has bad header count " + headerCount);
    // an immutable list from the start, which LogRecord's List.copyOf keeps as it is (most records have no header)
    Header[] headers = new Header[headerCount];
    for (int i = 0; i < headerCount; i++) {
      byte[] k = in.readBytes(in.readVarint("header key length"), "header key");
      if (k == null) throw new CorruptRecordException("record at offset " + offset + " has a null header key");
      headers[i] = new Header(new String(k, StandardCharsets.UTF_8), in.readBytes(in.readVarint("header value length"), "header value"));
    }
    if (in.position() - start != length) throw new CorruptRecordException("record at offset " + offset + " is " + (in.position() - start) + " bytes, its length says " + length);
    return new LogRecord(offset, timestamp, key, value, headerCount == 0 ? List.of() : List.of(headers));
  }

  /** A batch found by {@link #scan}: its header and where it starts. */
  public record Located(int position, BatchHeader header) {}

  /** Result of scanning bytes batch by batch: the valid prefix and why scanning stopped, if it did early. */
  public record Scan(List<Located> batches, int validBytes, String stopReason) {}

  /** Validates batches from the start; stops at the first invalid or incomplete one (recovery's rule). */
  public static Scan scan(byte[] b, int length) {
    List<Located> out = new ArrayList<>();
    int pos = 0;
    while (pos < length) {
      try {
        BatchHeader h = validate(b, pos, length);
        out.add(new Located(pos, h));
        pos += h.sizeInBytes();
      } catch (CorruptRecordException e) {
        return new Scan(out, pos, e.getMessage());
      }
    }
    return new Scan(out, pos, null);
  }

  /** Every record in a sequence of valid batches; throws on the first invalid one. */
  public static List<LogRecord> allRecords(byte[] b) {
    List<LogRecord> out = new ArrayList<>();
    int pos = 0;
    while (pos < b.length) {
      BatchHeader h = validate(b, pos, b.length);
      out.addAll(records(b, pos));
      pos += h.sizeInBytes();
    }
    return out;
  }
}
