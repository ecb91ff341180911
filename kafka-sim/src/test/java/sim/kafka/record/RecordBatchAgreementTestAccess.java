package sim.kafka.record;

import java.util.List;

/** Lets tests in other packages build a batch with kafka-clients' MemoryRecordsBuilder. */
public final class RecordBatchAgreementTestAccess {
  private RecordBatchAgreementTestAccess() {}

  public static byte[] kafkaBatch(List<LogRecord> records, RecordBatches.ProducerFields producer, long baseOffset, int epoch) {
    return RecordBatchAgreementTest.kafkaBatch(records, producer, baseOffset, epoch);
  }
}
