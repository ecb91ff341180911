package sim.es.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.es.engine.EsMessage.DeleteRequest;
import sim.es.engine.EsMessage.ForceMergeRequest;
import sim.es.engine.EsMessage.ForceMergeResponse;
import sim.es.engine.EsMessage.GetRequest;
import sim.es.engine.EsMessage.GetResponse;
import sim.es.engine.EsMessage.IndexRequest;
import sim.es.engine.EsMessage.SearchRequest;
import sim.es.engine.EsMessage.SearchResponse;
import sim.es.engine.EsMessage.WriteResponse;
import sim.es.index.IndexReader;
import sim.es.index.IndexWriter;
import sim.es.index.LeafReader;

/**
 * One Elasticsearch node holding one primary shard, and its write path: an operation gets the next sequence
 * number, goes into Lucene's indexing buffer (not searchable) and is appended to the translog; under
 * {@code durability: request} the node acknowledges only once the translog fsync covering it returns,
 * under {@code async} at once (a background fsync runs every {@code sync_interval}). Every
 * {@code refresh_interval} the buffer becomes a segment and a new reader opens: only now do searches see
 * the documents; the merge policy may then pick segments to merge. A flush (translog past
 * {@code flush_threshold_size}) writes a Lucene commit and, once it is durable, trims the translog
 * generations no retained commit needs. A restart opens the safe commit and replays the translog operations
 * above its local checkpoint. A realtime GET reads the latest version whether refreshed or not.
 */
public final class ShardNode implements Node, Engine.Listener {
  public static final String BREAK_ACK_BEFORE_FSYNC = "es.ack-before-translog-fsync";
  public static final String BREAK_SEARCH_UNREFRESHED = "es.search-reads-indexing-buffer";
  public static final String BREAK_SKIP_TRANSLOG_REPLAY = "es.recover-from-commit-only";
  public static final String BREAK_MERGE_DELETES = "es.merge-loses-concurrent-deletes";
  /** A single-node shard's primary term: it never changes hands. */
  static final long PRIMARY_TERM = 1;

  private final EsConfig config;
  private Engine engine;
  private boolean ackBeforeFsync;
  private boolean searchUnrefreshed;
  private final TreeMap<Long, List<Pending>> waiting = new TreeMap<>(); // seqNo -> acks waiting for its fsync
  private final TreeMap<Long, NodeId> forceMerges = new TreeMap<>(); // request id -> client

  private record Pending(NodeId client, WriteResponse response) {}

