package sim.kafka.record;

/**
 * The 61-byte header of a RecordBatch v2, decoded. {@code crc} is the unsigned CRC32C stored in the batch;
 * {@code batchLength} counts the bytes after the length field, so the batch takes {@code batchLength + 12}.
 */
public record BatchHeader(long baseOffset, int batchLength, int partitionLeaderEpoch, byte magic, long crc,
    short attributes, int lastOffsetDelta, long baseTimestamp, long maxTimestamp, long producerId,
    short producerEpoch, int baseSequence, int recordCount) {

  public long lastOffset() {
    return baseOffset + lastOffsetDelta;
  }

  public long nextOffset() {
    return lastOffset() + 1;
  }

  public int sizeInBytes() {
    return batchLength + RecordBatches.LOG_OVERHEAD;
  }

  /** The delete horizon the log cleaner set (KIP-534), or -1. */
  public long deleteHorizonMs() {
    return (attributes & RecordBatches.DELETE_HORIZON_FLAG) != 0 ? baseTimestamp : -1;
  }

  /** Attribute bit 4: the batch belongs to a transaction (its records stay invisible to read_committed until the marker). */
  public boolean isTransactional() {
    return (attributes & ControlBatches.TRANSACTIONAL_FLAG) != 0;
  }

  /** Attribute bit 5: a control batch (a COMMIT or ABORT marker), never handed to the application. */
  public boolean isControlBatch() {
    return (attributes & ControlBatches.CONTROL_FLAG) != 0;
  }

  public boolean hasProducerId() {
    return producerId != RecordBatches.NO_PRODUCER_ID;
  }

  /** The sequence of the last record (sequences wrap at Integer.MAX_VALUE, as in Kafka). */
  public int lastSequence() {
    if (baseSequence == RecordBatches.NO_SEQUENCE) return RecordBatches.NO_SEQUENCE;
    long last = (long) baseSequence + lastOffsetDelta;
    return last > Integer.MAX_VALUE ? (int) (last - Integer.MAX_VALUE - 1) : (int) last;
  }

  @Override
  public String toString() {
    return "batch[" + baseOffset + ".." + lastOffset() + " epoch " + partitionLeaderEpoch
        + (hasProducerId() ? " pid " + producerId + "/" + producerEpoch + " seq " + baseSequence : "")
        + " crc " + Long.toHexString(crc) + "]";
  }
}
