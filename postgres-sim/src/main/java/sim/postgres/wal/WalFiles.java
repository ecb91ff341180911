package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import sim.core.disk.SimDisk;
import sim.postgres.replication.Timelines;

/**
 * WAL segment files in {@code pg_wal/}, named and cut as xlog_internal.h does: the log is one byte stream
 * cut into segments of {@code wal_segment_size} bytes, segment {@code segNo = lsn / segSize}
 * (XLByteToSeg), its file {@code XLogFileName}: the timeline, then {@code segNo / (2^32 / segSize)} and
 * {@code segNo % (2^32 / segSize)}, each as 8 hex digits. A record that crosses a boundary continues at
 * the start of the next file (PostgreSQL marks that with XLP_FIRST_IS_CONTRECORD in the page header; this
 * model writes no page headers, so a file holds only the record bytes written into it, not 16 MB).
 *
 * <p>Reading follows the timeline history as XLogFileReadAnyTLI does: a segment comes from the newest
 * timeline's file, or else from an ancestor's, but an ancestor's file only up to the point where that
 * timeline ended (its bytes after the switch point are another history).
 */
public final class WalFiles {
  /** PostgreSQL's default {@code wal_segment_size} (initdb {@code --wal-segsize=16}). */
  public static final int DEFAULT_SEGMENT_BYTES = 16 * 1024 * 1024;
  static final String DIR = "pg_wal/";

  private WalFiles() {}

  /** pg_control's xlog_seg_size (bytes 12..15 of this model's control file), or {@code dflt} before initdb. */
  public static int controlSegmentSize(SimDisk disk, int dflt) {
    if (!disk.exists(Storage.CONTROL) || disk.size(Storage.CONTROL) < 16) return dflt;
    return java.nio.ByteBuffer.wrap(disk.read(Storage.CONTROL, 12, 4)).getInt();
  }

  /** XLByteToSeg. */
  public static long segNo(long lsn, int segSize) {
    return lsn / segSize;
  }

  /** XLogSegmentOffset. */
  static long offset(long lsn, int segSize) {
    return lsn % segSize;
  }

  /** XLogSegNoOffsetToRecPtr(segNo, 0). */
  public static long segStart(long segNo, int segSize) {
    return segNo * segSize;
  }

  /** XLogFileName: {@code pg_wal/000000010000000000000001} for timeline 1, segment 1 of 16 MB. */
  public static String fileName(int tli, long segNo, int segSize) {
    long perId = 0x100000000L / segSize; // XLogSegmentsPerXLogId
    return DIR + String.format(Locale.ROOT, "%08X%08X%08X", tli, segNo / perId, segNo % perId);
  }

  /** The file's name without {@code pg_wal/}, as PostgreSQL's messages print it. */
  public static String baseName(String file) {
    return file.startsWith(DIR) ? file.substring(DIR.length()) : file;
  }

  /** IsXLogFileName: 24 hex digits. */
  static boolean isSegmentFile(String file) {
    String n = baseName(file);
    return n.length() == 24 && n.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
  }

  /** The segment number a file name stands for (XLogFromFileName). */
  static long segNoOf(String file, int segSize) {
    String n = baseName(file);
    long perId = 0x100000000L / segSize;
    return Long.parseLong(n.substring(8, 16), 16) * perId + Long.parseLong(n.substring(16, 24), 16);
  }

  /** Every WAL segment file on the disk, sorted by name (timeline, then segment). */
  public static List<String> segments(SimDisk disk) {
    List<String> out = new ArrayList<>();
    for (String f : disk.list(DIR)) if (isSegmentFile(f)) out.add(f);
    return out;
  }

  /**
   * Writes {@code len} bytes of WAL starting at {@code lsn} on timeline {@code tli}, cut at segment
   * boundaries; returns the files written, in order. A segment's first file on a new timeline starts as a
   * copy of its ancestor's up to here (XLogInitNewTimeline's XLogFileCopy), so the file reads whole.
   */
  public static List<String> write(SimDisk disk, int tli, int segSize, long lsn, byte[] bytes, int from, int len) {
    List<String> files = new ArrayList<>();
    long pos = lsn;
    int done = 0;
    while (done < len) {
      long seg = segNo(pos, segSize);
      long off = offset(pos, segSize);
      int n = (int) Math.min(len - done, segSize - off);
      String file = fileName(tli, seg, segSize);
      if (!disk.exists(file)) startSegment(disk, tli, segSize, seg, off, file);
      disk.write(file, off, bytes, from + done, n);
      files.add(file);
      pos += n;
      done += n;
    }
    return files;
  }

