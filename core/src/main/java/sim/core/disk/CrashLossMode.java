package sim.core.disk;

/** What a crash does to writes that were in the page cache but not fsynced. */
public enum CrashLossMode {
  /** Every un-fsynced write is lost: the disk holds exactly what was fsynced. */
  LOSE_UNSYNCED,
  /** The OS had flushed some of them in order: a random prefix of the un-fsynced writes survives. */
  KEEP_PREFIX,
  /** Like KEEP_PREFIX, and the next write was half done: a random prefix of its bytes reached the disk. */
  TORN_LAST_WRITE
}
