package sim.kafka.raft;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import sim.core.NodeContext;
import sim.core.Timer;
import sim.kafka.broker.MetadataImage;
import sim.kafka.log.Log;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.LogRecord;

/**
 * Metadata snapshots (KIP-630), as a controller's SnapshotGenerator writes them: once more than
 * {@code metadata.log.max.record.bytes.between.snapshots} (20 MiB; a scenario may lower it) of committed batches follow the
 * last snapshot, the state the committed records describe is written as records into
 * {@code __cluster_metadata-0/<end offset, 20 digits>-<epoch, 10 digits>.checkpoint}, RecordsSnapshotWriter's layout:
 * a control batch with a SnapshotHeaderRecord (control type 3), data batches of metadata records (RegisterBrokerRecord,
 * TopicRecord, PartitionRecord, ProducerIdsRecord: the image, not the history), and a control batch with a
 * SnapshotFooterRecord (type 4), every batch in the epoch of the last record it covers and offsets counted from 0. It is
 * written as {@code .checkpoint.part}, fsynced, then renamed (FileRawSnapshotWriter.freeze), so a crash leaves either no
 * snapshot or a whole one; a partial file is deleted at start, as Kafka does. The end offset is exclusive: the snapshot
 * holds everything below it.
 *
 * <p>Controllers and brokers both write them (Kafka 4's SnapshotGenerator runs on every MetadataLoader); what uses them
 * is {@link MetadataLog} (the log start moves past them), {@link FetchSnapshots} (a follower below the leader's log start
 * downloads one) and the loaders (the latest one is loaded first, the log replayed after it).
 */
final class MetadataSnapshots {
  static final short SNAPSHOT_HEADER = 3;
  static final short SNAPSHOT_FOOTER = 4;
  static final String SUFFIX = ".checkpoint";
  static final String PARTIAL_SUFFIX = SUFFIX + ".part";
  /** RecordsSnapshotWriter's default maxBatchSize: records go into data batches of at most about this many bytes. */
  static final int MAX_BATCH_BYTES = 1024;

  /** The fsync of a snapshot's partial file returned: it may be renamed into place. */
  record Frozen(String partial, String file, long endOffset, int epoch) implements Timer {}

  private final long maxRecordBytesBetweenSnapshots;
  private final long maxSnapshotIntervalMs;
  private boolean writing;
  private long lastSnapshotMs;

  MetadataSnapshots(RaftConfig config) {
    this.maxRecordBytesBetweenSnapshots = config.maxRecordBytesBetweenSnapshots();
    this.maxSnapshotIntervalMs = config.maxSnapshotIntervalMs();
  }

  static String fileName(long endOffset, int epoch) {
    return String.format("%020d-%010d", endOffset, epoch) + SUFFIX;
  }

  /** At start (partial files were deleted when the log was opened): the interval counts from now (resetSnapshotCounters). */
  void start(NodeContext ctx) {
    writing = false;
    lastSnapshotMs = ctx.localTimeMs();
  }

