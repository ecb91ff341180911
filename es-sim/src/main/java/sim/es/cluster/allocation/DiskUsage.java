package sim.es.cluster.allocation;

/** A node's data path as the master's ClusterInfoService last heard of it. */
public record DiskUsage(String nodeId, long totalBytes, long usedBytes) {
  public double usedFraction() {
    return totalBytes <= 0 ? 0 : (double) usedBytes / totalBytes;
  }

  public long freeBytes() {
    return totalBytes - usedBytes;
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%s %.1f%% used (%d of %d bytes)", nodeId, usedFraction() * 100, usedBytes, totalBytes);
  }
}
