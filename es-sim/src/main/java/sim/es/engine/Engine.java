package sim.es.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.Timer;
import sim.core.disk.SimDisk;
import sim.es.index.IndexWriter;
import sim.es.index.Mapping;

/**
 * One shard copy's engine (Elasticsearch's InternalEngine): Lucene's IndexWriter, the translog and the store
 * in one directory of the node's disk, the operation history, and the two local checkpoints. It applies
 * operations that already carry their sequence number — a primary assigns them, a replica receives them, in
 * any order — keeping, per document, only the newest (higher seq_no; at equal seq_no the higher primary term,
 * Elasticsearch's rule for a retried operation of a newer primary). It refreshes, fsyncs the translog through
 * the kernel's durability door (one fsync at a time, later operations share the next), flushes (a Lucene
 * commit, then the translog trim), merges what the TieredMergePolicy picks, and recovers from its directory.
 * What it may acknowledge is its caller's business: it reports the persisted checkpoint to its
 * {@link Listener}.
 */
public final class Engine {
  /** What the engine tells the shard that owns it. */
  public interface Listener {
    /** Every operation up to {@code persistedCheckpoint} is durable on this copy now. */
    default void onPersisted(NodeContext ctx, long persistedCheckpoint) {}

    /** The force merge started with {@code token} finished, leaving {@code segments} of those it covered; its flush is issued. */
    default void onForceMergeDone(NodeContext ctx, long token, int segments) {}
  }

  private final EsConfig config;
  private final SimDisk disk;
  private final String dir;
  private final String shard;
  private final String label;
  private final Listener listener;
  private IndexWriter writer;
  private Translog translog;
  private Store store;
  private MergeScheduler merges;
  private final OperationHistory history = new OperationHistory();
  private final LiveVersionMap versions = new LiveVersionMap();
  private LocalCheckpointTracker processed = new LocalCheckpointTracker(-1);
  private LocalCheckpointTracker persisted = new LocalCheckpointTracker(-1);
  private long maxSeqNo = -1;
  private long globalCheckpoint = -1;
  private long retainedSeqNo = -1; // the retention leases' minimum; -1: retain nothing beyond the checkpoint
  private long refreshGeneration;
  private long refreshedSeqNo = -1;
  private long commitGeneration;
  private long highestGeneration; // Lucene numbers a new commit above every segments_N it has seen
  private long committedCheckpoint = -1;
  private long safeCommitCheckpoint = -1; // the safe commit's local checkpoint: history above it is kept (SoftDeletesPolicy)
  private boolean flushing;
  private final NonFsyncedSeqNos nonFsynced = new NonFsyncedSeqNos();
  private String recovery = "";
  private boolean mergeKeepsDeletesAsAtStart;
  private boolean keepOnlyLastCommit;
  private boolean reopenPastGlobalCheckpoint;

  public Engine(EsConfig config, SimDisk disk, String dir, String shard, Listener listener) {
    this.config = config;
    this.disk = disk;
    this.dir = dir;
    this.shard = shard;
    this.label = shard.isEmpty() ? "" : "[" + shard + "] ";
    this.listener = listener;
  }

  // --- opening and recovery ---

  /**
   * Opens the safe commit — the newest durable one whose max_seq_no is at or below the global checkpoint
   * the translog checkpoint persisted — and replays the translog operations above its local checkpoint (all
   * of them unless {@code skipReplay}), up to what the translog checkpoint says was fsynced.
   */
  public String open(NodeContext ctx, boolean skipReplay) {
    return open(ctx, skipReplay, "store");
  }

