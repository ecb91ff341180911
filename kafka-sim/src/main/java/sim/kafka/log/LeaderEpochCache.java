package sim.kafka.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.disk.SimDisk;

/**
 * Kafka's {@code LeaderEpochFileCache}: (epoch, start offset) pairs, one per leader epoch that appended to
 * this log, checkpointed to {@code leader-epoch-checkpoint} in Kafka's text format ("0", count, then
 * "epoch offset" lines), written to a temp file, fsynced and renamed. It answers OffsetsForLeaderEpoch
 * (KIP-101/KIP-279): where did epoch e end in this log?
 */
public final class LeaderEpochCache {
  public static final int UNDEFINED_EPOCH = -1;
  public static final long UNDEFINED_EPOCH_OFFSET = -1;
  static final String FILE = "leader-epoch-checkpoint";

  /** An answer to "where does epoch e end": the largest epoch ≤ e this log knows and its end offset. */
  public record EpochEnd(int epoch, long endOffset) {}

  private final SimDisk disk;
  private final String file;
  private final TreeMap<Integer, Long> epochs = new TreeMap<>();

  LeaderEpochCache(SimDisk disk, String dir) {
    this.disk = disk;
    this.file = dir + "/" + FILE;
  }

  void load() {
    epochs.clear();
    if (!disk.exists(file)) return;
    String[] lines = new String(disk.readAll(file), StandardCharsets.UTF_8).split("\n");
    if (lines.length < 2 || !lines[0].equals("0")) throw new IllegalStateException("bad " + file + ": expected version 0");
    int count = Integer.parseInt(lines[1].trim());
    for (int i = 0; i < count; i++) {
      String[] parts = lines[2 + i].trim().split(" ");
      epochs.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }
  }

  public int latestEpoch() {
    return epochs.isEmpty() ? UNDEFINED_EPOCH : epochs.lastKey();
  }

  public Map<Integer, Long> entries() {
    return java.util.Collections.unmodifiableMap(epochs);
  }

  /**
   * Records that {@code epoch} starts at {@code startOffset}, as Kafka's {@code assign}: nothing to do for the
   * latest epoch at or after its start; otherwise entries from the end with an epoch at or above it or a start
   * at or after it are dropped first ({@code maybeTruncateNonMonotonicEntries}). A replica that became leader
   * of an epoch but never appended in it, then follows and appends an older epoch's batches there, loses
   * that empty epoch here.
   */
  public void assign(int epoch, long startOffset) {
    if (!epochs.isEmpty() && epoch == latestEpoch() && startOffset >= epochs.get(epoch)) return;
    while (!epochs.isEmpty() && (epochs.lastKey() >= epoch || epochs.lastEntry().getValue() >= startOffset)) {
      epochs.pollLastEntry();
    }
    epochs.put(epoch, startOffset);
    checkpoint();
  }

  /** Kafka's {@code endOffsetFor}: the end of {@code requested} in this log (start of the next epoch, or LEO). */
  public EpochEnd endOffsetFor(int requested, long logEndOffset) {
    if (requested == UNDEFINED_EPOCH || epochs.isEmpty()) return new EpochEnd(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
    if (requested == latestEpoch()) return new EpochEnd(requested, logEndOffset);
    Map.Entry<Integer, Long> higher = epochs.higherEntry(requested);
    if (higher == null) return new EpochEnd(UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET);
    Map.Entry<Integer, Long> floor = epochs.floorEntry(requested);
    return new EpochEnd(floor == null ? requested : floor.getKey(), higher.getValue());
  }

  /** Start offset of {@code epoch}, or -1 when this log has no such epoch. */
  public long startOffsetOf(int epoch) {
    Long start = epochs.get(epoch);
    return start == null ? -1 : start;
  }

  /** After truncating the log to {@code endOffset}: forget epochs that started at or after it. */
  public void truncateFromEnd(long endOffset) {
    if (epochs.values().stream().noneMatch(o -> o >= endOffset)) return;
    epochs.values().removeIf(o -> o >= endOffset);
    checkpoint();
  }

  void clear() {
    epochs.clear();
    checkpoint();
  }

  private void checkpoint() {
    StringBuilder b = new StringBuilder("0\n").append(epochs.size()).append('\n');
    for (Map.Entry<Integer, Long> e : epochs.entrySet()) b.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
    String tmp = file + ".tmp";
    disk.delete(tmp);
    disk.write(tmp, 0, b.toString().getBytes(StandardCharsets.UTF_8));
    disk.fsync(tmp);
    disk.rename(tmp, file);
  }

  List<String> describe() {
    List<String> out = new ArrayList<>();
    epochs.forEach((e, o) -> out.add("epoch " + e + "@" + o));
    return out;
  }

  @Override
  public String toString() {
    return String.join(", ", describe());
  }
}
