package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * Random appends, flushes, truncations and crashes (every loss mode): after recovery the log is a valid run of
 * batches from offset 0, every record is one that was once appended at its offset, and nothing flushed and
 * not truncated since is lost.
 */
class LogCrashProperties {
  @Property(tries = 300)
  void recoveryKeepsAValidFlushedPrefix(@ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 99) Integer> ops,
      @ForAll @IntRange(min = 0, max = 2) int mode, @ForAll @IntRange(min = 0, max = 1000) int seed) {
    SimDisk disk = new SimDisk("b1", new Simulation(seed).random("disk"));
    disk.setCrashLossMode(CrashLossMode.values()[mode]);
    LogConfig config = new LogConfig(1024, 256, LogConfig.UNSET);
    Log log = new Log(disk, "t-0", config);
    Map<Long, Set<String>> everAt = new HashMap<>();
    long durableFloor = 0;
    int step = 0;
    for (int op : ops) {
      step++;
      if (op < 60) {
        List<LogRecord> recs = new ArrayList<>();
        for (int i = 0; i <= op % 3; i++) {
          String v = "s" + step + "-" + i;
          recs.add(LogRecord.of(step, null, v));
          everAt.computeIfAbsent(log.logEndOffset() + i, k -> new HashSet<>()).add(v);
        }
        log.append(RecordBatches.build(log.logEndOffset(), step / 10, RecordBatches.ProducerFields.NONE, recs));
      } else if (op < 75) {
        log.flush();
        durableFloor = log.logEndOffset();
      } else if (op < 88) {
        long to = log.logEndOffset() * (op - 75) / 13;
        log.truncateTo(to);
        durableFloor = Math.min(durableFloor, log.logEndOffset());
      } else {
        disk.crash();
        log = new Log(disk, "t-0", config);
        check(log, everAt, durableFloor);
      }
    }
  }

  static void check(Log log, Map<Long, Set<String>> everAt, long durableFloor) {
    assertTrue(log.logEndOffset() >= durableFloor, "flushed prefix kept: LEO " + log.logEndOffset() + " < " + durableFloor + " " + log.lastRecovery());
    List<LogRecord> records = RecordBatches.allRecords(log.read(0, Long.MAX_VALUE, Integer.MAX_VALUE));
    for (int i = 0; i < records.size(); i++) {
      LogRecord r = records.get(i);
      assertEquals(i, r.offset(), "offsets contiguous from 0");
      assertTrue(everAt.getOrDefault(r.offset(), Set.of()).contains(r.valueText()), "record " + r + " was appended at its offset");
    }
    assertEquals(records.size(), log.logEndOffset());
    for (long start : log.epochs().entries().values()) assertTrue(start < Math.max(1, log.logEndOffset()), "epoch starts within the log");
  }
}
