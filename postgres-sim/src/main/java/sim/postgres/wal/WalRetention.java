package sim.postgres.wal;

/**
 * Which WAL segments a checkpoint may remove: xlog.c's KeepLogSeg and RemoveOldXlogFiles, decided as a
 * value ({@link #cutoff}) and then applied.
 */
public final class WalRetention {
  /**
   * {@code wal_segment_size} (initdb {@code --wal-segsize}; fixed for the cluster, kept in pg_control),
   * {@code wal_keep_size} and {@code max_slot_wal_keep_size} in MB (-1: unlimited), {@code max_wal_size}.
   */
  public record Settings(int walSegmentSizeBytes, long walKeepSizeMb, long maxSlotWalKeepSizeMb, long maxWalSizeMb) {
    public static Settings defaults() {
      return new Settings(WalFiles.DEFAULT_SEGMENT_BYTES, 0, -1, 1024);
    }

    public Settings withSegmentSizeMb(int mb) {
      return new Settings(mb * 1024 * 1024, walKeepSizeMb, maxSlotWalKeepSizeMb, maxWalSizeMb);
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

  private WalRetention() {}
}