  private String open(NodeContext ctx, boolean skipReplay, String source) {
    abortMerges();
    merges = new MergeScheduler(shard, label, config.mergePolicy(), config.mergeMaxThreadCount());
    merges.keepDeletesAsAtStart(mergeKeepsDeletesAsAtStart);
    writer = new IndexWriter(new Mapping());
    store = new Store(disk, dir);
    translog = new Translog(disk, dir);
    StringBuilder report = new StringBuilder();
    List<Operation> ops = translog.recover(report);
    long persistedGcp = translog.globalCheckpoint();
    Store.CommitPoint commit = store.open(writer, persistedGcp);
    if (commit == null) { // a new copy (or one whose first commit never became durable): Store.createEmpty
      ctx.fsyncThen(store.createEmpty(translog.minGeneration()), new EsTimer.EmptyCommitDurable(shard));
      commit = store.open(writer, persistedGcp);
    }
    int replayed = install(commit, ops, skipReplay ? Long.MIN_VALUE : Long.MAX_VALUE);
    long lcp = committedCheckpoint;
    persisted = new LocalCheckpointTracker(lcp); // all of it came from disk
    for (Operation op : history.all()) persisted.mark(op.seqNo());
    globalCheckpoint = translog.globalCheckpoint();
    recovery = describeOpened(commit, persistedGcp) + ", replayed " + replayed + " translog ops" + (report.length() > 0 ? "; " + report : "");
    ctx.point("es.recovery", label + recovery, "shard", shard, "localCheckpoint", lcp, "replayed", replayed, "maxSeqNo", maxSeqNo,
        "checkpoint", processed.checkpoint(), "globalCheckpoint", persistedGcp, "dir", dir, "source", source,
        "commitGeneration", commit == null ? -1 : commit.generation(), "commitMaxSeqNo", commit == null ? -1 : commit.maxSeqNo());
    return recovery;
  }

  /**
   * Makes {@code commit} (null: none) the engine's Lucene state and replays the translog {@code ops} above its
   * local checkpoint and at or below {@code upTo}, as Engine.recoverFromTranslog(runner, upTo) does. Returns how
   * many were replayed.
   */
  private int install(Store.CommitPoint commit, List<Operation> ops, long upTo) {
    long lcp = commit == null ? -1 : commit.localCheckpoint();
    commitGeneration = commit == null ? 0 : commit.generation();
    highestGeneration = Math.max(highestGeneration, Math.max(commitGeneration, store.maxGeneration()));
    committedCheckpoint = lcp;
    safeCommitCheckpoint = lcp;
    history.reset(commit == null ? List.of() : commit.history(), commit == null ? 0 : commit.minRetainedSeqNo());
    versions.clear();
    processed = new LocalCheckpointTracker(lcp);
    maxSeqNo = commit == null ? -1 : Math.max(lcp, commit.maxSeqNo());
    for (Operation op : history.all()) {
      versions.remember(op);
      processed.mark(op.seqNo());
    }
    int replayed = 0;
    Map<Long, Long> newestTerm = new HashMap<>(); // at one seq_no the newest primary's operation wins, wherever it is in the translog
    for (Operation op : ops) newestTerm.merge(op.seqNo(), op.primaryTerm(), Math::max);
    for (Operation op : ops) {
      if (op.seqNo() <= lcp || op.seqNo() > upTo || isDuplicate(op)) continue; // already in the Lucene commit (or past upTo)
      if (op.primaryTerm() < newestTerm.get(op.seqNo()) || translog.trimmed(op)) continue; // an old primary's, void
      applyToLucene(op);
      history.add(op);
      processed.mark(op.seqNo());
      maxSeqNo = Math.max(maxSeqNo, op.seqNo());
      replayed++;
    }
    writer.refresh();
    refreshedSeqNo = maxSeqNo;
    return replayed;
  }

  private static String describeOpened(Store.CommitPoint commit, long gcp) {
    if (commit == null) return "no commit";
    String head = "commit segments_" + commit.generation() + " (local_checkpoint " + commit.localCheckpoint() + ", max_seq_no " + commit.maxSeqNo();
    String safety = commit.maxSeqNo() <= gcp ? " <= global checkpoint " + gcp + ": the safe commit" : ", none at or below global checkpoint " + gcp + " yet: the oldest";
    return head + safety + ", " + commit.segments().size() + " segments)";
  }

