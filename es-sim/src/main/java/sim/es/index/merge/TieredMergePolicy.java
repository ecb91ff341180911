package sim.es.index.merge;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import sim.core.Check;

/**
 * Lucene 9.12's TieredMergePolicy as Elasticsearch configures it: a pure function from the shard's segments
 * to the merges worth doing. It decides; {@code IndexWriter.merge} applies.
 *
 * <p>The index is seen as tiers of segments of growing size, each tier {@code floor_segment * 10^k}: up to
 * {@code segments_per_tier} (10) segments per tier are allowed, segments below {@code floor_segment} (2 MB)
 * count as that big, and none is merged into something above {@code max_merged_segment} (5 GB). While there
 * are more segments than allowed, or more deleted documents than {@code deletes_pct_allowed} (20 %) of the
 * index, it picks the best run of up to {@code max_merge_at_once} (10) similar-sized segments: the one with
 * the lowest score, where the score prefers balanced merges (skew: the largest segment's share of the merge),
 * small merges ({@code size^0.05}) and merges that reclaim deletes ({@code nonDeletedRatio^2}). A segment
 * larger than half the maximum is left alone unless it is mostly deletes.
 *
 * <p>Sizes are the live part of each segment ({@link SegmentStats#liveSizeInBytes}); segments already being
 * merged are not candidates. The arithmetic is Lucene's, operation for operation, so the choices are the same
 * ({@code TieredMergePolicyAgreementProperties} compares them with Lucene's own class).
 */
public final class TieredMergePolicy {
  /** {@code index.merge.policy.*} with Elasticsearch 8's defaults. */
  public record Settings(double segmentsPerTier, int maxMergeAtOnce, long maxMergedSegmentBytes, long floorSegmentBytes,
      double deletesPctAllowed, double forceMergeDeletesPctAllowed) {
    public Settings {
      Check.argument(segmentsPerTier >= 2.0, "segments_per_tier must be >= 2.0, got %s", segmentsPerTier);
      Check.argument(maxMergeAtOnce >= 2, "max_merge_at_once must be > 1, got %s", maxMergeAtOnce);
      Check.argument(maxMergedSegmentBytes >= 0, "max_merged_segment must be >= 0");
      Check.argument(floorSegmentBytes > 0, "floor_segment must be > 0");
      Check.argument(deletesPctAllowed >= 5 && deletesPctAllowed <= 50, "deletes_pct_allowed must be in [5, 50], got %s", deletesPctAllowed);
      Check.argument(forceMergeDeletesPctAllowed >= 0 && forceMergeDeletesPctAllowed <= 100, "expunge_deletes_allowed must be in [0, 100]");
    }

    public static Settings defaults() {
      return new Settings(10.0, 10, 5L * 1024 * 1024 * 1024, 2L * 1024 * 1024, 20.0, 10.0);
    }

    /** Elasticsearch's forced merges ignore {@code max_merged_segment} (its EsTieredMergePolicy, LUCENE-7976). */
    public Settings unboundedForForcedMerges() {
      return new Settings(segmentsPerTier, maxMergeAtOnce, Long.MAX_VALUE, floorSegmentBytes, deletesPctAllowed, forceMergeDeletesPctAllowed);
    }

    int mergeFactor() {
      return (int) Math.min(maxMergeAtOnce, segmentsPerTier);
    }
  }

  private enum Kind { NATURAL, FORCE_MERGE_DELETES }

  private static final Comparator<SegmentStats> LARGEST_FIRST =
      Comparator.comparingLong(SegmentStats::liveSizeInBytes).reversed().thenComparing(SegmentStats::name);

  private final Settings settings;

  public TieredMergePolicy(Settings settings) {
    this.settings = Check.notNull(settings, "settings");
  }

  public Settings settings() {
    return settings;
  }

