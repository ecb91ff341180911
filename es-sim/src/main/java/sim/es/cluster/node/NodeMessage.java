package sim.es.cluster.node;

import java.util.List;
import sim.core.Message;
import sim.es.cluster.allocation.DiskUsage;

/** Client requests and the node-to-node actions around them: routing writes to primaries, shard state to the master, search phases. */
public sealed interface NodeMessage extends Message {
  /** {@code PUT idx/_doc/ID} (or a delete) to any node, with {@code wait_for_active_shards} (0: "all"). */
  record IndexRequest(long requestId, String id, String source, boolean delete, int waitForActiveShards) implements NodeMessage {}

  /**
   * The reply: {@code status} 200/201 with the seq_no, primary term and result, and how many copies it reached;
   * or an error status (429 blocked, 503 unavailable) with the error type and reason Elasticsearch gives.
   */
  record IndexResponse(long requestId, String id, int status, long seqNo, long primaryTerm, String result, int shardsTotal, int shardsSuccessful,
      String errorType, String reason) implements NodeMessage {}

  /** Coordinating node to the primary's node. */
  record PrimaryRequest(long requestId, String coordinator, int shard, String id, String source, boolean delete, int waitForActiveShards)
      implements NodeMessage {}

  /** The primary's answer; {@code retry}: not the primary (any more), route again with a newer cluster state. */
  record PrimaryResponse(long requestId, IndexResponse response, boolean retry) implements NodeMessage {}

  /** ShardStateAction: a copy finished recovering (to the master). */
  record ShardStarted(String source, int shard, String allocationId, long primaryTerm) implements NodeMessage {}

  /** ShardStateAction: fail a copy; {@code markAsStale} also drops it from the in-sync set. From a primary of {@code primaryTerm}. */
  record ShardFailed(String source, long requestId, int shard, String allocationId, long primaryTerm, boolean markAsStale, String reason)
      implements NodeMessage {}

  /** The master applied (and committed) the failure — or refuses it: {@code noLongerPrimary}, the sender's term is stale. */
  record ShardFailedResponse(long requestId, String allocationId, boolean ok, boolean noLongerPrimary, String reason) implements NodeMessage {}

  /** IndicesStore: before deleting its leftover data of a shard, a node asks each node with a copy whether that copy is active. */
  record ShardActiveRequest(String source, int shard, String allocationId, long stateVersion) implements NodeMessage {}

  record ShardActiveResponse(String source, int shard, String allocationId, long stateVersion, boolean active) implements NodeMessage {}

  /** InternalClusterInfoService: the master asks every node for its disk usage. */
  record NodeStatsRequest(String source, long round) implements NodeMessage {}

  record NodeStatsResponse(String source, long round, DiskUsage disk) implements NodeMessage {}

  /** {@code GET idx/_search} of a match query: {@code dfs} is dfs_query_then_fetch. */
  record SearchRequest(long requestId, String text, boolean dfs, int size) implements NodeMessage {}

  record SearchHit(String id, float score, int shard) {}

  record SearchResponse(long requestId, long totalHits, List<SearchHit> hits, int shardsSuccessful, String error) implements NodeMessage {}

  /** The DFS phase: a shard's term statistics for the query's terms. */
  record DfsRequest(String coordinator, long searchId, int shard, List<String> terms) implements NodeMessage {}

  record DfsResponse(long searchId, int shard, long docCount, long sumTotalTermFreq, long sumDocFreq, List<long[]> termStats) implements NodeMessage {
    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("DfsResponse[shard=" + shard + ", docCount=" + docCount + ", terms=");
      for (long[] t : termStats) b.append(java.util.Arrays.toString(t));
      return b.append(']').toString();
    }
  }

  /** The query phase on one shard copy, with the DFS phase's global statistics if any. */
  record QueryRequest(String coordinator, long searchId, int shard, String text, int size, long[] globalField, List<long[]> globalTerms)
      implements NodeMessage {
    @Override
    public String toString() {
      return "QueryRequest[shard=" + shard + ", text=" + text + (globalField == null ? ", query_then_fetch" : ", dfs statistics " + java.util.Arrays.toString(globalField)) + "]";
    }
  }

  record QueryResponse(long searchId, int shard, long totalHits, List<SearchHit> hits, String error) implements NodeMessage {}

  /** A request a TransportMasterNodeAction runs on the master: any node forwards it there; the answer goes to {@code origin}. */
  sealed interface VotingConfigExclusionsRequest extends NodeMessage {
    String origin();

    long requestId();

    /** The request's {@code timeout} (30s by default): how long it waits for its exclusions to take effect. */
    long timeoutMs();
  }

  /** {@code POST /_cluster/voting_config_exclusions?node_names=…&timeout=…}: answered once no named node is in the committed configuration. */
  record AddVotingConfigExclusionsRequest(String origin, long requestId, List<String> nodeNames, long timeoutMs) implements VotingConfigExclusionsRequest {}

  /** {@code DELETE /_cluster/voting_config_exclusions?wait_for_removal=…&timeout=…}: with wait_for_removal (the default) only once every excluded node has left. */
  record ClearVotingConfigExclusionsRequest(String origin, long requestId, boolean waitForRemoval, long timeoutMs) implements VotingConfigExclusionsRequest {}

  /** The answer: status 200 and an empty body, or the error Elasticsearch gives ({@code type: reason}). */
  record VotingConfigExclusionsResponse(long requestId, int status, String error) implements NodeMessage {}
}
