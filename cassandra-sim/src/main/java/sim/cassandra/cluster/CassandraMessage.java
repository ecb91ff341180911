package sim.cassandra.cluster;

import java.util.List;
import java.util.Map;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.gossip.EndpointStatus;
import sim.cassandra.gossip.HeartbeatState;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.core.Message;
import sim.core.NodeId;

/** Everything Cassandra nodes and their clients say to each other (the verbs of its messaging service). */
public sealed interface CassandraMessage extends Message {
  // ---- native protocol: client <-> coordinator ----
  record Query(long id, String cql, ConsistencyLevel consistency, ConsistencyLevel serial) implements CassandraMessage {}

  record Result(long id, StatementResult result) implements CassandraMessage {}

  // ---- writes ----
  /** MUTATION_REQ; {@code hintFor} set when a hint is being replayed on behalf of that replica. */
  record MutationRequest(long id, Mutation mutation, NodeId hintFor) implements CassandraMessage {
    @Override
    public String toString() {
      return "MutationRequest[id=" + id + ", " + mutation.qualifiedTable() + " key=" + mutation.key() + (hintFor == null ? "" : ", hint") + "]";
    }
  }

  record MutationAck(long id) implements CassandraMessage {}

  /** COUNTER_MUTATION_REQ to the leader replica, which turns deltas into its shard and replicates. */
  record CounterLeaderRequest(long id, Mutation delta, ConsistencyLevel consistency) implements CassandraMessage {
    @Override
    public String toString() {
      return "CounterLeaderRequest[id=" + id + ", " + delta.qualifiedTable() + " key=" + delta.key() + ", " + consistency + "]";
    }
  }

  record CounterLeaderResponse(long id, StatementResult error) implements CassandraMessage {}

  // ---- reads ----
  /** READ_REQ for one partition ({@code key}) or a token range; {@code digestOnly} asks for a hash of the data. */
  record ReadRequest(long id, String table, DecoratedKey key, long fromExclusive, long toInclusive, boolean digestOnly) implements CassandraMessage {}

  record ReadResponse(long id, List<Partition> data, long digest, boolean digestOnly) implements CassandraMessage {
    @Override
    public String toString() {
      return "ReadResponse[id=" + id + (digestOnly ? ", digest=" + Long.toHexString(digest) : ", partitions=" + data.size() + ", digest=" + Long.toHexString(digest)) + "]";
    }
  }

  // ---- schema ----
  record SchemaPush(long id, String keyspace, String ddl) implements CassandraMessage {}

  record SchemaAck(long id) implements CassandraMessage {}

  // ---- gossip ----
  /** GOSSIP_DIGEST_SYN and its ACK, simplified to full heartbeat maps (push-pull). */
  record GossipSyn(Map<NodeId, HeartbeatState> states, Map<NodeId, EndpointStatus> statuses, int schemaStatements) implements CassandraMessage {
    @Override
    public String toString() {
      return "GossipSyn[states=" + states + (statuses.isEmpty() ? "" : ", statuses=" + statuses) + ", schemaStatements=" + schemaStatements + "]";
    }
  }

  record GossipAck(Map<NodeId, HeartbeatState> states, Map<NodeId, EndpointStatus> statuses, int schemaStatements) implements CassandraMessage {
    @Override
    public String toString() {
      return "GossipAck[states=" + states + (statuses.isEmpty() ? "" : ", statuses=" + statuses) + ", schemaStatements=" + schemaStatements + "]";
    }
  }

  /** A node whose schema is behind a peer's (by gossip) asks for the peer's schema statements. */
  record SchemaPull() implements CassandraMessage {}

  record SchemaLog(List<String> statements) implements CassandraMessage {}

  // ---- Paxos (lightweight transactions) ----
  record Prepare(long id, String table, DecoratedKey key, long ballot) implements CassandraMessage {}

  /** PREPARE_RSP: promised or not, the highest accepted proposal, the latest commit, and the replica's data. */
  record Promise(long id, boolean promised, long inProgressBallot, Partition inProgress, long mostRecentCommit, Partition mostRecentCommitUpdate,
      Partition data) implements CassandraMessage {
    @Override
    public String toString() {
      return "Promise[id=" + id + ", promised=" + promised + ", accepted=" + inProgressBallot + ", committed=" + mostRecentCommit + "]";
    }
  }

  record Propose(long id, String table, long ballot, Partition update) implements CassandraMessage {
    @Override
    public String toString() {
      return "Propose[id=" + id + ", ballot=" + ballot + ", key=" + update.key() + "]";
    }
  }

  record Accepted(long id, boolean accepted) implements CassandraMessage {}

  record Commit(long id, String table, long ballot, Partition update) implements CassandraMessage {
    @Override
    public String toString() {
      return "Commit[id=" + id + ", ballot=" + ballot + ", key=" + update.key() + "]";
    }
  }

  record CommitAck(long id) implements CassandraMessage {}

  // ---- operator commands (nodetool) ----
  /** {@code nodetool repair KEYSPACE TABLE}: this node repairs every range it replicates. */
  record NodetoolRepair(String table) implements CassandraMessage {}

  /** {@code nodetool flush}. */
  record NodetoolFlush() implements CassandraMessage {}

  /** {@code nodetool compact} (a major compaction, or the strategy's next task when {@code major} is false). */
  record NodetoolCompact(boolean major) implements CassandraMessage {}

  // ---- anti-entropy repair ----
  record ValidationRequest(long id, String table, long fromExclusive, long toInclusive, int depth) implements CassandraMessage {}

  record ValidationResponse(long id, List<Long> leafHashes) implements CassandraMessage {}

  /** Stream this replica's data in {@code (from, to]} to {@code peer} ({@code movement}: for a bootstrap, not a repair). */
  record StreamRequest(long id, String table, long fromExclusive, long toInclusive, NodeId peer, boolean movement) implements CassandraMessage {}

  /** {@code nodetool join}: a node started with {@code -Dcassandra.join_ring=false} joins the ring (bootstraps). */
  record NodetoolJoin() implements CassandraMessage {}

  /** {@code nodetool decommission}: the node streams its ranges to their new replicas and leaves the ring. */
  record NodetoolDecommission() implements CassandraMessage {}

  /** The receiver of a {@link StreamData} has applied all of it (the stream session's COMPLETE). */
  record StreamComplete(long id) implements CassandraMessage {}

  /** Data of a stream; {@code replyComplete}: a range movement's, whose sender waits for {@link StreamComplete}. */
  record StreamData(long id, String table, List<Partition> partitions, boolean replyComplete) implements CassandraMessage {
    @Override
    public String toString() {
      return "StreamData[id=" + id + ", " + table + ", partitions=" + partitions.size() + "]";
    }
  }
}
