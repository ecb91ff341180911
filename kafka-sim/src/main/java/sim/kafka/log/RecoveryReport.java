package sim.kafka.log;

import java.util.List;

/** What recovery found per segment: valid batches kept, bytes dropped from a torn or corrupt tail, and why. */
public record RecoveryReport(List<SegmentRecovery> segments, long logEndOffset) {
  public record SegmentRecovery(String file, int validBatches, int validBytes, int droppedBytes, String reason) {
    @Override
    public String toString() {
      return file + ": " + validBatches + " batches kept" + (droppedBytes > 0 ? ", dropped " + droppedBytes + "B: " + reason : "");
    }
  }

  public int droppedBytes() {
    return segments.stream().mapToInt(SegmentRecovery::droppedBytes).sum();
  }

  @Override
  public String toString() {
    return "recovered to LEO " + logEndOffset + " " + segments;
  }
}