  /**
   * After the high watermark moved (SnapshotGenerator.publishLogDelta): write a snapshot once more than
   * metadata.log.max.record.bytes.between.snapshots of committed batches follow the latest one, or some follow it and
   * metadata.log.max.snapshot.interval.ms passed since the last.
   */
  void maybeWrite(NodeContext ctx, MetadataLog mlog, long highWatermark) {
    if (writing) return;
    MetadataLog.SnapshotId latest = mlog.latestSnapshotId();
    long latestEnd = latest == null ? 0 : latest.endOffset();
    long bytes = 0;
    long end = -1;
    int epoch = -1;
    long timestampMs = 0;
    for (Log.BatchRef ref : mlog.log().batches()) {
      BatchHeader h = ref.header();
      if (h.lastOffset() >= highWatermark) break;
      if (h.baseOffset() < latestEnd) continue;
      bytes += h.sizeInBytes();
      end = h.lastOffset() + 1;
      epoch = h.partitionLeaderEpoch();
      timestampMs = h.maxTimestamp();
    }
    boolean interval = bytes > 0 && ctx.localTimeMs() - lastSnapshotMs >= maxSnapshotIntervalMs;
    if (end < 0 || (bytes < maxRecordBytesBetweenSnapshots && !interval)) return;
    MetadataImage image = MetadataRecords.replay(mlog.imageRecords(end));
    String file = RaftNode.LOG_DIR + "/" + fileName(end, epoch);
    String partial = file.substring(0, file.length() - SUFFIX.length()) + PARTIAL_SUFFIX;
    ctx.disk().delete(partial);
    ctx.disk().write(partial, 0, encode(MetadataRecords.delta(MetadataImage.empty(), image), epoch, timestampMs));
    writing = true;
    lastSnapshotMs = ctx.localTimeMs();
    ctx.fsyncThen(partial, new Frozen(partial, file, end, epoch));
  }

  void onFrozen(NodeContext ctx, MetadataLog mlog, Frozen f) {
    writing = false;
    ctx.disk().rename(f.partial(), f.file());
    mlog.onSnapshotFrozen(new MetadataLog.SnapshotId(f.endOffset(), f.epoch()));
    ctx.point("kafka.kraft.snapshot", ctx.self() + " wrote snapshot " + f.file() + ": the committed metadata below offset " + f.endOffset()
        + " as records (metadata.log.max.record.bytes.between.snapshots=" + maxRecordBytesBetweenSnapshots + ")", "endOffset", f.endOffset(), "epoch", f.epoch());
  }

  /** RecordsSnapshotWriter's file: header control batch, data batches, footer control batch. */
  static byte[] encode(List<byte[]> records, int epoch, long lastContainedTimestampMs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    out.writeBytes(MetadataBatches.control(offset++, epoch, lastContainedTimestampMs, SNAPSHOT_HEADER, snapshotHeaderRecord(lastContainedTimestampMs)));
    List<byte[]> batch = new ArrayList<>();
    int size = 0;
    for (byte[] r : records) {
      if (!batch.isEmpty() && size + r.length > MAX_BATCH_BYTES) {
        out.writeBytes(MetadataBatches.data(offset, epoch, lastContainedTimestampMs, batch));
        offset += batch.size();
        batch = new ArrayList<>();
        size = 0;
      }
      batch.add(r);
      size += r.length;
    }
    if (!batch.isEmpty()) {
      out.writeBytes(MetadataBatches.data(offset, epoch, lastContainedTimestampMs, batch));
      offset += batch.size();
    }
    out.writeBytes(MetadataBatches.control(offset, epoch, lastContainedTimestampMs, SNAPSHOT_FOOTER, snapshotFooterRecord()));
    return out.toByteArray();
  }

  /** SnapshotHeaderRecord v0 (flexible): Version int16, LastContainedLogTimestamp int64, no tagged fields. */
  static byte[] snapshotHeaderRecord(long lastContainedTimestampMs) {
    return ByteBuffer.allocate(2 + 8 + 1).putShort((short) 0).putLong(lastContainedTimestampMs).put((byte) 0).array();
  }

  /** SnapshotFooterRecord v0 (flexible): Version int16, no tagged fields. */
  static byte[] snapshotFooterRecord() {
    return ByteBuffer.allocate(2 + 1).putShort((short) 0).put((byte) 0).array();
  }

  /** The records of a snapshot file's data batches (control batches skipped), for tests and tools. */
  static List<LogRecord> records(byte[] file) {
    List<LogRecord> out = new ArrayList<>();
    for (RaftMessage.Batch b : MetadataBatches.split(file)) {
      if (sim.kafka.record.RecordBatches.header(b.bytes(), 0).isControlBatch()) continue;
      out.addAll(sim.kafka.record.RecordBatches.records(b.bytes(), 0));
    }
    return out;
  }
}