  public ShardNode(EsConfig config) {
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    ackBeforeFsync = ctx.isBroken(BREAK_ACK_BEFORE_FSYNC);
    searchUnrefreshed = ctx.isBroken(BREAK_SEARCH_UNREFRESHED);
    boolean skipReplay = ctx.isBroken(BREAK_SKIP_TRANSLOG_REPLAY);
    engine = new Engine(config, ctx.disk(), "", "", this);
    engine.breakMergeDeletes(ctx.isBroken(BREAK_MERGE_DELETES));
    engine.breakKeepOnlyLastCommit(ctx.isBroken(CombinedDeletionPolicy.BREAK_KEEP_ONLY_LAST_COMMIT));
    engine.open(ctx, skipReplay);
    engine.startTimers(ctx);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof IndexRequest r) write(ctx, from, r.requestId(), new Operation(engine.maxSeqNo() + 1, PRIMARY_TERM, false, r.id(), r.source()));
    else if (message instanceof DeleteRequest r) write(ctx, from, r.requestId(), new Operation(engine.maxSeqNo() + 1, PRIMARY_TERM, true, r.id(), null));
    else if (message instanceof GetRequest g) {
      String source = engine.latestSource(g.id());
      ctx.point("es.get.realtime", g.id() + (source == null ? " not found" : " found"), "id", g.id(), "found", source != null);
      ctx.send(from, new GetResponse(g.requestId(), g.id(), source != null, source));
    } else if (message instanceof SearchRequest s) {
      IndexWriter writer = engine.writer();
      IndexReader reader = searchUnrefreshed ? writer.refresh() : writer.reader(); // broken: the search opens the buffer, no refresh recorded
      List<String> ids = liveIds(reader);
      ctx.point("es.search", ids.size() + " hits from the reader of refresh " + engine.refreshGeneration() + " (seq_no " + engine.refreshedSeqNo() + ")",
          "refreshedSeqNo", engine.refreshedSeqNo(), "hits", ids.size(), "idsHash", String.join(",", ids).hashCode());
      ctx.send(from, new SearchResponse(s.requestId(), engine.refreshGeneration(), engine.refreshedSeqNo(), ids));
    } else if (message instanceof ForceMergeRequest f) {
      forceMerges.put(f.requestId(), from); // first: an already-merged shard answers at once
      if (!engine.forceMerge(ctx, f.maxNumSegments(), f.onlyExpungeDeletes(), f.requestId())) {
        forceMerges.remove(f.requestId());
        ctx.send(from, new ForceMergeResponse(f.requestId(), engine.writer().segments().size(), "a force merge is already running"));
      }
    }
  }

  @Override
  public void onForceMergeDone(NodeContext ctx, long token, int segments) {
    NodeId client = forceMerges.remove(token);
    if (client != null) ctx.send(client, new ForceMergeResponse(token, segments, null));
  }

  private void write(NodeContext ctx, NodeId client, long requestId, Operation op) {
    boolean existed = engine.exists(op.id());
    if (op.delete() && !existed) {
      ctx.send(client, new WriteResponse(requestId, op.id(), -2, "not_found"));
      return;
    }
    engine.apply(ctx, op);
    String result = op.delete() ? "deleted" : existed ? "updated" : "created";
    WriteResponse response = new WriteResponse(requestId, op.id(), op.seqNo(), result);
    if (config.durability() == EsConfig.Durability.ASYNC || ackBeforeFsync) {
      ctx.point("es.ack", op.id() + " acknowledged (" + result + ") before any fsync", "id", op.id(), "seqNo", op.seqNo());
      ctx.send(client, response);
    } else {
      waiting.computeIfAbsent(op.seqNo(), k -> new ArrayList<>()).add(new Pending(client, response));
    }
    engine.afterWrite(ctx);
  }

  @Override
  public void onPersisted(NodeContext ctx, long persistedCheckpoint) {
    engine.setGlobalCheckpoint(persistedCheckpoint); // the only copy in sync: the global checkpoint is its persisted one
    while (!waiting.isEmpty() && waiting.firstKey() <= persistedCheckpoint) {
      var e = waiting.pollFirstEntry();
      for (Pending p : e.getValue()) {
        ctx.point("es.ack", p.response().id() + " acknowledged (" + p.response().result() + ") after the translog fsync",
            "id", p.response().id(), "seqNo", e.getKey());
        ctx.send(p.client(), p.response());
      }
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    engine.onTimer(ctx, timer);
  }

  static List<String> liveIds(IndexReader reader) {
    List<String> ids = new ArrayList<>();
    for (LeafReader leaf : reader.leaves()) {
      for (int d = 0; d < leaf.segment().maxDoc(); d++) if (leaf.isLive(d)) ids.add(leaf.segment().id(d));
    }
    ids.sort(null);
    return ids;
  }

  /** Flushes now (a lesson's manual {@code POST _flush}). */
  public void flush(NodeContext ctx) {
    engine.flush(ctx);
  }

  // --- views for checks and inspectors ---

  public Engine engine() {
    return engine;
  }

  public long maxSeqNo() {
    return engine.maxSeqNo();
  }

  public long durableSeqNo() {
    return engine.persistedCheckpoint();
  }

  public IndexWriter writer() {
    return engine.writer();
  }

  public Translog translog() {
    return engine.translog();
  }

  public long committedCheckpoint() {
    return engine.committedCheckpoint();
  }

  public String describeSegments() {
    return engine.describeSegments();
  }

  @Override
  public String describeState() {
    return engine.describe() + (engine.recovery().isEmpty() ? "" : "; recovered: " + engine.recovery());
  }
}
