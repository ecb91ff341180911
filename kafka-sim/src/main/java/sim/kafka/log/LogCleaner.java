package sim.kafka.log;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * The log cleaner's copy (Kafka's {@code Cleaner.doClean}) over the range {@link CleanerPolicy} chose: an offset
 * map of the dirty section (each key's last offset), then every segment up to the end of that map rewritten
 * keeping a record only if it is the last for its key — and, for a tombstone, only until the delete horizon:
 * the first clean that keeps a tombstone stamps its batch with {@code now + delete.retention.ms} (KIP-534), a
 * clean after that drops it. Offsets are kept (gaps), a batch keeps its base and last offset, epoch and
 * producer fields; a batch emptied is dropped, unless it is a producer's last (its sequence must survive) or
 * the last of the cleaning round. Consecutive segments are cleaned into one while they fit in segment.bytes
 * ({@link CleanerPolicy#groupBySize}). The active segment is never touched.
 */
public final class LogCleaner {
  private LogCleaner() {}

  /** What one clean did. {@code endOffset} is the new cleaner checkpoint. */
  public record Result(long endOffset, int segments, int recordsRead, int recordsKept, long bytesRead, long bytesWritten, int tombstonesDropped) {
    @Override
    public String toString() {
      return recordsRead + " records in " + segments + " segments, " + recordsKept + " kept (" + bytesRead + "B -> " + bytesWritten + "B)"
          + (tombstonesDropped > 0 ? ", " + tombstonesDropped + " tombstones past delete.retention.ms dropped" : "") + "; dirty from " + endOffset;
    }
  }

  public static Result clean(Log log, CleanerPolicy.Decision d, long nowMs) {
    Map<ByteBuffer, Long> latest = new HashMap<>();
    long latestOffset = offsetMap(log, d.firstDirtyOffset(), d.firstUncleanableOffset(), latest);
    long endOffset = latestOffset + 1;
    Map<Long, Long> producersLast = log.producers().lastOffsets();
    int segments = 0;
    int read = 0;
    int kept = 0;
    int tombstones = 0;
    long bytesRead = 0;
    long bytesWritten = 0;
    List<Log.SegmentInfo> toClean = new ArrayList<>();
    for (Log.SegmentInfo s : CleanerPolicy.overlapping(log.segmentInfos(), 0, endOffset)) if (!s.active()) toClean.add(s);
    for (List<Log.SegmentInfo> group : CleanerPolicy.groupBySize(toClean, log.config().segmentBytes(), d.firstUncleanableOffset())) {
      List<byte[]> out = new ArrayList<>();
      for (Log.SegmentInfo s : group) {
        segments++;
        for (Log.BatchRef ref : log.segmentBatches(s.baseOffset())) {
          byte[] bytes = log.readBatch(ref);
          BatchHeader h = ref.header();
          bytesRead += bytes.length;
          List<LogRecord> retained = new ArrayList<>();
          boolean tombstone = false;
          List<LogRecord> records = RecordBatches.records(bytes, 0);
          read += records.size();
          for (LogRecord r : records) {
            if (retain(r, h, latest, latestOffset, nowMs)) {
              retained.add(r);
              tombstone |= r.value() == null;
            } else if (r.value() == null && r.key() != null && r.offset() >= latest.getOrDefault(ByteBuffer.wrap(r.key()), -1L)) {
              tombstones++; // the key's last record, a tombstone past its delete horizon (a superseded one is not counted)
            }
          }
          kept += retained.size();
          boolean producersLastBatch = h.hasProducerId() && producersLast.getOrDefault(h.producerId(), -1L) == h.lastOffset();
          byte[] rewritten = rewrite(bytes, h, records.size(), retained, tombstone, nowMs + log.config().deleteRetentionMs(),
              producersLastBatch || h.nextOffset() == d.firstUncleanableOffset());
          if (rewritten != null) {
            out.add(rewritten);
            bytesWritten += rewritten.length;
          }
        }
      }
      List<Long> bases = new ArrayList<>();
      for (Log.SegmentInfo s : group) bases.add(s.baseOffset());
      log.replaceSegments(bases, out);
    }
    return new Result(endOffset, segments, read, kept, bytesRead, bytesWritten, tombstones);
  }

  /** Each key's last offset in [start, end); returns the last offset of the mapped range (fast-forwarded to its end). */
  static long offsetMap(Log log, long start, long end, Map<ByteBuffer, Long> latest) {
    long latestOffset = -1;
    List<Log.SegmentInfo> dirty = CleanerPolicy.overlapping(log.segmentInfos(), start, end);
    for (int i = 0; i < dirty.size(); i++) {
      for (Log.BatchRef ref : log.segmentBatches(dirty.get(i).baseOffset())) {
        for (LogRecord r : RecordBatches.records(log.readBatch(ref), 0)) {
          if (r.key() != null && r.offset() >= start) latest.put(ByteBuffer.wrap(r.key()), r.offset());
        }
        if (ref.header().lastOffset() >= start) latestOffset = Math.max(latestOffset, ref.header().lastOffset());
      }
      long nextStart = i + 1 < dirty.size() ? dirty.get(i + 1).baseOffset() : end;
      latestOffset = Math.max(latestOffset, nextStart - 1);
    }
    return latestOffset;
  }

  /** Kafka's {@code shouldRetainRecord}: the last record for its key; a tombstone only before its delete horizon. */
  static boolean retain(LogRecord r, BatchHeader h, Map<ByteBuffer, Long> latest, long latestOffset, long nowMs) {
    if (r.offset() > latestOffset) return true;
    if (r.key() == null) return false;
    boolean last = r.offset() >= latest.getOrDefault(ByteBuffer.wrap(r.key()), -1L);
    boolean keepDeletes = h.deleteHorizonMs() < 0 || nowMs < h.deleteHorizonMs();
    return last && (r.value() != null || keepDeletes);
  }

  /** The batch as it goes back: untouched, rewritten with fewer records (or a new delete horizon), empty, or gone. */
  static byte[] rewrite(byte[] original, BatchHeader h, int count, List<LogRecord> retained, boolean tombstone, long newHorizon,
      boolean keepEmpty) {
    if (retained.isEmpty()) return keepEmpty ? emptyBatch(h) : null;
    boolean setHorizon = tombstone && h.deleteHorizonMs() < 0;
    if (retained.size() == count && !setHorizon) return original;
    return RecordBatches.buildRetained(h, retained, setHorizon ? newHorizon : h.deleteHorizonMs());
  }

  /** {@code DefaultRecordBatch.writeEmptyHeader}: the batch's offsets and producer fields, no records. */
  static byte[] emptyBatch(BatchHeader h) {
    return RecordBatches.emptyBatch(h);
  }
}
