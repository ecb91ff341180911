package sim.postgres.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.disk.SimDisk;
import sim.postgres.wal.ControlFile;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;
import sim.postgres.wal.WalRecord;

/**
 * pg_rewind's decisions (pg_rewind.c, parsexlog.c, timeline.c): whether the target (a former primary, shut
 * down) has to be rewound to follow the source (the new primary), from where, and which blocks of its
 * relation files its own WAL changed after the servers diverged. {@link RewindFileMap} then decides each
 * file's action and applies it. Messages are pg_rewind's, word for word.
 */
public final class PgRewind {
  /** The source server as its libpq source shows it: its files, pg_current_wal_insert_lsn() and full_page_writes. */
  public record Source(Map<String, byte[]> files, long insertLsn, boolean fullPageWrites) {
    ControlFile control() {
      return ControlFile.decode(files.get(sim.postgres.wal.Storage.CONTROL));
    }
  }

  /** TimeLineHistoryEntry: timeline {@code tli} from {@code begin} to {@code end} (0 = InvalidXLogRecPtr: open). */
  record HistoryEntry(int tli, long begin, long end) {}

  /**
   * What pg_rewind decided: the divergence point and the last common checkpoint (when a rewind is needed),
   * the blocks the target's WAL touched after that checkpoint (relation file → block numbers), and the
   * lines it printed.
   */
  public record Plan(boolean rewindNeeded, long divergeLsn, int divergeTli, long chkptLsn, int chkptTli, long chkptRedo,
      Map<String, TreeSet<Integer>> pageMap, List<Integer> discardedCommits, List<String> log) {}

  /** pg_fatal: pg_rewind stops with this message and changes nothing. */
  public static final class Fatal extends RuntimeException {
    public Fatal(String message) {
      super(message);
    }
  }

  private PgRewind() {}

  /** %X/%X, as pg_rewind prints LSNs (no zero padding). */
  public static String lsn(long lsn) {
    return String.format(Locale.ROOT, "%X/%X", lsn >>> 32, lsn & 0xffffffffL);
  }

  /**
   * sanityChecks: the target must keep hint-bit changes in its WAL (data checksums or wal_log_hints, or a page
   * changed only by a hint bit would escape the page map) and must have been shut down cleanly.
   */
  public static void sanityChecks(ControlFile target) {
    if (target.dataChecksumVersion() != ControlFile.PG_DATA_CHECKSUM_VERSION && !target.walLogHints()) {
      throw new Fatal("target server needs to use either data checksums or \"wal_log_hints = on\"");
    }
    if (target.state() != ControlFile.DB_SHUTDOWNED && target.state() != ControlFile.DB_SHUTDOWNED_IN_RECOVERY) {
      throw new Fatal("target server must be shut down cleanly");
    }
  }

  /** main() up to "rewinding from last common checkpoint", then extractPageMap. {@code skipTargetWal}: --break. */
  public static Plan plan(SimDisk target, Source source, boolean skipTargetWal) {
    List<String> log = new ArrayList<>();
    ControlFile tc = ControlFile.read(target);
    ControlFile sc = source.control();
    sanityChecks(tc);
    int sourceTli = Math.max(sc.minRecoveryPointTli(), sc.timeline());
    int targetTli = Math.max(tc.minRecoveryPointTli(), tc.timeline());
    long targetEnd = targetTli == sourceTli ? 0 : Math.max(tc.minRecoveryPoint(), readOneRecord(target, targetTli, tc.checkPointLsn()).endLsn());
    Decision d = decide(sourceTli, targetTli == sourceTli ? "" : historyText(source.files(), sourceTli), targetTli,
        Timelines.read(target, targetTli), targetEnd);
    log.addAll(d.log());
    if (!d.rewindNeeded()) return new Plan(false, d.divergeLsn(), d.divergeTli(), 0, 0, 0, Map.of(), List.of(), log);
    long diverge = d.divergeLsn();
    int divergeTli = d.divergeTli();
    Wal.Entry chkpt = findLastCheckpoint(target, divergeTli, diverge);
    long redo = ((WalRecord.Checkpoint) chkpt.record()).redoLsn();
    log.add("rewinding from last common checkpoint at " + lsn(chkpt.lsn()) + " on timeline " + divergeTli);
    Map<String, TreeSet<Integer>> pageMap = new TreeMap<>();
    List<Integer> discarded = new ArrayList<>();
    extractPageMap(target, targetTli, chkpt.lsn(), targetEnd, diverge, pageMap, discarded);
    if (skipTargetWal) pageMap.clear(); // --break pg.rewind-skips-target-wal
    return new Plan(true, diverge, divergeTli, chkpt.lsn(), divergeTli, redo, pageMap, discarded, log);
  }

  /** Whether a rewind is needed, where the servers diverged, and the lines pg_rewind printed up to there. */
  public record Decision(boolean rewindNeeded, long divergeLsn, int divergeTli, List<String> log) {}

  /**
   * The timeline part of main(): same timeline, or the divergence point from both histories
   * (findCommonAncestorTimeline) against the end of the target's WAL ({@code targetEndLsn}: the end of its last
   * checkpoint record, or its minRecoveryPoint if later).
   */
  public static Decision decide(int sourceTli, String sourceHistory, int targetTli, String targetHistory, long targetEndLsn) {
    List<String> log = new ArrayList<>();
    if (targetTli == sourceTli) {
      log.add("source and target cluster are on the same timeline");
      log.add("no rewind required");
      return new Decision(false, 0, targetTli, log);
    }
    List<HistoryEntry> sh = history(sourceTli, sourceHistory);
    List<HistoryEntry> th = history(targetTli, targetHistory);
    int common = commonAncestor(sh, th);
    long diverge = minLsn(sh.get(common).end(), th.get(common).end());
    int tli = th.get(common).tli();
    log.add("servers diverged at WAL location " + lsn(diverge) + " on timeline " + tli);
    boolean needed = targetEndLsn > diverge;
    if (!needed) log.add("no rewind required");
    return new Decision(needed, diverge, tli, log);
  }