  /** The merges to run after a refresh or a commit; empty when the index is within its budget. */
  public List<OneMerge> findMerges(List<SegmentStats> segments, Set<String> merging) {
    List<SegmentStats> eligible = sortedBySize(segments);
    long totIndexBytes = 0;
    long minSegmentBytes = Long.MAX_VALUE;
    int totalDelDocs = 0;
    int totalMaxDoc = 0;
    long mergingBytes = 0;
    for (SegmentStats s : List.copyOf(eligible)) {
      long bytes = s.liveSizeInBytes();
      if (merging.contains(s.name())) {
        mergingBytes += bytes;
        eligible.remove(s);
        totalMaxDoc += s.liveDocs();
      } else {
        totalDelDocs += s.delCount();
        totalMaxDoc += s.maxDoc();
      }
      minSegmentBytes = Math.min(bytes, minSegmentBytes); // merging segments still shape the tiers
      totIndexBytes += bytes;
    }
    double totalDelPct = 100 * (double) totalDelDocs / totalMaxDoc;
    int allowedDelCount = (int) (settings.deletesPctAllowed() * totalMaxDoc / 100);
    // segments past half the maximum cannot grow by merging: out of the budget, unless they are mostly deletes
    for (SegmentStats s : List.copyOf(eligible)) {
      double segDelPct = 100 * (double) s.delCount() / (double) s.maxDoc();
      boolean deletesAllowed = totalDelPct <= settings.deletesPctAllowed() || segDelPct <= settings.deletesPctAllowed();
      if (s.liveSizeInBytes() > settings.maxMergedSegmentBytes() / 2 && deletesAllowed) {
        eligible.remove(s);
        totIndexBytes -= s.liveSizeInBytes();
        allowedDelCount -= s.delCount();
      }
    }
    allowedDelCount = Math.max(0, allowedDelCount);
    int allowedSegCount = (int) allowedSegmentCount(totIndexBytes, minSegmentBytes);
    int allowedDocCount = totalMaxDoc - totalDelDocs;
    return chooseMerges(eligible, settings.mergeFactor(), allowedSegCount, allowedDelCount, allowedDocCount, Kind.NATURAL,
        mergingBytes >= settings.maxMergedSegmentBytes());
  }

  /** How many segments the tiers allow: {@code segments_per_tier} per tier, tiers growing by the merge factor. */
  private double allowedSegmentCount(long totIndexBytes, long minSegmentBytes) {
    long levelSize = Math.max(minSegmentBytes, settings.floorSegmentBytes());
    long bytesLeft = totIndexBytes;
    double allowed = 0;
    while (true) {
      double segCountLevel = bytesLeft / (double) levelSize;
      if (segCountLevel < settings.segmentsPerTier() || levelSize == settings.maxMergedSegmentBytes()) {
        allowed += Math.ceil(segCountLevel);
        break;
      }
      allowed += settings.segmentsPerTier();
      bytesLeft -= settings.segmentsPerTier() * levelSize;
      levelSize = Math.min(settings.maxMergedSegmentBytes(), levelSize * settings.mergeFactor());
    }
    return Math.max(allowed, settings.segmentsPerTier());
  }

  /** Picks the best-scoring candidate, again and again, until the rest fits the budget. */
  private List<OneMerge> chooseMerges(List<SegmentStats> sorted, int mergeFactor, int allowedSegCount, int allowedDelCount,
      int allowedDocCount, Kind kind, boolean maxMergeIsRunning) {
    List<OneMerge> spec = new ArrayList<>();
    List<SegmentStats> eligible = new ArrayList<>(sorted);
    boolean haveOneLargeMerge = false;
    while (!eligible.isEmpty()) {
      int remainingDelCount = 0;
      for (SegmentStats s : eligible) remainingDelCount += s.delCount();
      if (kind == Kind.NATURAL && eligible.size() <= allowedSegCount && remainingDelCount <= allowedDelCount) break;
      Candidate best = null;
      for (int start = 0; start < eligible.size(); start++) {
        Candidate c = candidate(eligible, start, mergeFactor, allowedDocCount);
        SegmentStats largest = c.segments.get(0);
        boolean unbalanced = c.bytes < largest.liveSizeInBytes() * 1.5;
        boolean fewDeletes = largest.delCount() < largest.maxDoc() * settings.deletesPctAllowed() / 100;
        if (!c.hitTooLarge && kind == Kind.NATURAL && unbalanced && fewDeletes) continue; // nearly a singleton merge
        if (c.segments.size() == 1 && largest.delCount() == 0) continue; // rewriting one clean segment gains nothing
        if (best != null && !c.hitTooLarge && c.segments.size() < mergeFactor) break; // smaller from here on
        c.score(settings);
        if ((best == null || c.score < best.score) && (!c.hitTooLarge || !maxMergeIsRunning)) best = c;
      }
      if (best == null) break;
      if (!haveOneLargeMerge || !best.hitTooLarge || kind == Kind.FORCE_MERGE_DELETES) {
        haveOneLargeMerge |= best.hitTooLarge;
        spec.add(new OneMerge(names(best.segments), best.explain()));
      }
      eligible.removeAll(best.segments);
    }
    return spec;
  }

