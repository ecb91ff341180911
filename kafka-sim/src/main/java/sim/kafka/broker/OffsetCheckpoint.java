package sim.kafka.broker;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import sim.core.disk.SimDisk;

/**
 * Kafka's offset checkpoint files at the log directory's root ({@code cleaner-offset-checkpoint},
 * {@code log-start-offset-checkpoint}; Kafka's {@code OffsetCheckpointFile}): version "0", the entry count,
 * then one "topic partition offset" line per partition. Written to a temporary file, fsynced and renamed, so a
 * crash leaves the old file or the new one.
 */
final class OffsetCheckpoint {
  private OffsetCheckpoint() {}

  static void write(SimDisk disk, String file, Map<TopicPartition, Long> offsets) {
    StringBuilder b = new StringBuilder("0\n").append(offsets.size()).append('\n');
    offsets.forEach((tp, o) -> b.append(tp.topic()).append(' ').append(tp.partition()).append(' ').append(o).append('\n'));
    String tmp = file + ".tmp";
    disk.delete(tmp);
    disk.write(tmp, 0, b.toString().getBytes(StandardCharsets.UTF_8));
    disk.fsync(tmp);
    disk.rename(tmp, file);
  }

  static Map<TopicPartition, Long> read(SimDisk disk, String file) {
    Map<TopicPartition, Long> out = new TreeMap<>();
    if (!disk.exists(file)) return out;
    String[] lines = new String(disk.readAll(file), StandardCharsets.UTF_8).split("\n");
    for (int i = 2; i < lines.length; i++) {
      String[] f = lines[i].trim().split(" ");
      if (f.length == 3) out.put(new TopicPartition(f[0], Integer.parseInt(f[1])), Long.parseLong(f[2]));
    }
    return out;
  }
}
