package sim.zk.server;

/** A vote in fast leader election: proposed leader, its last zxid and its epoch. */
public record Vote(long leader, long zxid, long peerEpoch) {
  /**
   * {@code FastLeaderElection.totalOrderPredicate}: the new vote wins if its epoch is higher, or the epochs tie
   * and its zxid is higher, or both tie and its server id is higher.
   */
  public static boolean beats(long newId, long newZxid, long newEpoch, long curId, long curZxid, long curEpoch) {
    return newEpoch > curEpoch
        || newEpoch == curEpoch && (newZxid > curZxid || newZxid == curZxid && newId > curId);
  }

  public boolean beats(Vote other) {
    return beats(leader, zxid, peerEpoch, other.leader, other.zxid, other.peerEpoch);
  }
}