  /** The first refresh and translog-sync ticks; they re-arm themselves. */
  public void startTimers(NodeContext ctx) {
    ctx.setTimer(new EsTimer.RefreshTick(shard), Durations.millis(config.refreshIntervalMs()));
    if (config.durability() == EsConfig.Durability.ASYNC) ctx.setTimer(new EsTimer.SyncTick(shard), Durations.millis(config.syncIntervalMs()));
  }

  // --- the write path ---

  /** Whether this copy already holds this operation (a retransmission), or a newer one at its seq_no. */
  public boolean isDuplicate(Operation op) {
    if (!processed.contains(op.seqNo())) return false;
    Operation had = history.get(op.seqNo());
    return had == null || had.primaryTerm() >= op.primaryTerm();
  }

  /**
   * Applies an operation with its seq_no: into Lucene if it is the newest for its id, into the history and
   * the translog in any case. Returns false (and does nothing) for a duplicate.
   */
  public boolean apply(NodeContext ctx, Operation op) {
    if (isDuplicate(op)) return false;
    boolean newest = applyToLucene(op);
    history.add(op);
    translog.add(op);
    nonFsynced.add(op.seqNo());
    processed.mark(op.seqNo());
    maxSeqNo = Math.max(maxSeqNo, op.seqNo());
    ctx.point("es.index.buffer", label + (op.isNoop() ? "no-op" : op.id()) + " seq_no " + op.seqNo()
            + (newest ? " into the indexing buffer (" + writer.bufferedDocs() + " buffered)"
            : op.isNoop() ? " fills a gap: translog and history only" : " is older than seq_no " + versions.seqNo(op.id()) + " of the same id: translog only"),
        "shard", shard, "id", op.id(), "seqNo", op.seqNo(), "term", op.primaryTerm(), "op", op.delete() ? "delete" : "index");
    ctx.point("es.translog.append", label + "seq_no " + op.seqNo() + " appended to " + translog.file(translog.generation()) + " @" + translog.uncommittedOffset(),
        "shard", shard, "dir", dir, "seqNo", op.seqNo(), "term", op.primaryTerm(), "generation", translog.generation(), "offset",
        translog.uncommittedOffset());
    return true;
  }

  /** Into Lucene if newer than what the version map holds for the id; returns whether it was. */
  private boolean applyToLucene(Operation op) {
    if (!versions.isNewer(op)) return false;
    if (op.delete()) writer.delete(op.id());
    else writer.index(op.id(), op.source(), op.seqNo());
    versions.put(op);
    return true;
  }

  /** Ends a write: fsync now under {@code durability: request}, flush if the translog is past its threshold. */
  public void afterWrite(NodeContext ctx) {
    if (config.durability() == EsConfig.Durability.REQUEST) sync(ctx);
    maybeFlush(ctx);
  }

  /** One translog fsync at a time; operations arriving meanwhile wait for the next (group commit). */
  public void sync(NodeContext ctx) {
    if (nonFsynced.syncing() || !translog.needsSync()) return;
    translog.setGlobalCheckpoint(globalCheckpoint);
    Translog.Checkpoint ckp = translog.prepareSync();
    long id = nonFsynced.begin();
    ctx.fsyncThen(translog.filesToSync(), new EsTimer.TranslogSynced(shard, ckp.generation(), ckp.offset(), ckp.numOps(), ckp.minGeneration(), ckp.globalCheckpoint(), id));
  }

