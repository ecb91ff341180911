package sim.es.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.es.index.IndexWriter;
import sim.es.index.Segment;
import sim.es.index.merge.OneMerge;
import sim.es.index.merge.SegmentStats;
import sim.es.index.merge.TieredMergePolicy;

/**
 * Applies what the {@link TieredMergePolicy} decides, as Lucene's ConcurrentMergeScheduler does: every merge the
 * policy picks is registered at once (its segments are "merging" and no longer candidates), at most
 * {@code index.merge.scheduler.max_thread_count} run at a time, and a merge takes the time to rewrite its
 * bytes at the auto-throttle's starting rate (20 MB/s). When it finishes the merged segment replaces its
 * sources in the writer — searchable from the next refresh — and the policy is asked again. A force merge
 * keeps asking {@code findForcedMerges} (with Elasticsearch's unbounded maximum size) until nothing is left.
 */
final class MergeScheduler {
  static final double BYTES_PER_SECOND = 20.0 * 1024 * 1024;

  private final String shard;
  private final String label;
  private final TieredMergePolicy policy;
  private final TieredMergePolicy forcedPolicy;
  private final int maxThreadCount;
  private final ArrayDeque<Scheduled> queued = new ArrayDeque<>();
  private final Map<Long, Scheduled> running = new TreeMap<>();
  private long nextId;
  private ForceMerge force;
  private int completed;
  private long reclaimedDeletes;
  private boolean keepDeletesAsAtStart;

  /** A registered merge; {@code forced} once a force merge adopted it (Lucene marks running merges too). */
  private static final class Scheduled {
    final long id;
    final OneMerge merge;
    boolean forced;
    boolean runningAtForceStart;

    Scheduled(long id, OneMerge merge, boolean forced) {
      this.id = id;
      this.merge = merge;
      this.forced = forced;
    }

    long id() {
      return id;
    }

    OneMerge merge() {
      return merge;
    }

    boolean forced() {
      return forced;
    }
  }

  /** A finished force merge: its request's token and how many segments are left of what it covered. */
  record ForceMergeResult(long token, int segments) {}

  /** A force merge in progress: {@code segmentsToMerge} maps each segment to whether it predates the request. */
  private static final class ForceMerge {
    final int maxNumSegments;
    final boolean onlyExpungeDeletes;
    final long token;
    final Map<String, Boolean> segmentsToMerge = new LinkedHashMap<>();

    ForceMerge(int maxNumSegments, boolean onlyExpungeDeletes, long token) {
      this.maxNumSegments = maxNumSegments;
      this.onlyExpungeDeletes = onlyExpungeDeletes;
      this.token = token;
    }
  }

  MergeScheduler(String shard, String label, TieredMergePolicy.Settings settings, int maxThreadCount) {
    this.shard = shard;
    this.label = label;
    this.policy = new TieredMergePolicy(settings);
    this.forcedPolicy = new TieredMergePolicy(settings.unboundedForForcedMerges());
    this.maxThreadCount = maxThreadCount;
  }

  /** The broken rule: merges drop only the deletes they saw when they started. */
  void keepDeletesAsAtStart(boolean broken) {
    keepDeletesAsAtStart = broken;
  }

  /** After a refresh, a commit or a finished merge: Lucene's maybeMerge. */
  void maybeMerge(NodeContext ctx, IndexWriter writer) {
    for (OneMerge m : policy.findMerges(writer.segmentStats(), writer.merging())) register(ctx, writer, m, false);
    startQueued(ctx, writer);
  }

  /** Starts a force merge; returns false if one is already running (Elasticsearch runs them one at a time). */
  boolean forceMerge(NodeContext ctx, IndexWriter writer, int maxNumSegments, boolean onlyExpungeDeletes, long token) {
    if (force != null) return false;
    writer.flushBuffer(); // IndexWriter.forceMerge flushes first: buffered docs are merged too (searchable at the next refresh)
    force = new ForceMerge(maxNumSegments, onlyExpungeDeletes, token);
    for (SegmentStats s : writer.segmentStats()) force.segmentsToMerge.put(s.name(), true);
    for (Scheduled s : queued) s.forced = true; // IndexWriter.forceMerge adopts pending and running merges
    for (Scheduled s : running.values()) {
      s.forced = true;
      s.runningAtForceStart = true; // its output counts as original (segmentsToMerge.put(merge.info, TRUE))
    }
    ctx.point("es.merge.force", label + "force merge to max_num_segments=" + maxNumSegments + (onlyExpungeDeletes ? ", only_expunge_deletes" : "")
        + " over " + force.segmentsToMerge.size() + " segments", "shard", shard, "maxNumSegments", maxNumSegments, "segments", force.segmentsToMerge.size());
    continueForceMerge(ctx, writer);
    startQueued(ctx, writer);
    return true;
  }

