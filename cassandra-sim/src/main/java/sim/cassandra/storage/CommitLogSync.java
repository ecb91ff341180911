package sim.cassandra.storage;

import java.util.Locale;

/**
 * {@code commitlog_sync}: when a write is acknowledged relative to the fsync of its commit log entry.
 * <ul>
 *   <li>{@code periodic} (the default): acknowledged once appended; a background sync every
 *       {@code commitlog_sync_period} (10000 ms). A crash of the machine loses up to that window.</li>
 *   <li>{@code batch}: acknowledged only after the fsync that covers it; writes arriving meanwhile share
 *       the next fsync.</li>
 *   <li>{@code group}: like batch, but the fsync runs at most every {@code commitlog_sync_group_window}
 *       (so writes queue up to that long and are acknowledged together).</li>
 * </ul>
 */
public enum CommitLogSync {
  PERIODIC, BATCH, GROUP;

  public static CommitLogSync parse(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }

  public String cassandraName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
