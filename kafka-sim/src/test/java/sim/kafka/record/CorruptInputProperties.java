package sim.kafka.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import sim.kafka.record.RecordBatches.ProducerFields;

/** Bad bytes get a CorruptRecordException naming what and where, never another exception. */
class CorruptInputProperties {
  static final List<LogRecord> RECORDS = List.of(LogRecord.of(1000, "key", "value"), LogRecord.of(1001, null, "second"),
      new LogRecord(0, 1002, "k".getBytes(), null, List.of(Header.of("h", "v"))));

  @Property(tries = 2000)
  void mutatedRecordsWithAValidCrcFailCleanly(@ForAll @IntRange(min = 61, max = 400) int at, @ForAll byte value) {
    byte[] b = RecordBatches.build(0, 0, ProducerFields.NONE, RECORDS);
    if (at >= b.length) return;
    b[at] = value;
    ByteBuffer.wrap(b).putInt(RecordBatches.CRC_OFFSET, (int) RecordBatches.crc(b, 0, b.length));
    try {
      RecordBatches.validate(b, 0, b.length);
      RecordBatches.records(b, 0);
    } catch (CorruptRecordException expected) {
      // the only acceptable failure
    }
  }

  @Property(tries = 2000)
  void arbitraryBytesScanToAValidPrefix(@ForAll byte[] junk, @ForAll @IntRange(min = 0, max = 3) int batchesBefore) {
    byte[] good = RecordBatches.build(0, 0, ProducerFields.NONE, RECORDS);
    byte[] all = new byte[good.length * batchesBefore + junk.length];
    for (int i = 0; i < batchesBefore; i++) System.arraycopy(good, 0, all, i * good.length, good.length);
    System.arraycopy(junk, 0, all, good.length * batchesBefore, junk.length);
    RecordBatches.Scan scan = RecordBatches.scan(all, all.length);
    assertEquals(true, scan.batches().size() >= batchesBefore);
    assertEquals(scan.validBytes() == all.length, scan.stopReason() == null);
  }
}
