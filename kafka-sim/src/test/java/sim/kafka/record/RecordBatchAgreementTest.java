package sim.kafka.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.MemoryRecordsBuilder;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import sim.kafka.record.RecordBatches.ProducerFields;

/** Our RecordBatch v2 codec against kafka-clients' own, both ways, and byte for byte. */
class RecordBatchAgreementTest {

  @Provide
  Arbitrary<List<LogRecord>> records() {
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).injectNull(0.1);
    Arbitrary<Header> header = Combinators.combine(Arbitraries.strings().ofMinLength(1).ofMaxLength(12), bytes).as(Header::new);
    Arbitrary<LogRecord> record = Combinators.combine(
        Arbitraries.longs().between(1_600_000_000_000L, 1_800_000_000_000L), bytes, bytes, header.list().ofMaxSize(3))
        .as((ts, k, v, hs) -> new LogRecord(0, ts, k, v, hs));
    return record.list().ofMinSize(1).ofMaxSize(20);
  }

  @Provide
  Arbitrary<ProducerFields> producers() {
    return Arbitraries.oneOf(Arbitraries.just(ProducerFields.NONE),
        Combinators.combine(Arbitraries.longs().between(0, 1L << 40), Arbitraries.shorts().between((short) 0, Short.MAX_VALUE),
            Arbitraries.integers().between(0, Integer.MAX_VALUE - 100)).as(ProducerFields::new));
  }

  @Property(tries = 200)
  void kafkaReadsOurBatches(@ForAll("records") List<LogRecord> records, @ForAll("producers") ProducerFields producer,
      @ForAll @IntRange(min = 0, max = 1_000_000) int baseOffset, @ForAll @IntRange(min = 0, max = 500) int epoch) {
    byte[] ours = RecordBatches.build(baseOffset, epoch, producer, records);
    MemoryRecords theirs = MemoryRecords.readableRecords(ByteBuffer.wrap(ours));
    Iterator<? extends RecordBatch> batches = theirs.batches().iterator();
    RecordBatch batch = batches.next();
    batch.ensureValid();
    assertTrue(batch.isValid());
    assertEquals(2, batch.magic());
    assertEquals(baseOffset, batch.baseOffset());
    assertEquals(baseOffset + records.size() - 1, batch.lastOffset());
    assertEquals(epoch, batch.partitionLeaderEpoch());
    assertEquals(producer.producerId(), batch.producerId());
    assertEquals(producer.producerEpoch(), batch.producerEpoch());
    assertEquals(producer.baseSequence(), batch.baseSequence());
    assertEquals(RecordBatches.header(ours, 0).crc(), batch.checksum());
    assertEquals(records.stream().mapToLong(LogRecord::timestamp).max().orElseThrow(), batch.maxTimestamp());
    int i = 0;
    for (Record r : batch) {
      LogRecord expected = records.get(i);
      assertEquals(baseOffset + i, r.offset());
      assertEquals(expected.timestamp(), r.timestamp());
      assertArrayEquals(expected.key(), r.hasKey() ? Utils.toArray(r.key()) : null);
      assertArrayEquals(expected.value(), r.hasValue() ? Utils.toArray(r.value()) : null);
      assertEquals(expected.headers().size(), r.headers().length);
      for (int h = 0; h < r.headers().length; h++) {
        assertEquals(expected.headers().get(h).key(), r.headers()[h].key());
        assertArrayEquals(expected.headers().get(h).value(), r.headers()[h].value());
      }
      i++;
    }
    assertEquals(records.size(), i);
    assertTrue(!batches.hasNext());
  }

  @Property(tries = 200)
  void weReadKafkasBatchesAndWriteTheSameBytes(@ForAll("records") List<LogRecord> records,
      @ForAll("producers") ProducerFields producer, @ForAll @IntRange(min = 0, max = 1_000_000) int baseOffset,
      @ForAll @IntRange(min = 0, max = 500) int epoch) {
    byte[] theirs = kafkaBatch(records, producer, baseOffset, epoch);
    BatchHeader h = RecordBatches.validate(theirs, 0, theirs.length);
    assertEquals(baseOffset, h.baseOffset());
    assertEquals(epoch, h.partitionLeaderEpoch());
    assertEquals(producer.producerId(), h.producerId());
    assertEquals(producer.baseSequence(), h.baseSequence());
    List<LogRecord> read = RecordBatches.records(theirs, 0);
    List<LogRecord> expected = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      expected.add(new LogRecord(baseOffset + i, r.timestamp(), r.key(), r.value(), r.headers()));
    }
    assertEquals(expected, read);
    assertArrayEquals(theirs, RecordBatches.build(baseOffset, epoch, producer, records), "byte-identical batch");
  }

  static byte[] kafkaBatch(List<LogRecord> records, ProducerFields producer, long baseOffset, int epoch) {
    MemoryRecordsBuilder b = MemoryRecords.builder(ByteBuffer.allocate(64 * 1024), RecordBatch.MAGIC_VALUE_V2, Compression.NONE,
        TimestampType.CREATE_TIME, baseOffset, RecordBatch.NO_TIMESTAMP, producer.producerId(), producer.producerEpoch(),
        producer.baseSequence(), false, false, epoch);
    for (LogRecord r : records) {
      org.apache.kafka.common.header.Header[] hs = r.headers().stream()
          .map(h -> new RecordHeader(h.key(), h.value())).toArray(org.apache.kafka.common.header.Header[]::new);
      b.append(r.timestamp(), r.key(), r.value(), hs);
    }
    ByteBuffer buf = b.build().buffer();
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    return out;
  }

  @Test
  void leaderStampKeepsTheCrcValid() {
    byte[] batch = RecordBatches.build(0, -1, ProducerFields.NONE, List.of(LogRecord.of(1000, "k", "v")));
    RecordBatches.stamp(batch, 0, 4242, 7);
    RecordBatch theirs = MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).batches().iterator().next();
    theirs.ensureValid();
    assertEquals(4242, theirs.baseOffset());
    assertEquals(7, theirs.partitionLeaderEpoch());
  }

  @Test
  void flippedByteFailsTheCrcAndNamesThePosition() {
    byte[] batch = RecordBatches.build(5, 0, ProducerFields.NONE, List.of(LogRecord.of(1000, "key", "value")));
    batch[batch.length - 3] ^= 0x10;
    CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> RecordBatches.validate(batch, 0, batch.length));
    assertTrue(e.getMessage().contains("CRC") && e.getMessage().contains("offset 5"), e.getMessage());
    assertTrue(!MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).batches().iterator().next().isValid(), "kafka agrees it is corrupt");
  }

  @Property(tries = 1000)
  void murmur2PartitionerEqualsKafkas(@ForAll byte[] key, @ForAll @IntRange(min = 1, max = 1000) int partitions) {
    assertEquals(Utils.murmur2(key), Murmur2Partitioner.murmur2(key));
    assertEquals(org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(key, partitions),
        Murmur2Partitioner.partitionForKey(key, partitions));
  }

  @Test
  void murmur2OfAKnownStringKey() {
    byte[] key = "hello".getBytes(StandardCharsets.UTF_8);
    assertEquals(Utils.murmur2(key), Murmur2Partitioner.murmur2(key));
  }
}
