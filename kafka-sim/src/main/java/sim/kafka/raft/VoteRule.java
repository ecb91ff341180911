package sim.kafka.raft;

import sim.core.NodeId;

/**
 * Whether a quorum member grants a vote: KafkaRaftClient's {@code canGrantVote} of each EpochState, as a value
 * (decide, then apply). {@code logUpToDate}: the candidate's (last epoch, end offset) is at least this member's.
 */
final class VoteRule {
  private VoteRule() {}

  static boolean logUpToDate(int candidateLastEpoch, long candidateEndOffset, int lastEpoch, long endOffset) {
    return candidateLastEpoch != lastEpoch ? candidateLastEpoch > lastEpoch : candidateEndOffset >= endOffset;
  }

  /**
   * For a request of the member's own epoch (a real vote of a higher epoch has already made it unattached).
   * {@code voteTwice} is the rule break {@code kafka.kraft-vote-twice-per-epoch}: a vote already cast is ignored.
   */
  static boolean canGrant(EpochState s, NodeId candidate, boolean logUpToDate, boolean preVote, boolean voteTwice) {
    if (s instanceof EpochState.Leader || s instanceof EpochState.Resigned) return false;
    if (s instanceof EpochState.Follower f) {
      // A follower still hearing from its leader refuses pre-votes: this keeps a rejoining member from disrupting it.
      return preVote && !f.hasFetchedFromLeader() && logUpToDate;
    }
    if (preVote) return logUpToDate; // a pre-vote records nothing, so an earlier vote does not bind it
    NodeId voted = s.votedFor();
    if (voted != null && !voteTwice) return voted.equals(candidate);
    if (s instanceof EpochState.Candidate && !voteTwice) return false;
    if (s instanceof EpochState.Prospective p && p.leader() != null) return false;
    return logUpToDate;
  }
}