  /** Handles the engine's own timers; false if {@code timer} is not one of them. */
  public boolean onTimer(NodeContext ctx, Timer timer) {
    if (!(timer instanceof EsTimer t) || !t.shard().equals(shard) || timer instanceof EsTimer.ClientTick) return false;
    if (t instanceof EsTimer.TranslogSynced s) {
      onSynced(ctx, s);
    } else if (t instanceof EsTimer.RefreshTick r) {
      refresh(ctx);
      ctx.setTimer(r, Durations.millis(config.refreshIntervalMs()));
    } else if (t instanceof EsTimer.SyncTick s) {
      sync(ctx);
      ctx.setTimer(s, Durations.millis(config.syncIntervalMs()));
    } else if (t instanceof EsTimer.CommitDurable c) {
      onCommitDurable(ctx, c);
    } else if (t instanceof EsTimer.MergeDone m && merges.onMergeDone(ctx, writer, m)) {
      checkForceMergeDone(ctx);
    }
    return true;
  }

  private void onSynced(NodeContext ctx, EsTimer.TranslogSynced t) {
    long[] covered = nonFsynced.done(t.syncId());
    if (covered == null) return; // issued before the translog was replaced by a file-based recovery
    translog.synced(new Translog.Checkpoint(t.generation(), t.offset(), t.numOps(), t.minGeneration(), t.globalCheckpoint()));
    for (long seqNo : covered) persisted.mark(seqNo);
    ctx.point("es.translog.fsync", label + "translog durable up to seq_no " + persisted.checkpoint(), "shard", shard, "seqNo", persisted.checkpoint(),
        "generation", t.generation(), "offset", t.offset(), "dir", dir);
    listener.onPersisted(ctx, persisted.checkpoint());
    if (config.durability() == EsConfig.Durability.REQUEST) sync(ctx);
  }

  /** Refresh: the buffer becomes a searchable segment; the policy may pick merges. */
  public void refresh(NodeContext ctx) {
    int buffered = writer.bufferedDocs();
    int before = writer.segments().size();
    writer.refresh();
    refreshGeneration++;
    refreshedSeqNo = maxSeqNo;
    if (buffered > 0) {
      ctx.point("es.refresh", label + buffered + " buffered docs -> new segment; " + writer.segments().size() + " segments searchable (refreshed to seq_no " + refreshedSeqNo + ")",
          "shard", shard, "segments", writer.segments().size(), "newSegments", writer.segments().size() - before, "refreshedSeqNo", refreshedSeqNo,
          "generation", refreshGeneration);
      merges.maybeMerge(ctx, writer);
    }
  }

  private void maybeFlush(NodeContext ctx) {
    // the uncommitted part only (shouldPeriodicallyFlush): from minGenerationForSeqNo(last commit's local_checkpoint + 1),
    // which also holds for a commit copied from the primary, whose generation numbers are not this translog's
    long uncommittedFrom = translog.minGenerationForSeqNo(committedCheckpoint + 1);
    if (flushing || translog.sizeInBytesFrom(uncommittedFrom) < config.flushThresholdSizeBytes()) return;
    flush(ctx);
  }

  /**
   * Lucene commit + translog roll. The generation being closed is fsynced with the commit (Elasticsearch's
   * rollGeneration syncs it): the safe commit may be older than this one, and recovering from it replays
   * these operations from the translog. Generations no retained commit needs are trimmed once it is durable.
   */
  public void flush(NodeContext ctx) {
    if (flushing) return;
    flushing = true;
    refresh(ctx);
    long lcp = processed.checkpoint();
    // in a cluster, Elasticsearch's SoftDeletesPolicy keeps the history the leases retain and all of it above the
    // safe commit's local checkpoint: a file-based recovery copies the safe commit and replays from there
    long keep = retainedSeqNo < 0 ? lcp + 1 : Math.min(retainedSeqNo, safeCommitCheckpoint + 1);
    history.trim(keep, retainedSeqNo < 0 ? lcp : globalCheckpoint);
    translog.setGlobalCheckpoint(globalCheckpoint);
    String closing = translog.currentFile();
    long newGeneration = translog.rollGeneration();
    long generation = ++highestGeneration;
    List<String> files = new ArrayList<>(store.prepareCommit(generation, writer, lcp, maxSeqNo, newGeneration, history));
    files.add(closing);
    files.add(translog.filesToSync().get(1)); // translog.ckp, with the new generation and the global checkpoint
    ctx.point("es.flush", label + "Lucene commit segments_" + generation + " (local_checkpoint " + lcp + ", " + writer.segments().size()
            + " segments, history from seq_no " + history.minRetainedSeqNo() + "), translog rolled to generation " + newGeneration,
        "shard", shard, "commitGeneration", generation, "localCheckpoint", lcp, "translogGeneration", newGeneration);
    ctx.fsyncThen(files, new EsTimer.CommitDurable(shard, generation, newGeneration, lcp, maxSeqNo, translog.globalCheckpoint()));
  }

