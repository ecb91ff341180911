package sim.kafka.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import sim.core.NodeContext;
import sim.core.disk.SimDisk;
import sim.kafka.log.LeaderEpochCache;
import sim.kafka.log.Log;
import sim.kafka.log.LogConfig;
import sim.kafka.log.RetentionPolicy;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * {@code __cluster_metadata-0} with its snapshots: Kafka's KafkaMetadataLog (the ReplicatedLog a raft client uses) over
 * kafka-sim's {@link Log}. It knows the frozen snapshots on disk and moves the log start offset past them:
 *
 * <ul>
 *   <li>{@link #maybeClean} (KafkaRaftClient runs it every 60 s): while the log and all snapshots are more than
 *       {@code metadata.max.retention.bytes} (100 MiB), or the oldest snapshot's last record is older than
 *       {@code metadata.max.retention.ms} (7 days), and there are at least two snapshots, the oldest is deleted and the log
 *       start offset moves to the next one's end offset ({@link #deleteBeforeSnapshot}), never past the high watermark;
 *       segments wholly below it are deleted. One snapshot always remains, at or above the log start.</li>
 *   <li>{@link #validateOffsetAndEpoch} (ReplicatedLog's default method): a fetch from offset 0 while a snapshot exists, or
 *       below the log start, or from an epoch older than the oldest snapshot's, is answered with the latest snapshot's id;
 *       otherwise with a diverging epoch or as valid.</li>
 *   <li>{@link #truncateToLatestSnapshot}: a snapshot fetched from the leader beyond this log's end replaces the whole log
 *       (truncateFullyAndStartAt its end offset); also at start, for a crash between download and truncation.</li>
 * </ul>
 */
final class MetadataLog {
  /** OffsetAndEpoch of a snapshot: it holds everything below {@code endOffset}; ordered by offset, then epoch. */
  record SnapshotId(long endOffset, int epoch) implements Comparable<SnapshotId> {
    @Override
    public int compareTo(SnapshotId o) {
      int c = Long.compare(endOffset, o.endOffset);
      return c != 0 ? c : Integer.compare(epoch, o.epoch);
    }

    @Override
    public String toString() {
      return "(" + endOffset + ", epoch " + epoch + ")";
    }
  }

  /** What a fetch at (offset, last fetched epoch) deserves: Kafka's ValidOffsetAndEpoch. */
  record Validation(Kind kind, long offset, int epoch) {
    enum Kind { VALID, DIVERGING, SNAPSHOT }
  }

  private final SimDisk disk;
  private final Log log;
  private final RaftConfig config;
  private final TreeSet<SnapshotId> snapshots = new TreeSet<>();

  private MetadataLog(SimDisk disk, Log log, RaftConfig config) {
    this.disk = disk;
    this.log = log;
    this.config = config;
  }

  /**
   * KafkaMetadataLog.apply: partial snapshots a crash left are deleted, the log is recovered, snapshots below its start
   * are forgotten, and a snapshot beyond its end replaces it (truncateToLatestSnapshot).
   */
  static MetadataLog open(NodeContext ctx, RaftConfig config, Log.Flusher flusher, String who) {
    SimDisk disk = ctx.disk();
    for (String f : disk.list(RaftNode.LOG_DIR + "/")) if (f.endsWith(MetadataSnapshots.PARTIAL_SUFFIX)) disk.delete(f);
    LogConfig logConfig = LogConfig.simulation().withSegmentBytes(config.logSegmentBytes());
    Log log = new Log(disk, RaftNode.LOG_DIR, logConfig, flusher);
    MetadataLog m = new MetadataLog(disk, log, config);
    for (String f : disk.list(RaftNode.LOG_DIR + "/")) {
      if (!f.endsWith(MetadataSnapshots.SUFFIX)) continue;
      SnapshotId id = parse(f);
      if (id.endOffset() < log.logStartOffset()) disk.delete(f); // older than the log: recoverSnapshots deletes it
      else m.snapshots.add(id);
    }
    if (m.truncateToLatestSnapshot()) ctx.note(who + ": the latest snapshot " + m.latestSnapshotId() + " is beyond the recovered log; the log starts over there");
    return m;
  }

  static SnapshotId parse(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    String[] parts = name.substring(0, name.indexOf('.')).split("-");
    return new SnapshotId(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
  }

  static String path(SnapshotId id) {
    return RaftNode.LOG_DIR + "/" + MetadataSnapshots.fileName(id.endOffset(), id.epoch());
  }

  // ---- the log ----

  Log log() {
    return log;
  }

  long startOffset() {
    return log.logStartOffset();
  }

  long endOffset() {
    return log.logEndOffset();
  }

  /** KafkaMetadataLog.lastFetchedEpoch: the log's latest epoch, or with an empty log the latest snapshot's. */
  int lastFetchedEpoch() {
    int latest = log.epochs().latestEpoch();
    if (latest >= 0) return latest;
    SnapshotId s = latestSnapshotId();
    return s != null && s.endOffset() == endOffset() ? s.epoch() : 0;
  }

  /** KafkaMetadataLog.endOffsetForEpoch: the log's answer, or the oldest snapshot's id where the log starts with it. */
  LeaderEpochCache.EpochEnd endOffsetForEpoch(int epoch) {
    LeaderEpochCache.EpochEnd end = log.epochs().endOffsetFor(epoch, endOffset());
    SnapshotId earliest = earliestSnapshotId();
    if (end.epoch() < 0) return new LeaderEpochCache.EpochEnd(lastFetchedEpoch(), endOffset());
    if (earliest != null && end.endOffset() == earliest.endOffset() && end.epoch() == epoch) {
      return new LeaderEpochCache.EpochEnd(earliest.epoch(), earliest.endOffset());
    }
    return end;
  }

  /** ReplicatedLog.validateOffsetAndEpoch, with KafkaRaftClient's rule that an empty follower always gets the snapshot. */
  Validation validateFetch(long offset, int epoch) {
    SnapshotId latest = latestSnapshotId();
    if (offset == 0 && latest != null) return new Validation(Validation.Kind.SNAPSHOT, latest.endOffset(), latest.epoch());
    if (startOffset() == 0 && offset == 0) return new Validation(Validation.Kind.VALID, 0, 0);
    SnapshotId earliest = earliestSnapshotId();
    if (earliest != null && (offset < startOffset() || (offset == startOffset() && epoch != earliest.epoch()) || epoch < earliest.epoch())) {
      return new Validation(Validation.Kind.SNAPSHOT, latest.endOffset(), latest.epoch());
    }
    LeaderEpochCache.EpochEnd end = endOffsetForEpoch(epoch);
    if (end.epoch() != epoch || end.endOffset() < offset) return new Validation(Validation.Kind.DIVERGING, end.endOffset(), end.epoch());
    return new Validation(Validation.Kind.VALID, offset, epoch);
  }

  /**
   * The committed data records below {@code below} as a loader sees them: the latest snapshot's records (each at the
   * snapshot's last contained offset, as Kafka replays a snapshot) and then the log's records from its end offset.
   */
  List<LogRecord> imageRecords(long below) {
    List<LogRecord> out = new ArrayList<>();
    SnapshotId s = latestSnapshotAtOrBelow(below);
    long from = 0;
    if (s != null) {
      out.addAll(snapshotRecords(s));
      from = s.endOffset();
    }
    out.addAll(MetadataBatches.dataRecords(log, from, below));
    return out;
  }

  /** The data records of snapshot {@code id}, each at offset endOffset - 1. */
  List<LogRecord> snapshotRecords(SnapshotId id) {
    List<LogRecord> out = new ArrayList<>();
    for (LogRecord r : MetadataSnapshots.records(disk.readAll(path(id)))) {
      out.add(new LogRecord(id.endOffset() - 1, r.timestamp(), r.key(), r.value(), r.headers()));
    }
    return out;
  }

  // ---- snapshots ----

  SnapshotId latestSnapshotId() {
    return snapshots.isEmpty() ? null : snapshots.last();
  }

  SnapshotId earliestSnapshotId() {
    return snapshots.isEmpty() ? null : snapshots.first();
  }

  SnapshotId latestSnapshotAtOrBelow(long offset) {
    return snapshots.floor(new SnapshotId(offset, Integer.MAX_VALUE));
  }

  List<SnapshotId> snapshots() {
    return List.copyOf(snapshots);
  }

  boolean hasSnapshot(SnapshotId id) {
    return snapshots.contains(id) && disk.exists(path(id));
  }

  /** The bytes of a frozen snapshot, or null when it is not (or no longer) on disk. */
  byte[] readSnapshot(SnapshotId id) {
    return hasSnapshot(id) ? disk.readAll(path(id)) : null;
  }

  /** KafkaMetadataLog.onSnapshotFrozen: the snapshot is durable and renamed into place, so it counts. */
  void onSnapshotFrozen(SnapshotId id) {
    if (id.endOffset() < startOffset()) {
      disk.delete(path(id)); // written below a log start that moved meanwhile (a downloaded snapshot replaced the log)
      return;
    }
    snapshots.add(id);
  }

  /**
   * KafkaMetadataLog.truncateToLatestSnapshot: when the latest snapshot is of a later epoch than the log's, or of the same
   * epoch past its end, the log is replaced by an empty one starting at the snapshot's end; older snapshots are forgotten.
   */
  boolean truncateToLatestSnapshot() {
    SnapshotId s = latestSnapshotId();
    int latestEpoch = Math.max(0, log.epochs().latestEpoch());
    if (s == null || !(s.epoch() > latestEpoch || (s.epoch() == latestEpoch && s.endOffset() > endOffset()))) return false;
    log.truncateFullyAndStartAt(s.endOffset());
    forgetBefore(s);
    return true;
  }

  /**
   * KafkaMetadataLog.maybeClean: by size, then by age, delete the oldest snapshot and move the log start to the next one,
   * as long as the rule is broken and two snapshots remain. Returns a description of what it did, or null.
   */
  String maybeClean(long nowMs, long highWatermark) {
    StringBuilder did = new StringBuilder();
    long total;
    while (snapshots.size() >= 2 && config.metadataMaxRetentionBytes() >= 0 && (total = retainedBytes()) > config.metadataMaxRetentionBytes()) {
      if (!deleteBeforeSnapshot(snapshots.higher(snapshots.first()), highWatermark)) break;
      did.append("metadata.max.retention.bytes=").append(config.metadataMaxRetentionBytes()).append(" exceeded (").append(total).append(" bytes); ");
    }
    while (snapshots.size() >= 2 && config.metadataMaxRetentionMs() >= 0 && nowMs - lastContainedTimestampMs(snapshots.first()) > config.metadataMaxRetentionMs()) {
      if (!deleteBeforeSnapshot(snapshots.higher(snapshots.first()), highWatermark)) break;
      did.append("metadata.max.retention.ms=").append(config.metadataMaxRetentionMs()).append(" passed; ");
    }
    return did.length() == 0 ? null : did.toString() + "log start offset " + startOffset() + ", snapshots " + snapshots;
  }

  /**
   * KafkaMetadataLog.deleteBeforeSnapshot: the log start offset moves to the snapshot's end offset (never past the high
   * watermark: UnifiedLog.maybeIncrementLogStartOffset), segments wholly below it are deleted, older snapshots forgotten.
   */
  boolean deleteBeforeSnapshot(SnapshotId id, long highWatermark) {
    SnapshotId latest = latestSnapshotId();
    if (latest == null || !snapshots.contains(id) || startOffset() >= id.endOffset() || id.compareTo(latest) > 0) return false;
    if (id.endOffset() > highWatermark || id.endOffset() > endOffset()) return false;
    List<Long> below = new ArrayList<>();
    List<Log.SegmentInfo> segments = log.segmentInfos();
    for (int i = 0; i + 1 < segments.size(); i++) if (segments.get(i + 1).baseOffset() <= id.endOffset()) below.add(segments.get(i).baseOffset());
    log.deleteSegments(new RetentionPolicy.Decision(List.of(new RetentionPolicy.Pass(RetentionPolicy.Reason.LOG_START_OFFSET_BREACH, below, id.endOffset())), id.endOffset()));
    forgetBefore(id);
    return true;
  }

  private void forgetBefore(SnapshotId id) {
    for (SnapshotId old : new ArrayList<>(snapshots.headSet(id))) {
      snapshots.remove(old);
      disk.delete(path(old)); // Kafka renames it .deleted and deletes it after file.delete.delay.ms
    }
  }

  /** Snapshots.lastContainedLogTimestamp: the header batch's timestamp is the last contained record's. */
  private long lastContainedTimestampMs(SnapshotId id) {
    if (!disk.exists(path(id))) return Long.MAX_VALUE;
    byte[] head = disk.read(path(id), 0, 61);
    return RecordBatches.header(head, 0).maxTimestamp();
  }

  /** The log's segments and every snapshot, as KafkaMetadataLog counts them against metadata.max.retention.bytes. */
  long retainedBytes() {
    long total = 0;
    for (Log.SegmentInfo s : log.segmentInfos()) total += s.sizeBytes();
    for (SnapshotId s : snapshots) if (disk.exists(path(s))) total += disk.size(path(s));
    return total;
  }
}
