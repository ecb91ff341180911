package sim.cassandra.cluster;

import sim.cassandra.db.Partition;

/**
 * A replica's Paxos state for one partition (Cassandra's {@code system.paxos} row): the highest ballot it
 * promised, the proposal it accepted (ballot and update) and the most recent commit (ballot and update). Kept on
 * disk by the replica, since a promise forgotten in a crash would break the protocol.
 */
record PaxosState(long promised, long acceptedBallot, Partition accepted, long mostRecentCommit, Partition committed) {
  static final PaxosState EMPTY = new PaxosState(Long.MIN_VALUE, Long.MIN_VALUE, null, Long.MIN_VALUE, null);

  @Override
  public String toString() {
    return "promised=" + promised + " accepted=" + acceptedBallot + " committed=" + mostRecentCommit;
  }
}
