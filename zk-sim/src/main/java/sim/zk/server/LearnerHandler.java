package sim.zk.server;

/**
 * The leader's view of one learner ({@code LearnerHandler}): what it said in discovery, how far it got
 * through synchronization, and when the leader last heard from it (for the syncLimit check).
 */
final class LearnerHandler {
  final long sid;
  long acceptedEpoch;
  long lastZxid = -1;
  boolean ackedEpoch;
  boolean synced;
  boolean ackedNewLeader;
  long lastContactNanos;

  LearnerHandler(long sid, long acceptedEpoch, long lastZxid, long nowNanos) {
    this.sid = sid;
    this.acceptedEpoch = acceptedEpoch;
    this.lastZxid = lastZxid;
    this.lastContactNanos = nowNanos;
  }

  void heardAt(long nowNanos) {
    lastContactNanos = nowNanos;
  }
}
