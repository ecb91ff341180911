package sim.kafka.record;

/** Bytes that are not a valid RecordBatch v2 (Kafka's exception of the same name); says what and where. */
public final class CorruptRecordException extends RuntimeException {
  public CorruptRecordException(String message) {
    super(message);
  }
}
