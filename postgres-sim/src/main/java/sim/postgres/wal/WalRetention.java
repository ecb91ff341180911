package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import sim.core.disk.SimDisk;

/**
 * Which WAL segments a checkpoint removes (xlog.c's KeepLogSeg, InvalidateObsoleteReplicationSlots and
 * RemoveOldXlogFiles) and how much WAL a slot still has (GetWALAvailability). The decision is a value,
 * {@link #keepLogSeg}; {@link #afterCheckpoint} applies it.
 */
public final class WalRetention {
  /** What the replication slots tell the checkpointer (slot.c); NONE when the server has no slots. */
  public interface Slots {
    Slots NONE = new Slots() {
      @Override
      public long minimumRestartLsn() {
        return 0;
      }

      @Override
      public List<String> invalidateObsolete(long oldestLsn) {
        return List.of();
      }

      @Override
      public void checkpoint() {}
    };

    /** XLogGetReplicationSlotMinimumLSN: the oldest restart_lsn of the valid slots, 0 (Invalid) if none. */
    long minimumRestartLsn();

    /** InvalidateObsoleteReplicationSlots: slots whose restart_lsn is before {@code oldestLsn} lose it. */
    List<String> invalidateObsolete(long oldestLsn);

    /** CheckPointReplicationSlots: every slot's state made durable. */
    void checkpoint();
  }
  /**
   * {@code wal_segment_size} (initdb {@code --wal-segsize}; fixed for the cluster, kept in pg_control),
   * {@code wal_keep_size} and {@code max_slot_wal_keep_size} in MB (-1: unlimited), {@code max_wal_size}.
   */
  public record Settings(int walSegmentSizeBytes, long walKeepSizeMb, long maxSlotWalKeepSizeMb, long maxWalSizeMb) {
    public static Settings defaults() {
      return new Settings(WalFiles.DEFAULT_SEGMENT_BYTES, 0, -1, 1024);
    }

    public Settings withSegmentSizeMb(int mb) {
      return withSegmentSize(mb * 1024 * 1024);
    }

    /** pg_control's size wins over the configured one once the cluster exists. */
    Settings withSegmentSize(int bytes) {
      return new Settings(bytes, walKeepSizeMb, maxSlotWalKeepSizeMb, maxWalSizeMb);
    }

    public Settings withWalKeepSizeMb(long mb) {
      return new Settings(walSegmentSizeBytes, mb, maxSlotWalKeepSizeMb, maxWalSizeMb);
    }

    public Settings withMaxSlotWalKeepSizeMb(long mb) {
      return new Settings(walSegmentSizeBytes, walKeepSizeMb, mb, maxWalSizeMb);
    }

    public Settings withMaxWalSizeMb(long mb) {
      return new Settings(walSegmentSizeBytes, walKeepSizeMb, maxSlotWalKeepSizeMb, mb);
    }

    /** ConvertToXSegs / XLogMBVarToSegs: MB to whole segments. */
    long segments(long mb) {
      return mb * 1024 * 1024 / walSegmentSizeBytes;
    }
  }

  /** What one checkpoint's removal did, for the trace. */
  public record Removal(long redoSegNo, long keptFromSegNo, List<String> removed, List<String> invalidated) {}

  private final SimDisk disk;
  private final Settings settings;
  private Slots slots = Slots.NONE;
  /** XLogCtl->lastRemovedSegNo: the newest segment removed (here found from pg_wal at startup). */
  private long lastRemovedSegNo;

  public WalRetention(SimDisk disk, Settings settings) {
    this.disk = disk;
    this.settings = settings;
    long oldest = WalFiles.oldestLsn(disk, settings.walSegmentSizeBytes());
    this.lastRemovedSegNo = oldest == Long.MAX_VALUE ? 0 : WalFiles.segNo(oldest, settings.walSegmentSizeBytes()) - 1;
  }

  public void setSlots(Slots slots) {
    this.slots = slots;
  }

  public Settings settings() {
    return settings;
  }

  /** XLogGetLastRemovedSegno. */
  public long lastRemovedSegNo() {
    return lastRemovedSegNo;
  }

