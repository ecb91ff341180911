package sim.es.index;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Check;
import sim.es.index.merge.SegmentStats;

/**
 * Lucene's IndexWriter as one shard's engine drives it: documents go into the {@link IndexingBuffer};
 * {@link #refresh} turns the buffer into a new immutable segment and opens a new point-in-time
 * {@link IndexReader}; an update (same {@code _id}) deletes the old version — a bit in its segment's
 * live docs, or in the buffer — and indexes the new one. {@link #merge} replaces segments by one that holds
 * only their live docs; what it changes becomes visible at the next refresh, like everything else.
 */
public final class IndexWriter {
  private final Mapping mapping;
  private final List<Segment> segments = new ArrayList<>();
  private final List<BitSet> deleted = new ArrayList<>();
  private final Map<String, long[]> location = new HashMap<>(); // _id -> {segment index or -1 for buffer, doc}
  private IndexingBuffer buffer;
  private final Set<String> merging = new TreeSet<>();
  private final Map<String, BitSet> deletesAtMergeStart = new HashMap<>();
  private IndexReader reader;
  private int nextSegment;

  public IndexWriter(Mapping mapping) {
    this.mapping = mapping;
    this.buffer = new IndexingBuffer(mapping);
    this.reader = IndexReader.of(List.of());
  }

  public Mapping mapping() {
    return mapping;
  }

  /** Indexes (or replaces) a document. Returns true if it replaced an existing version. */
  public boolean index(String id, String source, long seqNo) {
    ParsedDocument doc = ParsedDocument.parse(id, source, mapping);
    boolean updated = deleteInternal(id);
    int docId = buffer.add(doc, seqNo);
    location.put(id, new long[] {-1, docId});
    return updated;
  }

  public boolean delete(String id) {
    return deleteInternal(id);
  }

  private boolean deleteInternal(String id) {
    long[] at = location.remove(id);
    if (at == null) return false;
    if (at[0] < 0) buffer.delete((int) at[1]);
    else deleted.get((int) at[0]).set((int) at[1]);
    return true;
  }

  /**
   * Opens committed segments after a restart: each segment rebuilt from its stored documents (the same doc
   * ids, so the commit's deletions apply as they were), in commit order.
   */
  public void loadCommitted(String name, List<String> ids, List<String> sources, List<Long> seqNos, BitSet deletedDocs) {
    Check.state(buffer.isEmpty(), "load committed segments before indexing");
    IndexingBuffer b = new IndexingBuffer(mapping);
    for (int i = 0; i < ids.size(); i++) b.add(ParsedDocument.parse(ids.get(i), sources.get(i), mapping), seqNos.get(i));
    segments.add(b.freeze(name));
    deleted.add((BitSet) deletedDocs.clone());
    int n = Integer.parseInt(name.substring(1), Character.MAX_RADIX);
    nextSegment = Math.max(nextSegment, n + 1);
    rebuildLocations();
    reader = new IndexReader(segments, deleted);
  }

  /**
   * Lucene's {@code SegmentInfos.counter}: a segment name is never used twice in one index, so a writer that
   * replaces another over the same directory (an engine reset) continues the old one's numbering — an old
   * segment's file on disk must never pass for a new segment of the same name.
   */
  public void continueSegmentNamesOf(IndexWriter previous) {
    nextSegment = Math.max(nextSegment, previous.nextSegment);
  }

  /** Whether a live version of the id exists, refreshed or not. */
  public boolean exists(String id) {
    return location.containsKey(id);
  }

  /** The latest source of an id, from the buffer or a segment: what a realtime GET reads after the translog. */
  public String latestSource(String id) {
    long[] at = location.get(id);
    if (at == null) return null;
    return at[0] < 0 ? buffer.source((int) at[1]) : segments.get((int) at[0]).source((int) at[1]);
  }

  public int bufferedDocs() {
    return buffer.numDocs();
  }

  /** Writes the buffer as a new segment (if it holds anything) and opens a new reader on all segments. */
  public IndexReader refresh() {
    flushBuffer();
    reader = new IndexReader(segments, deleted);
    return reader;
  }

  /**
   * Lucene's IndexWriter flush: the buffer becomes a segment, but no reader is opened — searches go on seeing
   * the last refresh (a force merge starts with this).
   */
  public void flushBuffer() {
    if (!buffer.isEmpty()) {
      String name = "_" + Integer.toString(nextSegment++, Character.MAX_RADIX);
      Segment s = buffer.freeze(name);
      int index = segments.size();
      segments.add(s);
      deleted.add(buffer.deletedDocs());
      for (Map.Entry<String, long[]> e : location.entrySet()) {
        if (e.getValue()[0] < 0) e.getValue()[0] = index;
      }
      buffer = new IndexingBuffer(mapping);
    }
    dropFullyDeletedSegments();
  }

  /**
   * Lucene drops a segment whose every doc is deleted (its stats stop counting at once, before any merge) —
   * unless a merge is reading it; the merge then simply finds nothing live in it.
   */
  private void dropFullyDeletedSegments() {
    boolean dropped = false;
    for (int i = segments.size() - 1; i >= 0; i--) {
      if (deleted.get(i).cardinality() == segments.get(i).maxDoc() && !merging.contains(segments.get(i).name())) {
        segments.remove(i);
        deleted.remove(i);
        dropped = true;
      }
    }
    if (dropped) rebuildLocations();
  }

