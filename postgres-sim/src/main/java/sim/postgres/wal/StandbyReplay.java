package sim.postgres.wal;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import sim.core.disk.SimDisk;
import sim.postgres.engine.SharedState;

/**
 * A hot standby's startup process: recovery that never ends. It starts like crash recovery, from the
 * base backup's files and the WAL on the standby's disk, and then replays each record the walreceiver
 * streams in, with the same redo code, on the same shared state the standby's read-only sessions query.
 * Xids the WAL shows at work count as running until their commit or abort is replayed (KnownAssignedXids).
 */
public final class StandbyReplay {
  private final Recovery recovery;
  private final SharedState state;

  private StandbyReplay(Recovery recovery) {
    this.recovery = recovery;
    this.state = recovery.state();
  }

  /** Replays what the standby's disk holds (base backup plus WAL received before a restart). */
  public static StandbyReplay begin(SimDisk disk) {
    Recovery r = new Recovery(disk, true);
    r.run();
    return new StandbyReplay(r);
  }

  public SharedState state() {
    return state;
  }

  /** The end of the last record replayed: pg_last_wal_replay_lsn(). */
  public long replayLsn() {
    return recovery.endLsn;
  }

  /** wal_segment_size, from the base backup's pg_control. */
  public int segmentSize() {
    return recovery.segSize;
  }

  public int recordsReplayed() {
    return recovery.replayed;
  }

  /** Xids this standby stopped counting as running without seeing their commit or abort record. */
  public int expiredKnownAssigned() {
    return recovery.expiredKnownAssigned;
  }

  /** Replays one record (the caller decoded it from the stream, in LSN order). */
  public void replay(Wal.Entry e) {
    if (e.lsn() != recovery.endLsn) {
      throw new IllegalStateException("record at " + Wal.formatLsn(e.lsn()) + " does not follow the replayed WAL, which ends at "
          + Wal.formatLsn(recovery.endLsn));
    }
    recovery.replay(e);
  }

  /**
   * Promotion: replays every complete record the disk holds after what was replayed (WAL the walreceiver
   * wrote but the startup process had not reached) and returns the end of the WAL, EndOfLog.
   */
  public long replayRemaining(SimDisk disk) {
    for (Wal.Entry e : Wal.read(disk, recovery.endLsn)) replay(e);
    return recovery.endLsn;
  }

  /**
   * The complete records in {@code bytes}, which start at {@code startLsn}: each frame checked by its
   * CRC-32C; stops at the first incomplete one (the rest comes with the next message).
   */
  public static List<Wal.Entry> decode(byte[] bytes, int from, int to, long startLsn) {
    List<Wal.Entry> out = new ArrayList<>();
    CRC32C crc = new CRC32C();
    int pos = from;
    while (pos + Wal.FRAME_BYTES <= to) {
      WalReader frame = new WalReader(bytes, pos, to);
      int len = frame.i32();
      int stored = frame.i32();
      if (len < Wal.FRAME_BYTES + 1 || pos + len > to) break;
      crc.reset();
      crc.update(bytes, pos + Wal.FRAME_BYTES, len - Wal.FRAME_BYTES);
      if ((int) crc.getValue() != stored) throw new IllegalStateException("WAL record at " + Wal.formatLsn(startLsn + pos - from) + " fails its CRC");
      WalRecord r = WalRecord.decode(new WalReader(bytes, pos + Wal.FRAME_BYTES, pos + len));
      long lsn = startLsn + (pos - from);
      out.add(new Wal.Entry(lsn, lsn + len, r));
      pos += len;
    }
    return out;
  }
}