  public static List<String> write(SimDisk disk, int tli, int segSize, long lsn, byte[] bytes) {
    return write(disk, tli, segSize, lsn, bytes, 0, bytes.length);
  }

  /** Creates the file the WAL at {@code lsn} goes into, if absent (XLogFileInit, with the ancestor's copy). */
  static void ensureSegment(SimDisk disk, int tli, int segSize, long lsn) {
    String file = fileOf(tli, segSize, lsn);
    if (!disk.exists(file)) startSegment(disk, tli, segSize, segNo(lsn, segSize), offset(lsn, segSize), file);
  }

  private static void startSegment(SimDisk disk, int tli, int segSize, long seg, long off, String file) {
    byte[] before = off == 0 ? new byte[0] : readSegment(disk, tli, segSize, seg, off); // this file is absent: an ancestor's
    disk.create(file);
    if (before.length > 0) disk.write(file, 0, before);
  }

  /** WAL bytes [from, to) as the disk has them on timeline {@code tli}; fewer where the WAL ends first. */
  public static byte[] read(SimDisk disk, int tli, int segSize, long from, long to) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    long pos = from;
    while (pos < to) {
      long seg = segNo(pos, segSize);
      long off = offset(pos, segSize);
      long want = Math.min(to - pos, segSize - off);
      byte[] part = readSegment(disk, tli, segSize, seg, off + want);
      if (part.length <= off) break;
      int n = (int) Math.min(want, part.length - off);
      out.write(part, (int) off, n);
      pos += n;
      if (n < want) break; // the segment ends early: the end of the WAL
    }
    return out.toByteArray();
  }

  /** Segment {@code seg}'s bytes [0, upTo) from the newest file timeline {@code tli}'s history allows. */
  private static byte[] readSegment(SimDisk disk, int tli, int segSize, long seg, long upTo) {
    long limit = upTo;
    for (Source s : sources(disk, tli)) {
      long segStart = segStart(seg, segSize);
      if (s.endLsn() <= segStart) continue; // that timeline had ended before this segment
      String file = fileName(s.tli(), seg, segSize);
      if (!disk.exists(file)) continue;
      long n = Math.min(Math.min(limit, disk.size(file)), s.endLsn() - segStart);
      return n <= 0 ? new byte[0] : disk.read(file, 0, (int) n);
    }
    return new byte[0];
  }

  private record Source(int tli, long endLsn) {}

  /** Timeline {@code tli} (open-ended), then its ancestors newest first, each up to its switch point. */
  private static List<Source> sources(SimDisk disk, int tli) {
    List<Source> out = new ArrayList<>();
    out.add(new Source(tli, Long.MAX_VALUE));
    List<Timelines.Entry> history = Timelines.parse(Timelines.read(disk, tli));
    for (int i = history.size() - 1; i >= 0; i--) out.add(new Source(history.get(i).tli(), history.get(i).switchLsn()));
    return out;
  }

  /** The start of the oldest segment any WAL file on the disk holds (Long.MAX_VALUE if none). */
  public static long oldestLsn(SimDisk disk, int segSize) {
    long oldest = Long.MAX_VALUE;
    for (String f : segments(disk)) oldest = Math.min(oldest, segStart(segNoOf(f, segSize), segSize));
    return oldest;
  }

  /** The file a byte at {@code lsn} on timeline {@code tli} is written to. */
  public static String fileOf(int tli, int segSize, long lsn) {
    return fileName(tli, segNo(lsn, segSize), segSize);
  }

  /**
   * Cuts the WAL of timeline {@code tli} at {@code endLsn} (a torn tail redo will not replay again): the
   * segment holding it is truncated, this timeline's later segments deleted.
   */
  public static void truncate(SimDisk disk, int tli, int segSize, long endLsn) {
    long endSeg = segNo(endLsn, segSize);
    for (String f : new TreeSet<>(segments(disk))) {
      if (!baseName(f).startsWith(String.format(Locale.ROOT, "%08X", tli))) continue;
      long seg = segNoOf(f, segSize);
      if (seg > endSeg) disk.delete(f);
      else if (seg == endSeg && disk.size(f) > offset(endLsn, segSize)) disk.truncate(f, offset(endLsn, segSize));
    }
  }
}
