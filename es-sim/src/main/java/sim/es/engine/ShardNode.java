package sim.es.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.es.engine.EsMessage.DeleteRequest;
import sim.es.engine.EsMessage.GetRequest;
import sim.es.engine.EsMessage.GetResponse;
import sim.es.engine.EsMessage.IndexRequest;
import sim.es.engine.EsMessage.SearchRequest;
import sim.es.engine.EsMessage.SearchResponse;
import sim.es.engine.EsMessage.WriteResponse;
import sim.es.index.IndexReader;
import sim.es.index.IndexWriter;
import sim.es.index.LeafReader;
import sim.es.index.Mapping;
import sim.es.index.Segment;

/**
 * One Elasticsearch node holding one primary shard, and its write path: an operation gets the next sequence
 * number, goes into Lucene's indexing buffer (not searchable) and is appended to the translog; under
 * {@code durability: request} the node acknowledges only once the translog fsync covering it returns,
 * under {@code async} at once (a background fsync runs every {@code sync_interval}). Every
 * {@code refresh_interval} the buffer becomes a segment and a new reader opens: only now do searches see
 * the documents. A flush (translog past {@code flush_threshold_size}) writes a Lucene commit and, once it
 * is durable, trims the translog generations it covers. A restart opens the last commit and replays the
 * translog operations above its local checkpoint. A realtime GET reads the latest version whether
 * refreshed or not.
 */
public final class ShardNode implements Node {
  public static final String BREAK_ACK_BEFORE_FSYNC = "es.ack-before-translog-fsync";
  public static final String BREAK_SEARCH_UNREFRESHED = "es.search-reads-indexing-buffer";
  public static final String BREAK_SKIP_TRANSLOG_REPLAY = "es.recover-from-commit-only";

  private final EsConfig config;
  private IndexWriter writer;
  private Translog translog;
  private Store store;
  private long maxSeqNo = -1;
  private long durableSeqNo = -1;
  private long refreshGeneration;
  private long refreshedSeqNo = -1;
  private long commitGeneration;
  private long committedCheckpoint = -1;
  private boolean flushing;
  private boolean syncInFlight;
  private boolean ackBeforeFsync;
  private boolean searchUnrefreshed;
  private boolean skipReplay;
  private final TreeMap<Long, List<Pending>> waiting = new TreeMap<>(); // seqNo -> acks waiting for its fsync
  private String recovery = "";

  private record Pending(NodeId client, WriteResponse response) {}

  public ShardNode(EsConfig config) {
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    ackBeforeFsync = ctx.isBroken(BREAK_ACK_BEFORE_FSYNC);
    searchUnrefreshed = ctx.isBroken(BREAK_SEARCH_UNREFRESHED);
    skipReplay = ctx.isBroken(BREAK_SKIP_TRANSLOG_REPLAY);
    writer = new IndexWriter(new Mapping());
    store = new Store(ctx.disk());
    Store.CommitPoint commit = store.open(writer);
    translog = new Translog(ctx.disk());
    StringBuilder report = new StringBuilder();
    List<Operation> ops = translog.recover(report);
    long lcp = commit == null ? -1 : commit.localCheckpoint();
    commitGeneration = commit == null ? 0 : commit.generation();
    committedCheckpoint = lcp;
    maxSeqNo = lcp;
    int replayed = 0;
    for (Operation op : ops) {
      if (op.seqNo() <= lcp || skipReplay) continue; // already in the Lucene commit (or, broken, ignored)
      apply(op);
      replayed++;
    }
    durableSeqNo = maxSeqNo;
    writer.refresh();
    refreshedSeqNo = maxSeqNo;
    recovery = (commit == null ? "no commit" : "commit segments_" + commit.generation() + " (local_checkpoint " + lcp + ", " + commit.segments().size() + " segments)")
        + ", replayed " + replayed + " translog ops" + (report.length() > 0 ? "; " + report : "");
    ctx.point("es.recovery", recovery, "localCheckpoint", lcp, "replayed", replayed, "maxSeqNo", maxSeqNo);
    ctx.setTimer(new EsTimer.RefreshTick(), Durations.millis(config.refreshIntervalMs()));
    if (config.durability() == EsConfig.Durability.ASYNC) ctx.setTimer(new EsTimer.SyncTick(), Durations.millis(config.syncIntervalMs()));
  }

