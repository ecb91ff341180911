package sim.postgres.replication;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.disk.SimDisk;
import sim.postgres.heap.HeapPage;
import sim.postgres.wal.ControlFile;
import sim.postgres.wal.Storage;
import sim.postgres.wal.WalFiles;

/**
 * filemap.c's decide_file_actions and pg_rewind.c's perform_rewind: for each file of either data directory,
 * what to do (copy whole, copy the tail, truncate, remove, nothing), plus the blocks of the page map copied
 * from the source into the target's relation files; then backup_label and pg_control, which tell the target
 * to replay from the last common checkpoint up to the source's WAL insert position (minRecoveryPoint).
 */
public final class RewindFileMap {
  /** file_action_t. */
  public enum Action { NONE, COPY, COPY_TAIL, TRUNCATE, REMOVE }

  /** What was done, for the narration: files by action, blocks copied from the page map. */
  public record Applied(Map<Action, Integer> files, int blocksCopied, List<String> written) {}

  private RewindFileMap() {}

  /**
   * check_file_excluded: what pg_rewind never copies nor keeps (excludeDirContents / excludeFiles), plus this
   * model's temporary files and its operator's note {@code pg_rewind.started}.
   */
  static boolean excluded(String path) {
    return path.startsWith("pg_replslot/") || path.equals("backup_label") || path.equals("postmaster.pid") || path.endsWith(".tmp")
        || path.equals(STARTED);
  }

  /** This model's note that a pg_rewind began and has not printed Done! (see the README). */
  public static final String STARTED = "pg_rewind.started";

  /** isRelDataFile: base/&lt;oid&gt; here (PostgreSQL's base/&lt;dboid&gt;/&lt;relfilenode&gt;[.segno]). */
  static boolean isRelFile(String path) {
    return path.startsWith("base/") && path.length() > 5 && path.substring(5).chars().allMatch(Character::isDigit);
  }

  /** decide_file_action for every path in either directory (sorted, as filemap.c sorts its entries). */
  public static Map<String, Action> decide(SimDisk target, PgRewind.Source source) {
    TreeSet<String> paths = new TreeSet<>(source.files().keySet());
    paths.addAll(target.list(""));
    Map<String, Action> out = new TreeMap<>();
    for (String p : paths) out.put(p, decide(p, target.exists(p) ? target.size(p) : -1, source.files().get(p)));
    return out;
  }

  private static Action decide(String path, long targetSize, byte[] src) {
    if (path.equals(Storage.CONTROL)) return Action.NONE; // written last, specially
    if (excluded(path)) return targetSize >= 0 && !path.equals(STARTED) ? Action.REMOVE : Action.NONE;
    if (targetSize < 0) return src == null ? Action.NONE : Action.COPY;
    if (src == null) return Action.REMOVE;
    if (!isRelFile(path)) return Action.COPY; // a non-data file: copied in toto
    if (targetSize < src.length) return Action.COPY_TAIL;
    if (targetSize > src.length) return Action.TRUNCATE;
    return Action.NONE;
  }

  /**
   * perform_rewind: the page map's blocks (those the source still has), then each file's action, then
   * backup_label. Returns the files written or changed (for the fsync of sync_target_dir). pg_control is not
   * written here: see {@link #newControl}.
   */
  public static Applied apply(SimDisk target, PgRewind.Source source, PgRewind.Plan plan, Map<String, Action> actions, String startTime) {
    Map<Action, Integer> counts = new TreeMap<>();
    List<String> written = new ArrayList<>();
    int blocks = 0;
    for (Map.Entry<String, Action> a : actions.entrySet()) {
      String path = a.getKey();
      byte[] src = source.files().get(path);
      TreeSet<Integer> changed = plan.pageMap().get(path);
      if (changed != null && src != null && target.exists(path)) {
        for (int blk : changed) {
          long off = (long) blk * HeapPage.BLCKSZ;
          if (off >= src.length) continue; // truncated on the source: the file's action handles it
          target.write(path, off, src, (int) off, (int) Math.min(HeapPage.BLCKSZ, src.length - off));
          blocks++;
        }
        written.add(path);
      }
      if (a.getValue() != Action.NONE) counts.merge(a.getValue(), 1, Integer::sum);
      act(target, path, a.getValue(), src, written);
    }
    writeNew(target, "backup_label", backupLabel(plan, WalFiles.controlSegmentSize(target, WalFiles.DEFAULT_SEGMENT_BYTES), startTime));
    written.add("backup_label");
    return new Applied(counts, blocks, written);
  }

  private static void act(SimDisk target, String path, Action action, byte[] src, List<String> written) {
    switch (action) {
      case NONE -> { }
      case COPY -> {
        writeNew(target, path, src);
        written.add(path);
      }
      case COPY_TAIL -> {
        long size = target.size(path);
        target.write(path, size, src, (int) size, (int) (src.length - size));
        written.add(path);
      }
      case TRUNCATE -> {
        target.truncate(path, src.length);
        written.add(path);
      }
      case REMOVE -> target.delete(path);
    }
  }

  private static void writeNew(SimDisk disk, String path, byte[] bytes) {
    if (disk.exists(path)) disk.delete(path);
    disk.create(path);
    if (bytes.length > 0) disk.write(path, 0, bytes);
  }

  /** createBackupLabel(chkptredo, chkpttli, chkptrec), PostgreSQL's text (no LABEL: line). */
  static byte[] backupLabel(PgRewind.Plan plan, int segSize, String startTime) {
    String file = WalFiles.baseName(WalFiles.fileOf(plan.chkptTli(), segSize, plan.chkptRedo()));
    return ("START WAL LOCATION: " + PgRewind.lsn(plan.chkptRedo()) + " (file " + file + ")\n"
        + "CHECKPOINT LOCATION: " + PgRewind.lsn(plan.chkptLsn()) + "\n"
        + "BACKUP METHOD: pg_rewind\n"
        + "BACKUP FROM: standby\n"
        + "START TIME: " + startTime + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The target's new pg_control: the source's, with minRecoveryPoint at the source's WAL insert position on its
   * timeline and the state "in archive recovery". Here pg_control already points at the last common checkpoint
   * (PostgreSQL's pg_rewind keeps the source's checkpoint and lets backup_label override it; the server copies the
   * label's checkpoint into pg_control as it starts). This model's recovery does not read backup_label.
   */
  public static ControlFile newControl(PgRewind.Source source, PgRewind.Plan plan) {
    ControlFile sc = source.control();
    int endTli = Math.max(sc.timeline(), sc.minRecoveryPointTli());
    return sc.rewound(plan.chkptRedo(), plan.chkptLsn(), plan.chkptTli(), source.insertLsn(), endTli);
  }
}
