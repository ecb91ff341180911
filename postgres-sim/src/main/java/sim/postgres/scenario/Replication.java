package sim.postgres.scenario;

import sim.core.NodeId;
import sim.postgres.replication.WalReceiver;

/**
 * Replication settings: {@code applicationName} (the standby's name in synchronous_standby_names),
 * {@code primaryConninfo} (the primary a standby streams from; null on a primary), the primary's
 * {@code synchronousStandbyNames} and {@code synchronousCommit}, a standby's
 * {@code recoveryMinApplyDelayNanos}, and {@code standbySignal}: the operator placed standby.signal
 * before this start (a former primary turned into a standby), and a standby's {@code hotStandby}
 * settings (max_standby_streaming_delay, hot_standby_feedback).
 */
public record Replication(String applicationName, NodeId primaryConninfo, String synchronousStandbyNames,
    String synchronousCommit, long recoveryMinApplyDelayNanos, boolean standbySignal, WalReceiver.HotStandby hotStandby,
    String primarySlotName, NodeId rewindSource) {
  public static final Replication NONE = new Replication("", null, "", null, 0, false, WalReceiver.HotStandby.DEFAULTS, "", null);

  public Replication(String applicationName, NodeId primaryConninfo, String synchronousStandbyNames, String synchronousCommit,
      long recoveryMinApplyDelayNanos, boolean standbySignal, WalReceiver.HotStandby hotStandby, String primarySlotName) {
    this(applicationName, primaryConninfo, synchronousStandbyNames, synchronousCommit, recoveryMinApplyDelayNanos, standbySignal, hotStandby,
        primarySlotName, null);
  }

  /**
   * The operator runs {@code pg_rewind --target-pgdata=… --source-server=<source> -R} on this (stopped) former
   * primary before starting it: it is rewound to the source's timeline and starts as its standby.
   */
  public Replication withRewindFrom(NodeId source) {
    return new Replication(applicationName, primaryConninfo, synchronousStandbyNames, synchronousCommit, recoveryMinApplyDelayNanos,
        standbySignal, hotStandby, primarySlotName, source);
  }

  public Replication(String applicationName, NodeId primaryConninfo, String synchronousStandbyNames, String synchronousCommit,
      long recoveryMinApplyDelayNanos, boolean standbySignal, WalReceiver.HotStandby hotStandby) {
    this(applicationName, primaryConninfo, synchronousStandbyNames, synchronousCommit, recoveryMinApplyDelayNanos, standbySignal, hotStandby, "");
  }

  /** primary_slot_name: the standby streams through this physical slot on its primary. */
  public Replication withPrimarySlotName(String slot) {
    return new Replication(applicationName, primaryConninfo, synchronousStandbyNames, synchronousCommit, recoveryMinApplyDelayNanos,
        standbySignal, hotStandby, slot, rewindSource);
  }

  public static Replication primary(String synchronousStandbyNames, String synchronousCommit) {
    return new Replication("", null, synchronousStandbyNames, synchronousCommit, 0, false, WalReceiver.HotStandby.DEFAULTS);
  }

  public static Replication standby(String name, NodeId primary, long minApplyDelayNanos) {
    return new Replication(name, primary, "", null, minApplyDelayNanos, false, WalReceiver.HotStandby.DEFAULTS);
  }

  public Replication withStandbySignal() {
    return new Replication(applicationName, primaryConninfo, synchronousStandbyNames, synchronousCommit, recoveryMinApplyDelayNanos, true,
        hotStandby, primarySlotName, rewindSource);
  }

  public Replication withHotStandby(WalReceiver.HotStandby h) {
    return new Replication(applicationName, primaryConninfo, synchronousStandbyNames, synchronousCommit, recoveryMinApplyDelayNanos,
        standbySignal, h, primarySlotName, rewindSource);
  }

  boolean enabled() {
    return this != NONE;
  }
}
