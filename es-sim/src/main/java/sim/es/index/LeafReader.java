package sim.es.index;

import java.util.BitSet;

/**
 * A segment as one point-in-time reader sees it: the immutable segment, the live-docs bits of that moment
 * (null when nothing in it is deleted) and where its doc ids start in the whole reader.
 */
public record LeafReader(Segment segment, BitSet deletedDocs, int docBase) {
  public boolean isLive(int doc) {
    return deletedDocs == null || !deletedDocs.get(doc);
  }

  public int numDeleted() {
    return deletedDocs == null ? 0 : deletedDocs.cardinality();
  }

  public int numDocs() {
    return segment.maxDoc() - numDeleted();
  }
}
