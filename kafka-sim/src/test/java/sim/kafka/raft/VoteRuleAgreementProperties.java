package sim.kafka.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.raft.Endpoints;
import org.apache.kafka.raft.FollowerState;
import org.apache.kafka.raft.ReplicaKey;
import org.apache.kafka.raft.UnattachedState;
import org.apache.kafka.server.common.OffsetAndEpoch;
import sim.core.NodeId;

/**
 * Our vote-granting rule ({@link VoteRule}) against Kafka 4.1's own EpochStates: on random (epoch, last epoch, end offset,
 * voted-for, pre-vote) states, UnattachedState and FollowerState of kafka-raft grant exactly when ours does, and our "log
 * up to date" is KafkaRaftClient's {@code OffsetAndEpoch.compareTo(endOffset()) >= 0}.
 */
class VoteRuleAgreementProperties {
  private static final Set<Integer> VOTERS = Set.of(3001, 3002, 3003);
  private static final RaftConfig QUORUM = RaftConfig.defaults(java.util.List.of(NodeId.of("controller"), NodeId.of("controller-2"), NodeId.of("controller-3")));

  @Property(tries = 500)
  void logUpToDateIsKafkasOffsetAndEpochOrder(@ForAll @IntRange(max = 6) int candidateEpoch, @ForAll @IntRange(max = 20) int candidateOffset,
      @ForAll @IntRange(max = 6) int epoch, @ForAll @IntRange(max = 20) int offset) {
    boolean kafka = new OffsetAndEpoch(candidateOffset, candidateEpoch).compareTo(new OffsetAndEpoch(offset, epoch)) >= 0;
    assertEquals(kafka, VoteRule.logUpToDate(candidateEpoch, candidateOffset, epoch, offset));
  }

  @Property(tries = 500)
  void unattachedGrantsAsKafkaDoes(@ForAll @IntRange(min = 1, max = 9) int epoch, @ForAll @IntRange(min = 0, max = 3) int voted,
      @ForAll @IntRange(min = 1, max = 3) int candidate, @ForAll boolean upToDate, @ForAll boolean preVote) {
    Optional<ReplicaKey> votedKey = voted == 0 ? Optional.empty() : Optional.of(ReplicaKey.of(3000 + voted, ReplicaKey.NO_DIRECTORY_ID));
    UnattachedState kafka = new UnattachedState(Time.SYSTEM, epoch, OptionalInt.empty(), votedKey, VOTERS, Optional.empty(), 1000, new LogContext());
    boolean theirs = kafka.canGrantVote(ReplicaKey.of(3000 + candidate, ReplicaKey.NO_DIRECTORY_ID), upToDate, preVote);
    EpochState ours = new EpochState.Unattached(epoch, voted == 0 ? null : QUORUM.voterOf(3000 + voted));
    assertEquals(theirs, VoteRule.canGrant(ours, QUORUM.voterOf(3000 + candidate), upToDate, preVote, false));
  }

  @Property(tries = 500)
  void followerGrantsAsKafkaDoes(@ForAll @IntRange(min = 1, max = 9) int epoch, @ForAll @IntRange(min = 1, max = 3) int leader,
      @ForAll @IntRange(min = 1, max = 3) int candidate, @ForAll boolean fetched, @ForAll boolean upToDate, @ForAll boolean preVote) {
    FollowerState kafka = new FollowerState(Time.SYSTEM, epoch, 3000 + leader, Endpoints.empty(), Optional.empty(), VOTERS, Optional.empty(),
        2000, new LogContext());
    if (fetched) kafka.resetFetchTimeoutForSuccessfulFetch(0);
    boolean theirs = kafka.canGrantVote(ReplicaKey.of(3000 + candidate, ReplicaKey.NO_DIRECTORY_ID), upToDate, preVote);
    EpochState ours = new EpochState.Follower(epoch, QUORUM.voterOf(3000 + leader), null, new boolean[] {fetched});
    assertEquals(theirs, VoteRule.canGrant(ours, QUORUM.voterOf(3000 + candidate), upToDate, preVote, false));
  }

}
