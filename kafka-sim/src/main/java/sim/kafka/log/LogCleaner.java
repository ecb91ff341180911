package sim.kafka.log;

import java.util.ArrayList;
import java.util.BitSet;
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
    KeyOffsetMap latest = new KeyOffsetMap();
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
          Kept k = kept(bytes, h, latest, latestOffset, nowMs);
          read += k.count;
          kept += k.kept.cardinality();
          tombstones += k.tombstonesDropped;
          boolean producersLastBatch = h.hasProducerId() && producersLast.getOrDefault(h.producerId(), -1L) == h.lastOffset();
          byte[] rewritten = rewrite(bytes, h, k, nowMs + log.config().deleteRetentionMs(),
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
  static long offsetMap(Log log, long start, long end, KeyOffsetMap latest) {
    long latestOffset = -1;
    List<Log.SegmentInfo> dirty = CleanerPolicy.overlapping(log.segmentInfos(), start, end);
    for (int i = 0; i < dirty.size(); i++) {
      for (Log.BatchRef ref : log.segmentBatches(dirty.get(i).baseOffset())) {
        byte[] batch = log.readBatch(ref);
        RecordBatches.forEachKey(batch, 0, (index, offset, keyPosition, keyLength, tombstone) -> {
          if (keyLength >= 0 && offset >= start) latest.put(batch, keyPosition, keyLength, offset);
        });
        if (ref.header().lastOffset() >= start) latestOffset = Math.max(latestOffset, ref.header().lastOffset());
      }
      long nextStart = i + 1 < dirty.size() ? dirty.get(i + 1).baseOffset() : end;
      latestOffset = Math.max(latestOffset, nextStart - 1);
    }
    return latestOffset;
  }

  /** Which records of a batch stay (by index), how many it has, whether a kept one is a tombstone. */
  private static final class Kept {
    final BitSet kept = new BitSet();
    int count;
    boolean tombstone;
    int tombstonesDropped;
  }

  /** Kafka's {@code shouldRetainRecord} for every record of a batch, reading only keys (no record is decoded). */
  private static Kept kept(byte[] bytes, BatchHeader h, KeyOffsetMap latest, long latestOffset, long nowMs) {
    Kept k = new Kept();
    RecordBatches.forEachKey(bytes, 0, (index, offset, keyPosition, keyLength, tombstone) -> {
      k.count++;
      // the key's last offset, looked up once for both questions below (-1: not in the map; a null key has none)
      long last = offset > latestOffset || keyLength < 0 ? -1L : latest.get(bytes, keyPosition, keyLength, -1L);
      if (retain(offset, keyLength >= 0, last, tombstone, h, latestOffset, nowMs)) {
        k.kept.set(index);
        k.tombstone |= tombstone;
      } else if (tombstone && keyLength >= 0 && offset >= last) {
        k.tombstonesDropped++; // the key's last record, a tombstone past its delete horizon (a superseded one is not counted)
      }
    });
    return k;
  }

  /** Kafka's {@code shouldRetainRecord}: the last record for its key; a tombstone only before its delete horizon. */
  static boolean retain(long offset, boolean hasKey, long keysLastOffset, boolean tombstone, BatchHeader h, long latestOffset, long nowMs) {
    if (offset > latestOffset) return true;
    if (!hasKey) return false;
    boolean last = offset >= keysLastOffset;
    boolean keepDeletes = h.deleteHorizonMs() < 0 || nowMs < h.deleteHorizonMs();
    return last && (!tombstone || keepDeletes);
  }

  /**
   * The batch as it goes back: untouched, rewritten with fewer records (or a new delete horizon), empty, or gone.
   * Only a batch that is rewritten has its records decoded.
   */
  private static byte[] rewrite(byte[] original, BatchHeader h, Kept k, long newHorizon, boolean keepEmpty) {
    if (k.kept.isEmpty()) return keepEmpty ? emptyBatch(h) : null;
    boolean setHorizon = k.tombstone && h.deleteHorizonMs() < 0;
    if (k.kept.cardinality() == k.count && !setHorizon) return original;
    List<LogRecord> all = RecordBatches.records(original, 0);
    List<LogRecord> retained = new ArrayList<>(k.kept.cardinality());
    for (int i = k.kept.nextSetBit(0); i >= 0; i = k.kept.nextSetBit(i + 1)) retained.add(all.get(i));
    return RecordBatches.buildRetained(h, retained, setHorizon ? newHorizon : h.deleteHorizonMs());
  }

  /** {@code DefaultRecordBatch.writeEmptyHeader}: the batch's offsets and producer fields, no records. */
  static byte[] emptyBatch(BatchHeader h) {
    return RecordBatches.emptyBatch(h);
  }
}
