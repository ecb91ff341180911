package sim.postgres.wal;

import java.nio.ByteBuffer;
import sim.core.disk.SimDisk;

/**
 * {@code global/pg_control} (ControlFileData, pg_control.h), the fields this model keeps: the last
 * checkpoint's redo point and record, its timeline (checkPointCopy.ThisTimeLineID), nextXid,
 * xlog_seg_size, the cluster state, minRecoveryPoint and its timeline, wal_log_hints and
 * data_checksum_version. pg_rewind reads all of them. The first 16 bytes keep the layout older files had
 * (redo, nextXid, segment size), which is all a file of 16 bytes holds.
 */
public record ControlFile(long redoLsn, int nextXid, int segSize, int state, long checkPointLsn, int timeline,
    long minRecoveryPoint, int minRecoveryPointTli, boolean walLogHints, int dataChecksumVersion) {
  /** DBState, as pg_control.h numbers it. */
  public static final int DB_STARTUP = 0;
  public static final int DB_SHUTDOWNED = 1;
  public static final int DB_SHUTDOWNED_IN_RECOVERY = 2;
  public static final int DB_SHUTDOWNING = 3;
  public static final int DB_IN_CRASH_RECOVERY = 4;
  public static final int DB_IN_ARCHIVE_RECOVERY = 5;
  public static final int DB_IN_PRODUCTION = 6;
  /** PG_DATA_CHECKSUM_VERSION; 0 = the cluster was initdb'd without --data-checksums. */
  public static final int PG_DATA_CHECKSUM_VERSION = 1;
  static final int BYTES = 49;

  public static ControlFile read(SimDisk disk) {
    return disk.exists(Storage.CONTROL) ? decode(disk.readAll(Storage.CONTROL)) : null;
  }

  public static ControlFile decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long redo = b.getLong();
    int nextXid = b.getInt();
    int segSize = b.getInt();
    if (bytes.length < BYTES) return new ControlFile(redo, nextXid, segSize, DB_IN_PRODUCTION, redo, 1, 0, 0, false, PG_DATA_CHECKSUM_VERSION);
    return new ControlFile(redo, nextXid, segSize, b.getInt(), b.getLong(), b.getInt(), b.getLong(), b.getInt(), b.get() != 0, b.getInt());
  }

  public byte[] encode() {
    return ByteBuffer.allocate(BYTES).putLong(redoLsn).putInt(nextXid).putInt(segSize).putInt(state).putLong(checkPointLsn)
        .putInt(timeline).putLong(minRecoveryPoint).putInt(minRecoveryPointTli).put((byte) (walLogHints ? 1 : 0))
        .putInt(dataChecksumVersion).array();
  }

  public ControlFile withState(int s) {
    return new ControlFile(redoLsn, nextXid, segSize, s, checkPointLsn, timeline, minRecoveryPoint, minRecoveryPointTli, walLogHints,
        dataChecksumVersion);
  }

  /** What pg_rewind's updateControlFile writes: minRecoveryPoint, and the checkpoint redo recovery must begin at. */
  public ControlFile rewound(long redo, long checkpoint, int chkptTli, long minRecovery, int minRecoveryTli) {
    return new ControlFile(redo, nextXid, segSize, DB_IN_ARCHIVE_RECOVERY, checkpoint, chkptTli, minRecovery, minRecoveryTli, walLogHints,
        dataChecksumVersion);
  }

  /** pg_controldata's name for the state. */
  public static String stateName(int state) {
    return switch (state) {
      case DB_STARTUP -> "starting up";
      case DB_SHUTDOWNED -> "shut down";
      case DB_SHUTDOWNED_IN_RECOVERY -> "shut down in recovery";
      case DB_SHUTDOWNING -> "shutting down";
      case DB_IN_CRASH_RECOVERY -> "in crash recovery";
      case DB_IN_ARCHIVE_RECOVERY -> "in archive recovery";
      case DB_IN_PRODUCTION -> "in production";
      default -> "unrecognized status code";
    };
  }
}