  /** The run of segments from {@code start} that fits under the maximum size, the merge factor and the doc budget. */
  private Candidate candidate(List<SegmentStats> eligible, int start, int mergeFactor, int allowedDocCount) {
    Candidate c = new Candidate();
    long totAfterMergeBytes = 0;
    long docCount = 0;
    for (int i = start; i < eligible.size() && c.segments.size() < mergeFactor && c.bytes < settings.maxMergedSegmentBytes()
        && (c.bytes < settings.floorSegmentBytes() || docCount <= allowedDocCount); i++) {
      SegmentStats s = eligible.get(i);
      long bytes = s.liveSizeInBytes();
      boolean tooLarge = totAfterMergeBytes + bytes > settings.maxMergedSegmentBytes();
      if (tooLarge || (totAfterMergeBytes > settings.floorSegmentBytes() && docCount + s.liveDocs() > allowedDocCount)) {
        c.hitTooLarge |= tooLarge;
        if (c.segments.isEmpty()) { // a lone too-large segment is still a candidate (for its deletes)
          c.segments.add(s);
          c.bytes += bytes;
        }
        continue;
      }
      c.segments.add(s);
      c.bytes += bytes;
      docCount += s.liveDocs();
      totAfterMergeBytes += bytes;
    }
    return c;
  }

  /** A candidate merge and its score: lower is better. */
  private static final class Candidate {
    final List<SegmentStats> segments = new ArrayList<>();
    long bytes;
    boolean hitTooLarge;
    double score;
    double skew;
    double nonDelRatio;

    void score(Settings settings) {
      long before = 0;
      long after = 0;
      long afterFloored = 0;
      for (SegmentStats s : segments) {
        after += s.liveSizeInBytes();
        afterFloored += Math.max(settings.floorSegmentBytes(), s.liveSizeInBytes());
        before += s.sizeInBytes();
      }
      skew = hitTooLarge ? 1.0 / settings.mergeFactor()
          : ((double) Math.max(settings.floorSegmentBytes(), segments.get(0).liveSizeInBytes())) / afterFloored;
      double s = skew;
      s *= Math.pow((double) after, 0.05);
      nonDelRatio = ((double) after) / before;
      s *= Math.pow(nonDelRatio, 2);
      score = s;
    }

    String explain() {
      return String.format(Locale.ROOT, "score=%.3f skew=%.3f nonDelRatio=%.3f%s", score, skew, nonDelRatio, hitTooLarge ? " [max merge]" : "");
    }
  }

