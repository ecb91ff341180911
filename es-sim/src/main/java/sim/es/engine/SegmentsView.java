package sim.es.engine;

import java.util.List;
import sim.es.index.IndexWriter;
import sim.es.index.Segment;

/** The {@code \segments} inspector: each segment with its docs, deletes, size and merge state, then the buffer, refresh and commit. */
final class SegmentsView {
  private SegmentsView() {}

  static String describe(IndexWriter writer, List<String> merges, long refreshGeneration, long refreshedSeqNo, long commitGeneration,
      long committedCheckpoint, int mergesDone, long reclaimed) {
    StringBuilder b = new StringBuilder();
    List<Segment> segs = writer.segments();
    for (int i = 0; i < segs.size(); i++) {
      Segment s = segs.get(i);
      b.append(s.name()).append(": ").append(s.maxDoc()).append(" docs, ").append(writer.deletedCount(i)).append(" deleted, ")
          .append(s.sizeBytes()).append(" B, ").append(s.field("body") == null ? 0 : s.field("body").termCount()).append(" terms in body")
          .append(writer.merging().contains(s.name()) ? " [merging]" : "").append('\n');
    }
    for (String m : merges) b.append(m).append('\n');
    b.append("indexing buffer: ").append(writer.bufferedDocs()).append(" docs (not searchable)\n");
    b.append("last refresh: generation ").append(refreshGeneration).append(", seq_no ").append(refreshedSeqNo).append('\n');
    b.append("last commit: segments_").append(commitGeneration).append(", local_checkpoint ").append(committedCheckpoint).append('\n');
    b.append("merges done: ").append(mergesDone).append(", deleted docs reclaimed: ").append(reclaimed);
    return b.toString();
  }
}
