package sim.cassandra.compaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The strategies decide; the measurement applies them to the same workload and compares. */
class CompactionStrategiesTest {
  @Test
  void leveledReadsFewerSSTablesAndWastesLessSpaceThanSizeTiered() {
    var stcs = Amplification.measure(new SizeTieredCompactionStrategy(4, 32, 0.5, 1.5, 16 << 10), 1, 10_000, 1_000, 500, 100);
    var lcs = Amplification.measure(new LeveledCompactionStrategy(64 << 10, 10, 4), 1, 10_000, 1_000, 500, 100);
    assertTrue(lcs.readAmplification() < stcs.readAmplification(), stcs + " vs " + lcs);
    assertTrue(lcs.spaceAmplification() <= stcs.spaceAmplification(), stcs + " vs " + lcs);
    assertTrue(stcs.writeAmplification() > 1 && lcs.writeAmplification() > 1);
  }

  @Test
  void sameSeedSameNumbers() {
    var a = Amplification.measure(new UnifiedCompactionStrategy(4, 4, 16 << 10), 7, 5_000, 500, 250, 50);
    var b = Amplification.measure(new UnifiedCompactionStrategy(4, 4, 16 << 10), 7, 5_000, 500, 250, 50);
    assertEquals(a, b);
  }
}
