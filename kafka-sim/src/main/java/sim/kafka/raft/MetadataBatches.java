package sim.kafka.raft;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sim.kafka.log.Log;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.ControlBatches;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * The batches of {@code __cluster_metadata-0}: RecordBatch v2 as every Kafka log, with no producer id. A data batch's
 * records have no key and a metadata record as value ({@link MetadataRecords}); a new leader opens its epoch with a
 * control batch holding a LeaderChangeMessage (control type 2), as KafkaRaftClient does.
 */
final class MetadataBatches {
  /** ControlRecordType.LEADER_CHANGE. */
  static final short LEADER_CHANGE = 2;

  private MetadataBatches() {}

  static byte[] data(long baseOffset, int epoch, long timestampMs, List<byte[]> values) {
    List<LogRecord> records = new ArrayList<>();
    for (byte[] v : values) records.add(new LogRecord(0, timestampMs, null, v, List.of()));
    return RecordBatches.build(baseOffset, epoch, RecordBatches.ProducerFields.NONE, records);
  }

  /** The control batch {@code MemoryRecords.withLeaderChangeMessage} writes: key (version 0, type 2), LeaderChangeMessage v0. */
  static byte[] leaderChange(long baseOffset, int epoch, long timestampMs, int leaderId) {
    return control(baseOffset, epoch, timestampMs, LEADER_CHANGE, leaderChangeMessage(leaderId));
  }

  /** A control batch of one record: key (version 0, {@code type}), {@code value}; the control flag set, the CRC redone. */
  static byte[] control(long baseOffset, int epoch, long timestampMs, short type, byte[] value) {
    byte[] key = ByteBuffer.allocate(4).putShort((short) 0).putShort(type).array();
    LogRecord r = new LogRecord(0, timestampMs, key, value, List.of());
    byte[] batch = RecordBatches.build(baseOffset, epoch, RecordBatches.ProducerFields.NONE, List.of(r));
    ByteBuffer b = ByteBuffer.wrap(batch);
    b.putShort(RecordBatches.ATTRIBUTES_OFFSET, (short) (b.getShort(RecordBatches.ATTRIBUTES_OFFSET) | ControlBatches.CONTROL_FLAG));
    b.putInt(RecordBatches.CRC_OFFSET, (int) RecordBatches.crc(batch, 0, batch.length));
    return batch;
  }

  /**
   * LeaderChangeMessage v0 (flexible): Version int16, LeaderId int32, Voters and GrantingVoters as compact arrays of
   * {VoterId int32, no tagged fields}, no tagged fields. Simplified: both voter lists are empty (KafkaRaftClient lists the
   * voters and those that granted the vote); nothing here reads them.
   */
  static byte[] leaderChangeMessage(int leaderId) {
    ByteBuffer b = ByteBuffer.allocate(2 + 4 + 1 + 1 + 1);
    b.putShort((short) 0).putInt(leaderId).put((byte) 1).put((byte) 1).put((byte) 0);
    return b.array();
  }

  /** Cuts bytes read from the log into their batches. */
  static List<RaftMessage.Batch> split(byte[] bytes) {
    List<RaftMessage.Batch> out = new ArrayList<>();
    int pos = 0;
    while (pos < bytes.length) {
      BatchHeader h = RecordBatches.header(bytes, pos);
      int size = h.sizeInBytes();
      out.add(new RaftMessage.Batch(h.baseOffset(), h.lastOffset(), h.partitionLeaderEpoch(), Arrays.copyOfRange(bytes, pos, pos + size)));
      pos += size;
    }
    return out;
  }

  /** The data records of {@code log} at offsets in [{@code from}, {@code below}), control batches skipped. */
  static List<LogRecord> dataRecords(Log log, long from, long below) {
    List<LogRecord> out = new ArrayList<>();
    for (Log.BatchRef ref : log.batches()) {
      BatchHeader h = ref.header();
      if (h.lastOffset() < from || h.isControlBatch()) continue;
      if (h.baseOffset() >= below) break;
      for (LogRecord r : RecordBatches.records(log.readBatch(ref), 0)) if (r.offset() >= from && r.offset() < below) out.add(r);
    }
    return out;
  }

}
