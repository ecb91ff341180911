package sim.es.index.merge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.index.MergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.util.InfoStream;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.util.Version;

/**
 * Lucene 9.12's own TieredMergePolicy asked about a set of segments: real SegmentInfos whose single file has
 * the size we say (a directory that reports file lengths from a table, so 5 GB segments cost nothing), deletes
 * and the merging set given by a MergeContext. Its answers are the segment names of each OneMerge.
 */
final class LuceneMergePolicy {
  private final org.apache.lucene.index.TieredMergePolicy policy = new org.apache.lucene.index.TieredMergePolicy();
  private final SegmentInfos infos = new SegmentInfos(Version.LATEST.major);
  private final Map<SegmentCommitInfo, Integer> deletes = new HashMap<>();
  private final Map<String, SegmentCommitInfo> byName = new HashMap<>();
  private final Set<SegmentCommitInfo> merging = new HashSet<>();

  /** A directory whose files have the lengths the test chose. */
  private static final class SizedDirectory extends FilterDirectory {
    final Map<String, Long> lengths = new HashMap<>();

    SizedDirectory() {
      super(new ByteBuffersDirectory());
    }

    @Override
    public long fileLength(String name) {
      Long length = lengths.get(name);
      if (length == null) throw new IllegalStateException("no file " + name);
      return length;
    }
  }

  LuceneMergePolicy(TieredMergePolicy.Settings s, List<SegmentStats> segments, Set<String> mergingNames) {
    policy.setSegmentsPerTier(s.segmentsPerTier());
    policy.setMaxMergeAtOnce(s.maxMergeAtOnce());
    policy.setMaxMergedSegmentMB(s.maxMergedSegmentBytes() == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : s.maxMergedSegmentBytes() / 1024.0 / 1024.0);
    policy.setFloorSegmentMB(s.floorSegmentBytes() / 1024.0 / 1024.0);
    policy.setDeletesPctAllowed(s.deletesPctAllowed());
    policy.setForceMergeDeletesPctAllowed(s.forceMergeDeletesPctAllowed());
    SizedDirectory dir = new SizedDirectory();
    for (SegmentStats seg : segments) {
      SegmentInfo info = new SegmentInfo(dir, Version.LATEST, Version.LATEST, seg.name(), seg.maxDoc(), false, false,
          Codec.getDefault(), Map.of(), StringHelper.randomId(), new HashMap<>(), null);
      String file = seg.name() + ".fake";
      dir.lengths.put(file, seg.sizeInBytes());
      info.setFiles(Set.of(file));
      SegmentCommitInfo sci = new SegmentCommitInfo(info, seg.delCount(), 0, -1, -1, -1, StringHelper.randomId());
      infos.add(sci);
      deletes.put(sci, seg.delCount());
      byName.put(seg.name(), sci);
      if (mergingNames.contains(seg.name())) merging.add(sci);
    }
  }

  private final MergePolicy.MergeContext context = new MergePolicy.MergeContext() {
    @Override
    public int numDeletesToMerge(SegmentCommitInfo info) {
      return deletes.get(info);
    }

    @Override
    public int numDeletedDocs(SegmentCommitInfo info) {
      return deletes.get(info);
    }

    @Override
    public InfoStream getInfoStream() {
      return InfoStream.NO_OUTPUT;
    }

    @Override
    public Set<SegmentCommitInfo> getMergingSegments() {
      return merging;
    }
  };

  List<List<String>> findMerges() {
    try {
      return names(policy.findMerges(org.apache.lucene.index.MergeTrigger.FULL_FLUSH, infos, context));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<List<String>> findForcedMerges(int maxSegmentCount, Map<String, Boolean> segmentsToMerge) {
    Map<SegmentCommitInfo, Boolean> toMerge = new HashMap<>();
    segmentsToMerge.forEach((name, original) -> toMerge.put(byName.get(name), original));
    try {
      return names(policy.findForcedMerges(infos, maxSegmentCount, toMerge, context));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  List<List<String>> findForcedDeletesMerges() {
    try {
      return names(policy.findForcedDeletesMerges(infos, context));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<List<String>> names(MergePolicy.MergeSpecification spec) {
    List<List<String>> out = new ArrayList<>();
    if (spec == null) return out;
    for (MergePolicy.OneMerge m : spec.merges) {
      List<String> names = new ArrayList<>();
      for (SegmentCommitInfo sci : m.segments) names.add(sci.info.name);
      out.add(names);
    }
    return out;
  }
}