  /**
   * Force merge ({@code _forcemerge?max_num_segments=N}): merges the segments of {@code segmentsToMerge}
   * (name → whether it existed when the force merge began) down to at most {@code maxSegmentCount}, smallest
   * first; with 1, everything into one. Nothing to do when already that few and free of deletes.
   */
  public List<OneMerge> findForcedMerges(List<SegmentStats> segments, int maxSegmentCount, Map<String, Boolean> segmentsToMerge,
      Set<String> merging) {
    Check.argument(maxSegmentCount >= 1, "max_num_segments must be >= 1, got %s", maxSegmentCount);
    List<SegmentStats> sorted = sortedBySize(segments);
    long totalMergeBytes = 0;
    boolean forceMergeRunning = false;
    for (SegmentStats s : List.copyOf(sorted)) {
      if (!segmentsToMerge.containsKey(s.name())) {
        sorted.remove(s);
      } else if (merging.contains(s.name())) {
        forceMergeRunning = true;
        sorted.remove(s);
      } else {
        totalMergeBytes += s.liveSizeInBytes();
      }
    }
    long maxMergeBytes = settings.maxMergedSegmentBytes();
    if (maxSegmentCount == 1) {
      maxMergeBytes = Long.MAX_VALUE;
    } else if (maxSegmentCount != Integer.MAX_VALUE) {
      maxMergeBytes = Math.max((long) ((double) totalMergeBytes / (double) maxSegmentCount), settings.maxMergedSegmentBytes());
      maxMergeBytes = (long) ((double) maxMergeBytes * 1.25);
    }
    boolean foundDeletes = false;
    for (SegmentStats s : List.copyOf(sorted)) {
      Boolean original = segmentsToMerge.get(s.name());
      if (s.delCount() != 0) {
        if (original != null && original) foundDeletes = true;
        continue; // a segment with deletes is always rewritten
      }
      if (maxSegmentCount == Integer.MAX_VALUE && original != null && !original) sorted.remove(s);
      else if (maxSegmentCount != Integer.MAX_VALUE && s.liveSizeInBytes() >= maxMergeBytes) sorted.remove(s);
    }
    if (sorted.isEmpty()) return List.of();
    if (!foundDeletes) {
      boolean fewEnough = maxSegmentCount != Integer.MAX_VALUE && maxSegmentCount > 1 && sorted.size() <= maxSegmentCount;
      boolean oneAlready = maxSegmentCount == 1 && sorted.size() == 1; // it is in segmentsToMerge, so already merged
      if (fewEnough || oneAlready) return List.of();
    }
    if (forceMergeRunning) return List.of();
    String reason = "force merge to max_num_segments=" + maxSegmentCount;
    if (maxSegmentCount == 1 && totalMergeBytes < maxMergeBytes) return List.of(new OneMerge(names(sorted), reason));
    List<OneMerge> spec = new ArrayList<>();
    int index = sorted.size() - 1;
    int resultingSegments = sorted.size();
    while (true) { // from the smallest up, runs that fit under maxMergeBytes until few enough remain
      List<SegmentStats> candidate = new ArrayList<>();
      long candidateBytes = 0;
      while (index >= 0 && resultingSegments > maxSegmentCount) {
        SegmentStats current = sorted.get(index);
        int before = candidate.size();
        if (candidateBytes + current.sizeInBytes() > maxMergeBytes && before >= 2) break;
        candidate.add(current);
        index--;
        candidateBytes += current.sizeInBytes();
        if (before > 0) resultingSegments--;
      }
      if (candidate.size() <= 1) return spec;
      spec.add(new OneMerge(names(candidate), reason));
    }
  }

  /**
   * {@code _forcemerge?only_expunge_deletes=true}: rewrites the segments whose deleted share exceeds
   * {@code expunge_deletes_allowed} (10 %).
   */
  public List<OneMerge> findForcedDeletesMerges(List<SegmentStats> segments, Set<String> merging) {
    boolean haveWork = false;
    int totalDelCount = 0;
    int totalMaxDoc = 0;
    for (SegmentStats s : segments) {
      totalDelCount += s.delCount();
      totalMaxDoc += s.maxDoc();
      double pctDeletes = 100. * ((double) s.delCount()) / s.maxDoc();
      haveWork = haveWork || (pctDeletes > settings.forceMergeDeletesPctAllowed() && !merging.contains(s.name()));
    }
    if (!haveWork) return List.of();
    List<SegmentStats> sorted = sortedBySize(segments);
    sorted.removeIf(s -> merging.contains(s.name())
        || 100. * ((double) s.delCount() / (double) s.maxDoc()) <= settings.forceMergeDeletesPctAllowed());
    return chooseMerges(sorted, Integer.MAX_VALUE, Integer.MAX_VALUE, 0, totalMaxDoc - totalDelCount, Kind.FORCE_MERGE_DELETES, false);
  }

  private static List<SegmentStats> sortedBySize(List<SegmentStats> segments) {
    Set<String> seen = new HashSet<>();
    for (SegmentStats s : segments) Check.argument(seen.add(s.name()), "segment %s listed twice", s.name());
    List<SegmentStats> sorted = new ArrayList<>(segments);
    sorted.sort(LARGEST_FIRST);
    return sorted;
  }

  private static List<String> names(List<SegmentStats> segments) {
    List<String> out = new ArrayList<>();
    for (SegmentStats s : segments) out.add(s.name());
    return out;
  }
}