  private void continueForceMerge(NodeContext ctx, IndexWriter writer) {
    List<OneMerge> merges = force.onlyExpungeDeletes
        ? forcedPolicy.findForcedDeletesMerges(writer.segmentStats(), writer.merging())
        : forcedPolicy.findForcedMerges(writer.segmentStats(), force.maxNumSegments, force.segmentsToMerge, writer.merging());
    for (OneMerge m : merges) register(ctx, writer, m, true);
  }

  /** The force merge that just completed, or null: none is pending or running any more. */
  ForceMergeResult forceMergeDone() {
    if (force == null) return null;
    for (Scheduled s : queued) if (s.forced()) return null;
    for (Scheduled s : running.values()) if (s.forced()) return null;
    ForceMergeResult done = new ForceMergeResult(force.token, force.segmentsToMerge.size());
    force = null;
    return done;
  }

  private void register(NodeContext ctx, IndexWriter writer, OneMerge m, boolean forced) {
    writer.startMerge(m.segments());
    Scheduled s = new Scheduled(nextId++, m, forced);
    queued.add(s);
    int docs = 0;
    int deletes = 0;
    for (SegmentStats st : writer.segmentStats()) {
      if (!m.segments().contains(st.name())) continue;
      docs += st.maxDoc();
      deletes += st.delCount();
    }
    ctx.point("es.merge.select", label + "TieredMergePolicy picks " + m.segments() + " (" + docs + " docs, " + deletes + " deleted; " + m.reason() + ")",
        "shard", shard, "mergeId", s.id(), "segments", m.segments().size(), "docs", docs, "deletes", deletes, "forced", forced);
  }

  private void startQueued(NodeContext ctx, IndexWriter writer) {
    while (running.size() < maxThreadCount && !queued.isEmpty()) {
      Scheduled s = queued.poll();
      running.put(s.id(), s);
      long bytes = 0;
      for (SegmentStats st : writer.segmentStats()) if (s.merge().segments().contains(st.name())) bytes += st.sizeInBytes();
      long nanos = Math.max(Durations.millis(1), (long) (bytes / BYTES_PER_SECOND * 1e9));
      ctx.setTimer(new EsTimer.MergeDone(shard, s.id()), nanos);
    }
  }

  /** A running merge finished: apply it, then ask the policy again. Returns false for a merge we no longer know. */
  boolean onMergeDone(NodeContext ctx, IndexWriter writer, EsTimer.MergeDone done) {
    Scheduled s = running.remove(done.mergeId());
    if (s == null) return false; // aborted (the engine was reset)
    int before = writer.segments().size();
    int live = 0;
    int dropped = 0;
    for (SegmentStats st : writer.segmentStats()) {
      if (!s.merge().segments().contains(st.name())) continue;
      live += st.liveDocs();
      dropped += st.delCount();
    }
    Segment merged = writer.merge(s.merge().segments(), keepDeletesAsAtStart);
    completed++;
    reclaimedDeletes += dropped;
    String into = merged == null ? "nothing (every doc was deleted)" : merged.name();
    ctx.point("es.merge.done", label + "merged " + s.merge().segments().size() + " segments into " + into + ": " + live + " live docs kept, "
        + dropped + " deleted docs dropped; " + writer.segments().size() + " segments (was " + before + ")",
        "shard", shard, "mergeId", s.id(), "liveDocs", live, "reclaimedDeletes", dropped, "segments", writer.segments().size(),
        "liveIds", writer.liveIds().size(), "liveIdsHash", String.join(",", writer.liveIds()).hashCode());
    if (force != null) {
      for (String n : s.merge().segments()) force.segmentsToMerge.remove(n);
      if (s.forced() && merged != null) force.segmentsToMerge.putIfAbsent(merged.name(), s.runningAtForceStart);
    }
    if (s.forced() && force != null) continueForceMerge(ctx, writer); // updatePendingMerges(MERGE_FINISHED, maxNumSegments)
    else maybeMerge(ctx, writer);
    startQueued(ctx, writer);
    return true;
  }

  /** Throws every merge away: a crash does the same, an engine reset must. */
  void abort(IndexWriter writer) {
    queued.clear();
    running.clear();
    force = null;
    if (writer != null) writer.abortMerges();
  }

  int completed() {
    return completed;
  }

  long reclaimedDeletes() {
    return reclaimedDeletes;
  }

  List<String> describe() {
    List<String> out = new ArrayList<>();
    for (Scheduled s : running.values()) out.add("running merge " + s.id() + ": " + s.merge().segments() + (s.forced() ? " (forced)" : ""));
    for (Scheduled s : queued) out.add("queued merge " + s.id() + ": " + s.merge().segments() + (s.forced() ? " (forced)" : ""));
    return out;
  }
}