  /** The reader of the last refresh: what searches see. */
  public IndexReader reader() {
    return reader;
  }

  public List<Segment> segments() {
    return List.copyOf(segments);
  }

  /** The deleted doc ids of a segment as "1,5,9" (for a commit point). */
  public String deletedDocsString(int segmentIndex) {
    StringBuilder b = new StringBuilder();
    BitSet d = deleted.get(segmentIndex);
    for (int i = d.nextSetBit(0); i >= 0; i = d.nextSetBit(i + 1)) b.append(b.length() > 0 ? "," : "").append(i);
    return b.toString();
  }

  public int deletedCount(int segmentIndex) {
    return deleted.get(segmentIndex).cardinality();
  }

  /** What the merge policy sees of each segment: doc count, deletes and size, in index order. */
  public List<SegmentStats> segmentStats() {
    List<SegmentStats> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      Segment seg = segments.get(i);
      out.add(new SegmentStats(seg.name(), seg.maxDoc(), deleted.get(i).cardinality(), seg.sizeBytes()));
    }
    return out;
  }

  /** A merge of these segments started: they stay until it finishes, even if every doc in them is deleted. */
  public void startMerge(List<String> names) {
    for (String n : names) {
      Check.argument(indexOf(n) >= 0, "unknown segment %s", n);
      Check.state(merging.add(n), "segment %s is already merging", n);
      deletesAtMergeStart.put(n, (BitSet) deleted.get(indexOf(n)).clone());
    }
  }

  public Set<String> merging() {
    return java.util.Collections.unmodifiableSortedSet(new TreeSet<>(merging)); // in name order, not Set.copyOf's per-JVM order
  }

  /** Forgets running merges (a crash or an engine reset throws them away). */
  public void abortMerges() {
    merging.clear();
    deletesAtMergeStart.clear();
  }

  /**
   * Merges the named segments into one new segment of their live docs at this moment (so deletes that
   * arrived while the merge ran are dropped too, as Lucene's commitMergedDeletes carries them over), re-inverted
   * from their stored source in the merge's order, placed where the first of them was. The reader is left as
   * it is: the merged segment becomes searchable at the next refresh. Returns the new segment, or null if no
   * live doc was left (the segments are then simply dropped).
   */
  public Segment merge(List<String> names) {
    return merge(names, false);
  }

  /**
   * {@link #merge}; with {@code deletesAsAtStart} (a broken rule) it keeps the docs that were live when the merge
   * started, resurrecting those deleted while it ran.
   */
  public Segment merge(List<String> names, boolean deletesAsAtStart) {
    Check.argument(!names.isEmpty(), "nothing to merge");
    IndexingBuffer merged = new IndexingBuffer(mapping);
    int first = segments.size();
    List<Integer> victims = new ArrayList<>();
    for (String name : names) {
      int i = indexOf(name);
      Check.argument(i >= 0, "unknown segment %s in %s", name, names);
      first = Math.min(first, i);
      victims.add(i);
      Segment seg = segments.get(i);
      BitSet dels = deletesAsAtStart && deletesAtMergeStart.containsKey(name) ? deletesAtMergeStart.get(name) : deleted.get(i);
      for (int d = 0; d < seg.maxDoc(); d++) {
        if (dels.get(d)) continue;
        merged.add(ParsedDocument.parse(seg.id(d), seg.source(d), mapping), seg.seqNo(d));
      }
    }
    merging.removeAll(names);
    for (String n : names) deletesAtMergeStart.remove(n);
    Segment result = merged.isEmpty() ? null : merged.freeze("_" + Integer.toString(nextSegment++, Character.MAX_RADIX));
    List<Segment> newSegments = new ArrayList<>();
    List<BitSet> newDeleted = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      if (i == first && result != null) {
        newSegments.add(result);
        newDeleted.add(new BitSet());
      }
      if (victims.contains(i)) continue;
      newSegments.add(segments.get(i));
      newDeleted.add(deleted.get(i));
    }
    segments.clear();
    segments.addAll(newSegments);
    deleted.clear();
    deleted.addAll(newDeleted);
    rebuildLocations();
    return result;
  }

  /** Every live document's id, in the segments and the buffer, sorted (an id twice means two live versions). */
  public List<String> liveIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      for (int d = 0; d < segments.get(i).maxDoc(); d++) if (!deleted.get(i).get(d)) ids.add(segments.get(i).id(d));
    }
    for (int d = 0; d < buffer.numDocs(); d++) if (!buffer.isDeleted(d)) ids.add(buffer.id(d));
    ids.sort(null);
    return ids;
  }

  private int indexOf(String name) {
    for (int i = 0; i < segments.size(); i++) if (segments.get(i).name().equals(name)) return i;
    return -1;
  }

  private void rebuildLocations() {
    location.entrySet().removeIf(e -> e.getValue()[0] >= 0);
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      for (int d = 0; d < s.maxDoc(); d++) if (!deleted.get(i).get(d)) location.put(s.id(d), new long[] {i, d});
    }
  }
}