  private void onCommitDurable(NodeContext ctx, EsTimer.CommitDurable c) {
    if (!disk.exists(dir + "pending_segments_" + c.commitGeneration())) return; // the store was replaced meanwhile
    translog.checkpointSynced(c.globalCheckpoint());
    long gcp = translog.syncedGlobalCheckpoint();
    CombinedDeletionPolicy.CommitInfo safe = store.publish(c.commitGeneration(), gcp, keepOnlyLastCommit);
    commitGeneration = c.commitGeneration();
    committedCheckpoint = c.localCheckpoint();
    safeCommitCheckpoint = safe.localCheckpoint();
    long keepFrom = translog.minGenerationForSeqNo(safe.localCheckpoint() + 1); // Translog.getMinReferencedGen
    List<String> deleted = translog.trimBelow(keepFrom);
    String kept = keepOnlyLastCommit ? "broken: only it is kept"
        : safe.maxSeqNo() > gcp ? "none is safe yet (global checkpoint " + gcp + "): the oldest, segments_" + safe.generation() + ", stays"
        : (safe.generation() == c.commitGeneration() ? "it is the safe commit" : "segments_" + safe.generation() + " stays the safe commit")
            + " (max_seq_no " + safe.maxSeqNo() + " <= global checkpoint " + gcp + ")";
    ctx.point("es.translog.trim", label + "segments_" + c.commitGeneration() + " durable (max_seq_no " + c.maxSeqNo() + "); " + kept + "; deleted " + deleted,
        "shard", shard, "keepFrom", keepFrom, "deleted", deleted.size(), "dir", dir, "commitGeneration", c.commitGeneration(),
        "commitMaxSeqNo", c.maxSeqNo(), "commitLocalCheckpoint", c.localCheckpoint(), "safeGeneration", safe.generation(), "globalCheckpoint", gcp);
    flushing = false;
    persisted.markAllUpTo(c.localCheckpoint()); // operations waiting on a translog fsync are durable in the commit now
    listener.onPersisted(ctx, persisted.checkpoint());
    merges.maybeMerge(ctx, writer);
  }

  // --- merging ---

  /** The broken rule {@code es.keep-only-last-commit}: set before {@link #open}. */
  public void breakKeepOnlyLastCommit(boolean broken) {
    keepOnlyLastCommit = broken;
  }

  /** The broken rule {@code es.merge-loses-concurrent-deletes}: set before {@link #open}. */
  public void breakMergeDeletes(boolean broken) {
    mergeKeepsDeletesAsAtStart = broken;
  }

  /** {@code POST _forcemerge}: returns false if a force merge is already running. */
  public boolean forceMerge(NodeContext ctx, int maxNumSegments, boolean onlyExpungeDeletes, long token) {
    if (!merges.forceMerge(ctx, writer, maxNumSegments, onlyExpungeDeletes, token)) return false;
    checkForceMergeDone(ctx);
    return true;
  }