  /**
   * KeepLogSeg: the oldest segment that must stay, no newer than {@code logSegNo}: the slots' oldest
   * restart_lsn (capped by max_slot_wal_keep_size), at least wal_keep_size behind {@code recptr}.
   */
  static long keepLogSeg(long recptr, long logSegNo, long slotMinLsn, Settings s) {
    int segSize = s.walSegmentSizeBytes();
    long currSegNo = WalFiles.segNo(recptr, segSize);
    long segno = currSegNo;
    if (slotMinLsn != 0 && slotMinLsn < recptr) {
      segno = WalFiles.segNo(slotMinLsn, segSize);
      if (s.maxSlotWalKeepSizeMb() >= 0) {
        long slotKeepSegs = s.segments(s.maxSlotWalKeepSizeMb());
        if (currSegNo - segno > slotKeepSegs) segno = currSegNo - slotKeepSegs;
      }
    }
    if (s.walKeepSizeMb() > 0) {
      long keepSegs = s.segments(s.walKeepSizeMb());
      if (currSegNo - segno < keepSegs) segno = currSegNo <= keepSegs ? 1 : currSegNo - keepSegs; // don't go below 1
    }
    return Math.min(segno, logSegNo);
  }

  private long slotMinimum() {
    return slots.minimumRestartLsn();
  }

  /**
   * The end of CreateCheckPoint: slots saved, then the oldest segment to keep from the redo pointer and
   * KeepLogSeg; slots that would hold more than max_slot_wal_keep_size are invalidated (and the horizon
   * computed again without them); every segment before it, on any timeline, is removed (RemoveOldXlogFiles).
   */
  public Removal afterCheckpoint(long redo, long recptr) {
    int segSize = settings.walSegmentSizeBytes();
    slots.checkpoint();
    long logSegNo = keepLogSeg(recptr, WalFiles.segNo(redo, segSize), slotMinimum(), settings);
    List<String> invalidated = slots.invalidateObsolete(WalFiles.segStart(logSegNo, segSize));
    if (!invalidated.isEmpty()) logSegNo = keepLogSeg(recptr, WalFiles.segNo(redo, segSize), slotMinimum(), settings);
    long cutoff = logSegNo - 1;
    List<String> removed = new ArrayList<>();
    for (String f : WalFiles.segments(disk)) {
      if (WalFiles.segNoOf(f, segSize) > cutoff) continue;
      disk.delete(f); // durable_unlink (recycling into future names is left out: see the README)
      removed.add(WalFiles.baseName(f));
      lastRemovedSegNo = Math.max(lastRemovedSegNo, WalFiles.segNoOf(f, segSize));
    }
    return new Removal(WalFiles.segNo(redo, segSize), logSegNo, removed, invalidated);
  }

  /** GetWALAvailability's answer, as pg_replication_slots.wal_status spells it (null: no restart_lsn). */
  public String walStatus(long targetLsn, long currpos) {
    if (targetLsn == 0) return null;
    int segSize = settings.walSegmentSizeBytes();
    long oldestSlotSeg = keepLogSeg(currpos, WalFiles.segNo(currpos, segSize), slotMinimum(), settings);
    long oldestSeg = lastRemovedSegNo + 1;
    long currSeg = WalFiles.segNo(currpos, segSize);
    long keepSegs = settings.segments(settings.maxWalSizeMb()) + 1;
    long oldestSegMaxWalSize = currSeg > keepSegs ? currSeg - keepSegs : 1;
    long targetSeg = WalFiles.segNo(targetLsn, segSize);
    if (targetSeg >= oldestSlotSeg) return targetSeg >= oldestSegMaxWalSize ? "reserved" : "extended";
    if (targetSeg >= oldestSeg) return "unreserved";
    return "lost";
  }

  /**
   * pg_get_replication_slots' safe_wal_size: bytes of WAL that can still be written before the slot's
   * restart_lsn segment is lost; null when the slot is lost or max_slot_wal_keep_size is -1.
   */
  public Long safeWalSize(long restartLsn, String walStatus, long currpos) {
    if ("lost".equals(walStatus) || settings.maxSlotWalKeepSizeMb() < 0) return null;
    int segSize = settings.walSegmentSizeBytes();
    long targetSeg = WalFiles.segNo(restartLsn, segSize);
    long failSeg = targetSeg + Math.max(settings.segments(settings.maxSlotWalKeepSizeMb()), settings.segments(settings.walKeepSizeMb())) + 1;
    return WalFiles.segStart(failSeg, segSize) - currpos;
  }
}
