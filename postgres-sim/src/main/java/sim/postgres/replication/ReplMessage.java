package sim.postgres.replication;

import java.util.Map;
import sim.core.Message;
import sim.postgres.wal.Wal;

/** The replication protocol between a walreceiver (standby) and a walsender (primary), in PostgreSQL's terms. */
public sealed interface ReplMessage extends Message {
  /** pg_basebackup connecting to the primary; {@code slotName} non-null: {@code -C -S slotName} (create the slot). */
  record BaseBackupRequest(String applicationName, String slotName) implements ReplMessage {}

  /** BASE_BACKUP's result: the data directory's files after a checkpoint, and where streaming starts. */
  record BaseBackup(Map<String, byte[]> files, long startLsn, int timeline) implements ReplMessage {
    @Override
    public String toString() {
      return "BaseBackup[" + files.size() + " files, WAL from " + Wal.formatLsn(startLsn) + ", timeline " + timeline + "]";
    }
  }

  /** START_REPLICATION [SLOT slotName] PHYSICAL startLsn TIMELINE tli; slotName null without primary_slot_name. */
  record StartReplication(String applicationName, long startLsn, int timeline, String slotName) implements ReplMessage {
    @Override
    public String toString() {
      return "START_REPLICATION " + (slotName == null ? "" : "SLOT " + slotName + " ") + Wal.formatLsn(startLsn) + " TIMELINE " + timeline
          + " (" + applicationName + ")";
    }
  }

  /** The walsender's ERROR while streaming (it exits): the walreceiver cannot receive data from the WAL stream. */
  record StreamError(String error) implements ReplMessage {}

  /** The walsender's ERROR for a START_REPLICATION it cannot serve. */
  record StreamingRefused(String error, String detail) implements ReplMessage {}

  /**
   * XLogData ('w'): WAL bytes from {@code startLsn}, on {@code timeline}; {@code history} is the primary's
   * timeline history file when the standby asked for an older timeline (it then follows the switch).
   */
  record WalData(long startLsn, byte[] bytes, int timeline, String history) implements ReplMessage {
    public long endLsn() {
      return startLsn + bytes.length;
    }

    @Override
    public String toString() {
      return "XLogData[" + Wal.formatLsn(startLsn) + ".." + Wal.formatLsn(endLsn()) + ", timeline " + timeline + "]";
    }
  }

  /** Standby status update ('r'): written, flushed and applied LSNs. */
  record StandbyStatus(String applicationName, long write, long flush, long apply) implements ReplMessage {
    @Override
    public String toString() {
      return "StandbyStatus[" + applicationName + " write " + Wal.formatLsn(write) + " flush " + Wal.formatLsn(flush)
          + " apply " + Wal.formatLsn(apply) + "]";
    }
  }

  /** Primary keepalive ('k'): the walsender is there; its WAL ends at {@code walEnd}. */
  record KeepAlive(long walEnd) implements ReplMessage {}

  /**
   * A hot standby feedback message ('h'): the standby's oldest xmin (0 = InvalidTransactionId: the
   * standby holds nothing back), which the walsender takes as its own xmin.
   */
  record HotStandbyFeedback(String applicationName, int xmin) implements ReplMessage {}

  /** pg_rewind's libpq source connecting to the new primary (--source-server): it asks for the source's files. */
  record RewindFetch(String applicationName) implements ReplMessage {}

  /**
   * What pg_rewind reads from the source: its files (pg_read_binary_file; here all of them at once), its
   * pg_current_wal_insert_lsn() and its full_page_writes setting.
   */
  record RewindSourceFiles(Map<String, byte[]> files, long insertLsn, boolean fullPageWrites) implements ReplMessage {
    @Override
    public String toString() {
      return "RewindSourceFiles[" + files.size() + " files, WAL insert " + Wal.formatLsn(insertLsn) + "]";
    }
  }
}