  private void checkForceMergeDone(NodeContext ctx) {
    MergeScheduler.ForceMergeResult done = merges.forceMergeDone();
    if (done == null) return;
    ctx.point("es.merge.force.done", label + "force merge done: " + done.segments() + " segment(s) left of those it covered, "
        + writer.segments().size() + " in all; flushing", "shard", shard, "segments", done.segments());
    flush(ctx); // _forcemerge flushes by default
    listener.onForceMergeDone(ctx, done.token(), done.segments());
  }

  private void abortMerges() {
    if (merges != null) merges.abort(writer);
  }

  // --- replication support ---

  public void setGlobalCheckpoint(long gcp) {
    globalCheckpoint = Math.max(globalCheckpoint, gcp);
  }

  /** The retention leases' minimum retaining seq_no: history from there on survives trimming. */
  public void setRetainedSeqNo(long seqNo) {
    retainedSeqNo = seqNo;
  }

  /**
   * IndexShard.resetEngineToGlobalCheckpoint: a replica that learns of a new primary term throws away every
   * operation above the global checkpoint — the old primary may have sent it to this copy only. As in
   * Elasticsearch this reopens the store at the safe commit for the global checkpoint and replays the copy's
   * own translog up to it; the new primary's resync then sends what it has above.
   */
  public int resetToGlobalCheckpoint(NodeContext ctx) {
    long before = maxSeqNo;
    reopenUpTo(ctx, globalCheckpoint, false, "reset");
    return (int) Math.max(0, before - maxSeqNo);
  }

  /**
   * IndexShard.recoverLocallyUpToGlobalCheckpoint, before a peer recovery: the same reopen, and the seq_no an
   * operation-based recovery may start from; -1 (UNASSIGNED_SEQ_NO) if this copy has no safe commit for its
   * global checkpoint, and then only a file-based recovery will do.
   */
  public long recoverLocallyUpToGlobalCheckpoint(NodeContext ctx) {
    if (!reopenUpTo(ctx, globalCheckpoint, true, "local recovery")) return -1;
    return Math.min(processed.checkpoint(), reopenPastGlobalCheckpoint ? Long.MAX_VALUE : globalCheckpoint) + 1;
  }

  /** The resync of a new primary of {@code term}: older terms' operations above {@code aboveSeqNo} are void in the translog. */
  public void trimOperationsOfPreviousPrimaryTerms(NodeContext ctx, long term, long aboveSeqNo) {
    if (aboveSeqNo == Long.MAX_VALUE) return;
    String file = translog.trimOperations(term, aboveSeqNo);
    if (file == null) return;
    ctx.fsyncThen(file, new EsTimer.TrimDurable(shard));
    ctx.point("es.translog.trim-terms", label + "operations of terms below " + term + " above seq_no " + aboveSeqNo + " are void (no primary has them)",
        "shard", shard, "dir", dir, "term", term, "aboveSeqNo", aboveSeqNo);
  }

  /** The broken rule {@code es.reopen-past-global-checkpoint}: set before {@link #open}. */
  public void breakReopenPastGlobalCheckpoint(boolean broken) {
    reopenPastGlobalCheckpoint = broken;
  }

