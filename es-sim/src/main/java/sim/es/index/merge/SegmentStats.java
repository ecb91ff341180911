package sim.es.index.merge;

import sim.core.Check;

/**
 * What the merge policy knows of one segment: its name, how many documents it holds ({@code maxDoc}, deleted
 * ones included), how many of those are deleted, and its size on disk. The policy sees nothing else.
 */
public record SegmentStats(String name, int maxDoc, int delCount, long sizeInBytes) {
  public SegmentStats {
    Check.argument(name != null && !name.isEmpty(), "a segment needs a name");
    Check.argument(maxDoc >= 0 && delCount >= 0 && delCount <= maxDoc, "segment %s: %s deleted of %s docs", name, delCount, maxDoc);
    Check.argument(sizeInBytes >= 0, "segment %s: negative size", name);
  }

  /**
   * The size the policy reasons with: the bytes scaled by the live fraction ({@code MergePolicy.size}), so a
   * segment that is half deletes counts half — merging it reclaims the other half.
   */
  public long liveSizeInBytes() {
    if (maxDoc <= 0) return sizeInBytes;
    double delRatio = (double) delCount / (double) maxDoc;
    return (long) (sizeInBytes * (1.0 - delRatio));
  }

  public int liveDocs() {
    return maxDoc - delCount;
  }
}