  private void apply(Operation op) {
    if (op.delete()) writer.delete(op.id());
    else writer.index(op.id(), op.source(), op.seqNo());
    maxSeqNo = Math.max(maxSeqNo, op.seqNo());
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof IndexRequest r) write(ctx, from, r.requestId(), new Operation(maxSeqNo + 1, false, r.id(), r.source()));
    else if (message instanceof DeleteRequest r) write(ctx, from, r.requestId(), new Operation(maxSeqNo + 1, true, r.id(), null));
    else if (message instanceof GetRequest g) {
      String source = writer.latestSource(g.id());
      ctx.point("es.get.realtime", g.id() + (source == null ? " not found" : " found"), "id", g.id(), "found", source != null);
      ctx.send(from, new GetResponse(g.requestId(), g.id(), source != null, source));
    } else if (message instanceof SearchRequest s) {
      if (searchUnrefreshed) writer.refresh(); // the broken rule: the search opens the buffer, no refresh recorded
      List<String> ids = liveIds(writer.reader());
      ctx.point("es.search", ids.size() + " hits from the reader of refresh " + refreshGeneration + " (seq_no " + refreshedSeqNo + ")",
          "refreshedSeqNo", refreshedSeqNo, "hits", ids.size(), "idsHash", String.join(",", ids).hashCode());
      ctx.send(from, new SearchResponse(s.requestId(), refreshGeneration, refreshedSeqNo, ids));
    }
  }

  private void write(NodeContext ctx, NodeId client, long requestId, Operation op) {
    boolean existed = writer.exists(op.id());
    if (op.delete() && !existed) {
      ctx.send(client, new WriteResponse(requestId, op.id(), -2, "not_found"));
      return;
    }
    apply(op);
    translog.add(op);
    String result = op.delete() ? "deleted" : existed ? "updated" : "created";
    ctx.point("es.index.buffer", op.id() + " seq_no " + op.seqNo() + " into the indexing buffer (" + writer.bufferedDocs() + " buffered)",
        "id", op.id(), "seqNo", op.seqNo(), "op", op.delete() ? "delete" : "index");
    ctx.point("es.translog.append", "seq_no " + op.seqNo() + " appended to " + Translog.file(translog.generation()) + " @" + translog.uncommittedOffset(),
        "seqNo", op.seqNo(), "generation", translog.generation(), "offset", translog.uncommittedOffset());
    WriteResponse response = new WriteResponse(requestId, op.id(), op.seqNo(), result);
    if (config.durability() == EsConfig.Durability.ASYNC || ackBeforeFsync) {
      ctx.point("es.ack", op.id() + " acknowledged (" + result + ") before any fsync", "id", op.id(), "seqNo", op.seqNo());
      ctx.send(client, response);
    } else {
      waiting.computeIfAbsent(op.seqNo(), k -> new ArrayList<>()).add(new Pending(client, response));
    }
    if (config.durability() == EsConfig.Durability.REQUEST) sync(ctx);
    maybeFlush(ctx);
  }

  /** One translog fsync at a time; operations arriving meanwhile wait for the next (group commit). */
  private void sync(NodeContext ctx) {
    if (syncInFlight || !translog.needsSync()) return;
    syncInFlight = true;
    Translog.Checkpoint ckp = translog.prepareSync();
    ctx.fsyncThen(translog.filesToSync(), new EsTimer.TranslogSynced(ckp.generation(), ckp.offset(), ckp.numOps(), ckp.minGeneration(), maxSeqNo));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof EsTimer.TranslogSynced t) onSynced(ctx, t);
    else if (timer instanceof EsTimer.RefreshTick) {
      refresh(ctx);
      ctx.setTimer(timer, Durations.millis(config.refreshIntervalMs()));
    } else if (timer instanceof EsTimer.SyncTick) {
      sync(ctx);
      ctx.setTimer(timer, Durations.millis(config.syncIntervalMs()));
    } else if (timer instanceof EsTimer.CommitDurable c) onCommitDurable(ctx, c);
  }

  private void onSynced(NodeContext ctx, EsTimer.TranslogSynced t) {
    syncInFlight = false;
    translog.synced(new Translog.Checkpoint(t.generation(), t.offset(), t.numOps(), t.minGeneration()));
    durableSeqNo = Math.max(durableSeqNo, t.seqNo());
    ctx.point("es.translog.fsync", "translog durable up to seq_no " + t.seqNo(), "seqNo", t.seqNo(), "generation", t.generation(), "offset", t.offset());
    Map<Long, List<Pending>> done = new LinkedHashMap<>(waiting.headMap(t.seqNo(), true));
    for (Map.Entry<Long, List<Pending>> e : done.entrySet()) {
      for (Pending p : e.getValue()) {
        ctx.point("es.ack", p.response().id() + " acknowledged (" + p.response().result() + ") after the translog fsync",
            "id", p.response().id(), "seqNo", e.getKey());
        ctx.send(p.client(), p.response());
      }
      waiting.remove(e.getKey());
    }
    if (config.durability() == EsConfig.Durability.REQUEST) sync(ctx);
  }

  private void refresh(NodeContext ctx) {
    int buffered = writer.bufferedDocs();
    int before = writer.segments().size();
    writer.refresh();
    refreshGeneration++;
    refreshedSeqNo = maxSeqNo;
    if (buffered > 0) {
      ctx.point("es.refresh", buffered + " buffered docs -> new segment; " + writer.segments().size() + " segments searchable (refreshed to seq_no " + refreshedSeqNo + ")",
          "segments", writer.segments().size(), "newSegments", writer.segments().size() - before, "refreshedSeqNo", refreshedSeqNo, "generation", refreshGeneration);
    }
  }

  private void maybeFlush(NodeContext ctx) {
    if (flushing || translog.sizeInBytes() < config.flushThresholdSizeBytes()) return;
    flush(ctx);
  }

  /** Lucene commit + translog roll; the old generations are trimmed once the commit is durable. */
  public void flush(NodeContext ctx) {
    flushing = true;
    refresh(ctx);
    long newGeneration = translog.rollGeneration();
    long generation = commitGeneration + 1;
    List<String> files = store.prepareCommit(generation, writer, maxSeqNo, newGeneration);
    ctx.point("es.flush", "Lucene commit segments_" + generation + " (local_checkpoint " + maxSeqNo + ", " + writer.segments().size() + " segments), translog rolled to generation " + newGeneration,
        "commitGeneration", generation, "localCheckpoint", maxSeqNo, "translogGeneration", newGeneration);
    EsTimer.CommitDurable done = new EsTimer.CommitDurable(generation, newGeneration, maxSeqNo);
    ctx.fsyncThen(files, done);
  }

  private void onCommitDurable(NodeContext ctx, EsTimer.CommitDurable c) {
    store.publish(c.commitGeneration());
    commitGeneration = c.commitGeneration();
    committedCheckpoint = c.localCheckpoint();
    List<String> segs = new ArrayList<>();
    for (Segment s : writer.segments()) segs.add(s.name());
    store.deleteUnreferenced(segs);
    trim(ctx, c.translogGeneration());
    flushing = false;
    // operations that were waiting on a translog fsync are durable in the commit now
    Map<Long, List<Pending>> done = new LinkedHashMap<>(waiting.headMap(c.localCheckpoint(), true));
    durableSeqNo = Math.max(durableSeqNo, c.localCheckpoint());
    for (Map.Entry<Long, List<Pending>> e : done.entrySet()) {
      for (Pending p : e.getValue()) {
        ctx.point("es.ack", p.response().id() + " acknowledged (" + p.response().result() + ") after the commit", "id", p.response().id(), "seqNo", e.getKey());
        ctx.send(p.client(), p.response());
      }
      waiting.remove(e.getKey());
    }
  }

  private void trim(NodeContext ctx, long keepFrom) {
    List<String> deleted = translog.trimBelow(keepFrom);
    ctx.point("es.translog.trim", "deleted " + deleted + " (covered by the commit)", "keepFrom", keepFrom, "deleted", deleted.size());
  }

  static List<String> liveIds(IndexReader reader) {
    List<String> ids = new ArrayList<>();
    for (LeafReader leaf : reader.leaves()) {
      for (int d = 0; d < leaf.segment().maxDoc(); d++) if (leaf.isLive(d)) ids.add(leaf.segment().id(d));
    }
    ids.sort(null);
    return ids;
  }

  // --- views for checks and inspectors ---

  public long maxSeqNo() {
    return maxSeqNo;
  }

  public long durableSeqNo() {
    return durableSeqNo;
  }

  public IndexWriter writer() {
    return writer;
  }

  public Translog translog() {
    return translog;
  }

  public long committedCheckpoint() {
    return committedCheckpoint;
  }

  public String describeSegments() {
    StringBuilder b = new StringBuilder();
    List<Segment> segs = writer.segments();
    for (int i = 0; i < segs.size(); i++) {
      Segment s = segs.get(i);
      b.append(s.name()).append(": ").append(s.maxDoc()).append(" docs, ").append(writer.deletedCount(i)).append(" deleted, ")
          .append(s.field("body") == null ? 0 : s.field("body").termCount()).append(" terms in body\n");
    }
    b.append("indexing buffer: ").append(writer.bufferedDocs()).append(" docs (not searchable)\n");
    b.append("last refresh: generation ").append(refreshGeneration).append(", seq_no ").append(refreshedSeqNo).append('\n');
    b.append("last commit: segments_").append(commitGeneration).append(", local_checkpoint ").append(committedCheckpoint);
    return b.toString();
  }

  @Override
  public String describeState() {
    return "max_seq_no " + maxSeqNo + ", durable to " + durableSeqNo + ", refreshed to " + refreshedSeqNo + ", committed to "
        + committedCheckpoint + ", " + writer.segments().size() + " segments + " + writer.bufferedDocs() + " buffered; translog " + translog
        + (recovery.isEmpty() ? "" : "; recovered: " + recovery);
  }
}