  private static String historyText(Map<String, byte[]> files, int tli) {
    byte[] b = files.get(Timelines.historyFile(tli));
    if (tli > 1 && b == null) throw new Fatal("could not open file \"" + Timelines.historyFile(tli) + "\" for reading: No such file or directory");
    return b == null ? "" : new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** rewind_parseTimeLineHistory: each ancestor from where its parent ended, then {@code tli} itself, open-ended. */
  static List<HistoryEntry> history(int tli, String text) {
    List<HistoryEntry> out = new ArrayList<>();
    long begin = 0;
    for (Timelines.Entry e : Timelines.parse(text)) {
      out.add(new HistoryEntry(e.tli(), begin, e.switchLsn()));
      begin = e.switchLsn();
    }
    out.add(new HistoryEntry(tli, begin, 0));
    return out;
  }

  /** findCommonAncestorTimeline: the last entry both histories share (same timeline, same start). */
  static int commonAncestor(List<HistoryEntry> a, List<HistoryEntry> b) {
    int n = Math.min(a.size(), b.size());
    int i = 0;
    while (i < n && a.get(i).tli() == b.get(i).tli() && a.get(i).begin() == b.get(i).begin()) i++;
    if (i == 0) throw new Fatal("could not find common ancestor of the source and target cluster's timelines");
    return i - 1;
  }

  /** MinXLogRecPtr: InvalidXLogRecPtr (0) means infinity. */
  static long minLsn(long a, long b) {
    if (a == 0) return b;
    if (b == 0) return a;
    return Math.min(a, b);
  }

  private static Wal.Entry readOneRecord(SimDisk disk, int tli, long at) {
    List<Wal.Entry> entries = Wal.read(disk, tli, at);
    if (entries.isEmpty()) throw new Fatal("could not read WAL record at " + lsn(at));
    return entries.get(0);
  }

  /**
   * findLastCheckpoint: the last checkpoint record that starts before the fork. PostgreSQL reads backwards
   * from the fork through xl_prev; this model's records have no back links, so it reads forwards from the
   * oldest WAL segment the target still has (the same record is found).
   */
  private static Wal.Entry findLastCheckpoint(SimDisk disk, int tli, long forkLsn) {
    int segSize = WalFiles.controlSegmentSize(disk, WalFiles.DEFAULT_SEGMENT_BYTES);
    long start = WalFiles.oldestLsn(disk, segSize);
    Wal.Entry last = null;
    if (start != Long.MAX_VALUE) {
      for (Wal.Entry e : Wal.read(disk, tli, start)) {
        if (e.lsn() >= forkLsn) break;
        if (e.record() instanceof WalRecord.Checkpoint) last = e;
      }
    }
    if (last == null) throw new Fatal("could not find previous WAL record at " + lsn(forkLsn));
    return last;
  }

  /**
   * extractPageMap: every block a record from the last common checkpoint to the end of the target's WAL
   * touches goes into the page map (those blocks are copied from the source). The commits after the fork
   * are what the rewind throws away (narration only: pg_rewind does not count them).
   */
  private static void extractPageMap(SimDisk disk, int tli, long from, long end, long fork, Map<String, TreeSet<Integer>> map,
      List<Integer> discarded) {
    long reached = from;
    for (Wal.Entry e : Wal.read(disk, tli, from)) {
      if (e.lsn() >= end) break;
      for (long[] ref : blockRefs(e.record())) {
        map.computeIfAbsent("base/" + ref[0], k -> new TreeSet<>()).add((int) ref[1]);
      }
      if (e.lsn() >= fork && e.record() instanceof WalRecord.Commit c) discarded.add(c.xid());
      reached = e.endLsn();
    }
    if (reached < end) throw new Fatal("could not read WAL record at " + lsn(reached));
  }

  /** XLogRecGetBlockTag for each block the record references: {relation OID, block number}. */
  static List<long[]> blockRefs(WalRecord r) {
    List<long[]> out = new ArrayList<>();
    if (r instanceof WalRecord.Insert i) {
      out.add(new long[] {i.relOid(), i.tid().block()});
    } else if (r instanceof WalRecord.Update u) {
      out.add(new long[] {u.relOid(), u.oldTid().block()});
      if (u.newTid().block() != u.oldTid().block()) out.add(new long[] {u.relOid(), u.newTid().block()});
    } else if (r instanceof WalRecord.Delete d) {
      out.add(new long[] {d.relOid(), d.tid().block()});
    } else if (r instanceof WalRecord.Lock l) {
      out.add(new long[] {l.relOid(), l.tid().block()});
    } else if (r instanceof WalRecord.Vacuum v) {
      out.add(new long[] {v.relOid(), v.page().block()});
    } else if (r instanceof WalRecord.BtreeInsert b) {
      out.add(new long[] {b.indexOid(), b.block()});
    } else if (r instanceof WalRecord.BtreePages p) {
      for (WalRecord.FullPage page : p.pages()) out.add(new long[] {p.indexOid(), page.block()});
    } else if (r instanceof WalRecord.BrinPages p) {
      for (WalRecord.FullPage page : p.pages()) out.add(new long[] {p.indexOid(), page.block()});
    }
    return out;
  }
}
