package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.disk.SimIOException;
import sim.kafka.log.Log;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * How the final checks read what a partition holds, without ever throwing on a damaged disk. A byte flipped in
 * a running broker's segment is silent in Kafka too: a broker checks a batch's CRC when it appends it
 * ({@code UnifiedLog.analyzeAndValidateRecords}), a consumer with {@code check.crcs=true} when it fetches it, and
 * log recovery after an unclean shutdown ({@code LogSegment.recover}, which truncates at the first invalid
 * batch); nothing rereads a live broker's stored batches. The damaged copy stays there while the other
 * replicas still hold the batch, so each batch that fails validation on the source replica is read from a
 * replica whose copy of the same batch (same base offset and stored CRC) is intact. A batch no replica holds
 * intact is left out: its records count as gone, which the checks judge.
 */
final class FinalRead {
  private FinalRead() {}

  /**
   * The records of {@code source} (from its log start offset on, or with {@code wholeLog} every record its
   * batches hold), damaged batches taken from {@code others}.
   */
  static List<LogRecord> records(Log source, List<Log> others, boolean wholeLog) {
    List<LogRecord> out = new ArrayList<>();
    long start = wholeLog ? Long.MIN_VALUE : source.logStartOffset();
    for (int i = wholeLog ? 0 : source.batchIndexAfter(start); i < source.batchCount(); i++) {
      Log.BatchRef ref = source.batch(i);
      List<LogRecord> batch = intact(source, ref);
      for (int j = 0; batch == null && j < others.size(); j++) batch = sameBatchIn(others.get(j), ref);
      if (batch == null) continue;
      for (LogRecord r : batch) if (r.offset() >= start) out.add(r);
    }
    return out;
  }

  private static List<LogRecord> sameBatchIn(Log other, Log.BatchRef wanted) {
    if (other == null) return null;
    int i = other.batchIndexAfter(wanted.header().baseOffset());
    if (i >= other.batchCount()) return null;
    Log.BatchRef ref = other.batch(i);
    if (ref.header().baseOffset() != wanted.header().baseOffset() || ref.header().crc() != wanted.header().crc()) return null;
    return intact(other, ref);
  }

  /** The batch's records if its bytes on disk validate (length, magic, CRC32C), else null. */
  private static List<LogRecord> intact(Log log, Log.BatchRef ref) {
    try {
      byte[] b = log.readBatch(ref);
      RecordBatches.validate(b, 0, b.length);
      return RecordBatches.records(b, 0);
    } catch (CorruptRecordException | SimIOException e) {
      return null;
    }
  }
}