  private boolean reopenUpTo(NodeContext ctx, long gcp, boolean requireSafe, String why) {
    long upTo = reopenPastGlobalCheckpoint ? Long.MAX_VALUE : gcp; // broken: the last commit and the whole translog
    IndexWriter fresh = new IndexWriter(new Mapping());
    fresh.continueSegmentNamesOf(writer); // Lucene never reuses a segment name (SegmentInfos.counter)
    if (requireSafe && !store.hasSafeCommit(upTo)) return false;
    abortMerges();
    merges = new MergeScheduler(shard, label, config.mergePolicy(), config.mergeMaxThreadCount());
    merges.keepDeletesAsAtStart(mergeKeepsDeletesAsAtStart);
    writer = fresh;
    flushing = false; // a commit being written holds what the reset discards: the store abandons it
    long dropped = maxSeqNo;
    LocalCheckpointTracker wasPersisted = persisted;
    Store.CommitPoint commit = store.reopen(writer, upTo);
    int replayed = install(commit, translog.readWritten(), upTo);
    long lcp = processed.checkpoint();
    persisted = new LocalCheckpointTracker(Math.min(wasPersisted.checkpoint(), lcp));
    for (long seq = persisted.checkpoint() + 1; seq <= lcp; seq++) if (wasPersisted.contains(seq)) persisted.mark(seq);
    nonFsynced.dropAbove(lcp); // an fsync under way still makes the kept operations durable; a discarded seq_no waits for its successor
    ctx.point("es.engine.reset", label + why + ": " + describeOpened(commit, gcp) + ", replayed " + replayed + " translog ops up to the global checkpoint "
            + gcp + "; " + Math.max(0, dropped - maxSeqNo) + " seq_nos above it discarded", "shard", shard, "globalCheckpoint", gcp,
        "discarded", Math.max(0, dropped - maxSeqNo), "why", why, "dir", dir, "commitGeneration", commit == null ? -1 : commit.generation(), "checkpoint", lcp);
    return true;
  }

  /**
   * Phase 1 of a file-based peer recovery on the target: the primary's commit files are on this disk now;
   * the old translog goes, and the engine opens the copied commit (its history included).
   */
  public String openCopiedCommit(NodeContext ctx) {
    translog = new Translog(disk, dir);
    translog.wipe();
    nonFsynced.clear();
    flushing = false;
    return open(ctx, false, "copied");
  }

  /** Deletes this copy's files before the primary's are copied in. */
  public void wipeStore() {
    abortMerges();
    new Store(disk, dir).wipe();
  }

  /**
   * acquireSafeIndexCommit, for a file-based recovery of another copy: the safe commit for the persisted global
   * checkpoint (the oldest commit if none is safe yet), or null if this copy never committed.
   */
  public CombinedDeletionPolicy.CommitInfo safeCommit() {
    return store.safeCommit(translog.syncedGlobalCheckpoint());
  }

  public List<String> commitFiles(long generation) {
    return store.commitFiles(generation);
  }

  // --- views ---

  public IndexWriter writer() {
    return writer;
  }

  public Translog translog() {
    return translog;
  }

  public OperationHistory history() {
    return history;
  }

  public long maxSeqNo() {
    return maxSeqNo;
  }

  public long processedCheckpoint() {
    return processed.checkpoint();
  }

  public long persistedCheckpoint() {
    return persisted.checkpoint();
  }

  public long globalCheckpoint() {
    return globalCheckpoint;
  }

  public long committedCheckpoint() {
    return committedCheckpoint;
  }

  public long refreshGeneration() {
    return refreshGeneration;
  }

  public long refreshedSeqNo() {
    return refreshedSeqNo;
  }

  public boolean exists(String id) {
    return writer.exists(id);
  }

  public String latestSource(String id) {
    return writer.latestSource(id);
  }

  public int mergesCompleted() {
    return merges.completed();
  }

  public long reclaimedDeletes() {
    return merges.reclaimedDeletes();
  }

  public String recovery() {
    return recovery;
  }

  /** The {@code \segments} inspector's text ({@link SegmentsView}). */
  public String describeSegments() {
    return SegmentsView.describe(writer, merges.describe(), refreshGeneration, refreshedSeqNo, commitGeneration, committedCheckpoint, merges.completed(),
        merges.reclaimedDeletes());
  }

  public String describe() {
    return "max_seq_no " + maxSeqNo + ", checkpoint " + processed.checkpoint() + " (persisted " + persisted.checkpoint() + "), global "
        + globalCheckpoint + ", refreshed to " + refreshedSeqNo + ", committed to " + committedCheckpoint + ", " + writer.segments().size()
        + " segments + " + writer.bufferedDocs() + " buffered; translog " + translog;
  }
}
