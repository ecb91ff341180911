package sim.example.register;

/**
 * When the primary acknowledges a write: the two rules the register depends on, each of which a mode (or a
 * {@code --break}) can switch off.
 *
 * @param fsyncBeforeReplicate the primary's own fsync returns before it replicates and acks
 * @param waitForBackup the backup's copy is on its disk before the primary acks
 */
record Durability(boolean fsyncBeforeReplicate, boolean waitForBackup) {
  /** fsync, replicate, wait for the backup's fsync, then ack. */
  static final Durability FULL = new Durability(true, true);

  /** Ack from the page cache and replicate in the background. */
  static final Durability NONE = new Durability(false, false);
}
