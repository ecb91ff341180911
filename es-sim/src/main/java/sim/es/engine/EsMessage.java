package sim.es.engine;

import java.util.List;
import sim.core.Message;

/** What clients and the shard's node say to each other. */
public sealed interface EsMessage extends Message {
  record IndexRequest(long requestId, String id, String source) implements EsMessage {}

  record DeleteRequest(long requestId, String id) implements EsMessage {}

  /** Acknowledged: the operation has sequence number {@code seqNo} ({@code result}: created, updated, deleted, not_found). */
  record WriteResponse(long requestId, String id, long seqNo, String result) implements EsMessage {}

  /** A realtime GET: answered from the version map and translog before any refresh. */
  record GetRequest(long requestId, String id) implements EsMessage {}

  record GetResponse(long requestId, String id, boolean found, String source) implements EsMessage {}

  /** A match_all search: answered from the reader of the last refresh. */
  record SearchRequest(long requestId) implements EsMessage {}

  /** {@code POST _forcemerge?max_num_segments=N} (or {@code only_expunge_deletes=true}). */
  record ForceMergeRequest(long requestId, int maxNumSegments, boolean onlyExpungeDeletes) implements EsMessage {}

  /** The force merge finished, leaving {@code segments} segments of those the shard had when it began. */
  record ForceMergeResponse(long requestId, int segments, String error) implements EsMessage {}

  /** The ids a search saw, and which refresh's reader it read ({@code refreshedSeqNo}: the highest seqNo in it). */
  record SearchResponse(long requestId, long refreshGeneration, long refreshedSeqNo, List<String> ids) implements EsMessage {}
}
