package sim.kafka.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.core.disk.SimDisk;
import sim.kafka.log.LeaderEpochCache.EpochEnd;

/** OffsetsForLeaderEpoch answers (KIP-101/279) and the checkpoint file survive as Kafka's do. */
class LeaderEpochCacheTest {
  static LeaderEpochCache cache(SimDisk disk) {
    LeaderEpochCache c = new LeaderEpochCache(disk, "t-0");
    c.load();
    return c;
  }

  static SimDisk disk() {
    return new SimDisk("b1", new Simulation(1).random("d"));
  }

  @Test
  void endOffsetForFollowsKafkasRules() {
    LeaderEpochCache c = cache(disk());
    c.assign(0, 0);
    c.assign(2, 10);
    c.assign(5, 25);
    assertEquals(new EpochEnd(5, 40), c.endOffsetFor(5, 40), "the latest epoch ends at the LEO");
    assertEquals(new EpochEnd(2, 25), c.endOffsetFor(2, 40), "an epoch ends where the next starts");
    assertEquals(new EpochEnd(2, 25), c.endOffsetFor(3, 40), "an unknown epoch: the largest epoch below it and its end");
    assertEquals(new EpochEnd(-1, -1), c.endOffsetFor(6, 40), "an epoch above all known: undefined");
    assertEquals(new EpochEnd(-1, -1), c.endOffsetFor(-1, 40));
  }

  @Test
  void truncationForgetsEpochsStartingAtOrAfterTheNewEnd() {
    LeaderEpochCache c = cache(disk());
    c.assign(0, 0);
    c.assign(1, 10);
    c.assign(2, 20);
    c.truncateFromEnd(10);
    assertEquals(List.of(0), List.copyOf(c.entries().keySet()));
  }

  @Test
  void anOlderEpochAppendedAfterAnEmptyNewerOneReplacesItLikeKafka() {
    LeaderEpochCache c = cache(disk());
    c.assign(0, 0);
    c.assign(1, 15); // became leader of epoch 1 at LEO 15, appended nothing
    c.assign(0, 15); // then followed and appended epoch-0 batches from offset 15
    assertEquals(java.util.Map.of(0, 15L), c.entries(), "Kafka's maybeTruncateNonMonotonicEntries drops both and keeps 0@15");
    assertEquals(new EpochEnd(0, 20), c.endOffsetFor(0, 20));
  }

  @Property(tries = 200)
  void checkpointSurvivesACrash(@ForAll @Size(max = 20) List<@IntRange(min = 0, max = 1000) Integer> starts) {
    SimDisk disk = disk();
    LeaderEpochCache c = cache(disk);
    int epoch = 0;
    long offset = 0;
    for (int s : starts) {
      offset += s;
      c.assign(epoch++, offset);
    }
    disk.crash();
    assertEquals(c.entries(), cache(disk).entries(), "written to a temp file, fsynced, renamed");
  }
}
