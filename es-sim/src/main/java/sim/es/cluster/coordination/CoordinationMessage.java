package sim.es.cluster.coordination;

import java.util.Map;
import sim.core.Message;
import sim.es.cluster.state.ClusterState;

/** What master-eligible nodes say to each other to elect a master and publish cluster states (Elasticsearch 7+'s Zen2). */
public sealed interface CoordinationMessage extends Message {
  /** PeerFinder: who do you know as master? */
  record PeersRequest(String source, long term) implements CoordinationMessage {}

  record PeersResponse(String source, String knownLeader, long term) implements CoordinationMessage {}

  /** PreVoteCollector: would you vote for me? Never changes the receiver's term. */
  record PreVoteRequest(String source, long currentTerm) implements CoordinationMessage {}

  record PreVoteResponse(String source, long currentTerm, long lastAcceptedTerm, long lastAcceptedVersion) implements CoordinationMessage {}

  record PreVoteRejected(String source, long currentTerm, String reason) implements CoordinationMessage {}

  /** The election proper: move to {@code term} and send me your vote. */
  record StartJoinRequest(String source, long term) implements CoordinationMessage {}

  /**
   * JoinHelper: join {@code target}'s cluster, with this node's vote when it has one for the target's term;
   * {@code shardStores} lists the shard copies on this node's disk (allocation id per shard) for the allocator.
   */
  record JoinRequest(String source, String ephemeralId, String zone, long term, Join join, Map<Integer, String> shardStores) implements CoordinationMessage {}

  /** Publication: accept this state. */
  record PublishRequest(String source, ClusterState state) implements CoordinationMessage {}

  /** Accepted (and persisted); carries this node's vote if the publication moved it to a new term. */
  record PublishResponse(String source, long term, long version, Join join) implements CoordinationMessage {}

  record PublishRejected(String source, long version, String reason) implements CoordinationMessage {}

  /** A quorum accepted: the version is committed, apply it. */
  record ApplyCommitRequest(String source, long term, long version) implements CoordinationMessage {}

  record ApplyCommitResponse(String source, long term, long version) implements CoordinationMessage {}

  /** LeaderChecker: a follower asks its master whether it still leads and still counts it in. */
  record LeaderCheckRequest(String source, long requestId) implements CoordinationMessage {}

  record LeaderCheckResponse(String source, long requestId, boolean ok, String reason) implements CoordinationMessage {}

  /** FollowersChecker: the master asks each node whether it still follows it in {@code term}. */
  record FollowerCheckRequest(String source, long requestId, long term) implements CoordinationMessage {}

  /** Also names the responder's incarnation: a node that restarted is a different node (the transport handshake fails). */
  record FollowerCheckResponse(String source, String ephemeralId, long requestId, boolean ok, long term, String reason) implements CoordinationMessage {}
}
