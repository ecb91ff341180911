package sim.kafka.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Transactional batches and the transaction markers, as kafka-clients writes them
 * ({@code MemoryRecords.withTransactionalRecords}, {@code MemoryRecords.withEndTransactionMarker}).
 *
 * <p>A transactional producer's data batch is an ordinary RecordBatch v2 with attribute bit 4 set. The
 * transaction coordinator ends a transaction by having each partition's leader append a control batch:
 * attributes bits 4 and 5 (transactional, control), the producer id and epoch of the transaction, no
 * sequence ({@code NO_SEQUENCE}), and one record whose key is the {@link ControlRecordType} (version int16 0 |
 * type int16) and whose value is the {@code EndTxnMarker} (version int16 0 | coordinator epoch int32).
 */
public final class ControlBatches {
  /** Attribute bit 4 ({@code DefaultRecordBatch.TRANSACTIONAL_FLAG_MASK}). */
  public static final short TRANSACTIONAL_FLAG = 0x10;
  /** Attribute bit 5 ({@code DefaultRecordBatch.CONTROL_FLAG_MASK}). */
  public static final short CONTROL_FLAG = 0x20;
  public static final short CURRENT_END_TXN_MARKER_VERSION = 0;
  public static final int CURRENT_END_TXN_MARKER_VALUE_SIZE = 6;

  private ControlBatches() {}

  /** kafka-clients' {@code EndTransactionMarker}: COMMIT or ABORT, and the coordinator epoch that wrote it. */
  public record EndTransactionMarker(ControlRecordType type, int coordinatorEpoch) {
    public byte[] serializeValue() {
      return ByteBuffer.allocate(CURRENT_END_TXN_MARKER_VALUE_SIZE).putShort(CURRENT_END_TXN_MARKER_VERSION).putInt(coordinatorEpoch).array();
    }

    /** Kafka's {@code EndTransactionMarker.deserialize}: a newer value version is read as version 0. */
    public static EndTransactionMarker deserialize(LogRecord r) {
      ControlRecordType type = ControlRecordType.parse(r.key());
      byte[] v = r.value();
      if (v == null || v.length < CURRENT_END_TXN_MARKER_VALUE_SIZE) {
        throw new CorruptRecordException("end transaction marker value has " + (v == null ? "no" : v.length) + " bytes, needs 6");
      }
      ByteBuffer b = ByteBuffer.wrap(v);
      if (b.getShort(0) < 0) throw new CorruptRecordException("negative end transaction marker version " + b.getShort(0));
      return new EndTransactionMarker(type, b.getInt(2));
    }
  }

  /** A transactional producer's data batch: {@link RecordBatches#build} with the transactional bit. */
  public static byte[] transactional(long baseOffset, int partitionLeaderEpoch, RecordBatches.ProducerFields producer, List<LogRecord> records) {
    return withAttributes(RecordBatches.build(baseOffset, partitionLeaderEpoch, producer, records), TRANSACTIONAL_FLAG);
  }

  /**
   * The marker batch {@code MemoryRecords.withEndTransactionMarker(baseOffset, timestamp, partitionLeaderEpoch,
   * producerId, producerEpoch, marker)} builds, byte for byte. The leader stamps offset and epoch on append.
   */
  public static byte[] endTransactionMarker(long baseOffset, long timestamp, int partitionLeaderEpoch, long producerId,
      short producerEpoch, EndTransactionMarker marker) {
    LogRecord record = new LogRecord(0, timestamp, marker.type().recordKey(), marker.serializeValue(), List.of());
    RecordBatches.ProducerFields producer = new RecordBatches.ProducerFields(producerId, producerEpoch, RecordBatches.NO_SEQUENCE);
    return withAttributes(RecordBatches.build(baseOffset, partitionLeaderEpoch, producer, List.of(record)), (short) (TRANSACTIONAL_FLAG | CONTROL_FLAG));
  }

  /** The marker a control batch at {@code pos} carries (its single record). */
  public static EndTransactionMarker marker(byte[] b, int pos) {
    BatchHeader h = RecordBatches.header(b, pos);
    if (!h.isControlBatch()) throw new IllegalArgumentException(h + " is not a control batch");
    List<LogRecord> records = RecordBatches.records(b, pos);
    if (records.size() != 1) throw new CorruptRecordException(h + ": a control batch holds one record, found " + records.size());
    return EndTransactionMarker.deserialize(records.get(0));
  }

  /** Sets attribute bits on a freshly built batch and recomputes its CRC (which covers the attributes). */
  private static byte[] withAttributes(byte[] batch, short flags) {
    ByteBuffer b = ByteBuffer.wrap(batch);
    b.putShort(RecordBatches.ATTRIBUTES_OFFSET, (short) (b.getShort(RecordBatches.ATTRIBUTES_OFFSET) | flags));
    b.putInt(RecordBatches.CRC_OFFSET, (int) RecordBatches.crc(batch, 0, batch.length));
    return batch;
  }
}
