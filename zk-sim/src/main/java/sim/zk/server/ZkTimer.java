package sim.zk.server;

import sim.core.Timer;

/** Server and client timers. */
public sealed interface ZkTimer extends Timer {
  /** Start-up: the election begins once every peer exists (the kernel starts a node when it is added). */
  record Boot() implements ZkTimer {}

  /** FLE: resend notifications (the interval doubles up to maxNotificationInterval) while LOOKING in {@code term}. */
  record ElectionRetry(long term) implements ZkTimer {}

  /** FLE: {@code finalizeWait} after a quorum agrees, in case a better vote is on its way. */
  record FinalizeWait(long round, long proposalVersion) implements ZkTimer {}

  /** One tick of the quorum role: pings, liveness of leader/followers, session expiry. */
  record Tick(long term) implements ZkTimer {}

  /** The txn log is fsynced up to {@code zxid}: ack (follower) or count the leader's own ack. */
  record Logged(long term, long zxid) implements ZkTimer {}

  /** {@code acceptedEpoch} is durable: a leader sends LEADERINFO, a follower ACKEPOCH. */
  record AcceptedEpochDurable(long term, long epoch) implements ZkTimer {}

  /** {@code currentEpoch} is durable: a leader syncs its learners, a follower ACKs NEWLEADER. */
  record CurrentEpochDurable(long term, long epoch) implements ZkTimer {}

  /** Follower: the snapshot of a SNAP is durable; next, the txns received during the sync. */
  record SnapshotDurable(long term) implements ZkTimer {}

  /** Follower: the txns received during synchronization are fsynced; next, currentEpoch. */
  record SyncLogged(long term) implements ZkTimer {}

  /** Follower: the leader was not listening yet; connect again ({@code leaderConnectDelayDuringRetryMs}). */
  record ConnectRetry(long term, int tries) implements ZkTimer {}

  /** Discovery/synchronization must finish within initLimit ticks. */
  record InitDeadline(long term) implements ZkTimer {}

  /** Client: ping the server, check the connection; a tick of an earlier {@code generation} is stale. */
  record ClientTick(long generation) implements ZkTimer {}

  /** Client: try the next server. */
  record Reconnect() implements ZkTimer {}
}
