package sim.cassandra.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sim.cassandra.cluster.CassandraNode;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;

/**
 * The R + W > RF table as {@code \rwtable} reports it (what the lab's chart reads), over many seeds of the
 * real model: pairs with R + W > RF never read a stale value; each pair with R + W <= RF does in some seed.
 */
class RwTableScenarioTest {
  static final int SEEDS = 24;
  private static final Pattern LINE = Pattern.compile("(?m)^W=(\\S+) R=(\\S+) overlap=(yes|no) outcome=(\\S+)");

  /** Per "W/R": {stale seeds, seeds whose read answered after an acknowledged write}; plus "overlap" per pair. */
  static TreeMap<String, int[]> sweep(int seeds, Set<String> breaks, TreeMap<String, Boolean> overlap) {
    TreeMap<String, int[]> cells = new TreeMap<>();
    for (long seed = 1; seed <= seeds; seed++) {
      String[] table = new String[1];
      RunResult r = ScenarioRunner.run(RwTableScenario.create(), RunOptions.seed(seed).withBreaks(breaks),
          sim -> table[0] = sim.inspectors().get(RwTableScenario.INSPECTOR).show().apply(""));
      Matcher m = LINE.matcher(table[0]);
      int lines = 0;
      while (m.find()) {
        lines++;
        String pair = m.group(1) + "/" + m.group(2);
        overlap.put(pair, m.group(3).equals("yes"));
        int[] c = cells.computeIfAbsent(pair, k -> new int[2]);
        if (m.group(4).equals("stale")) c[0]++;
        if (m.group(4).equals("stale") || m.group(4).equals("fresh")) c[1]++;
      }
      assertEquals(9, lines, "one trial per pair of ONE/QUORUM/ALL, seed " + seed + ":\n" + table[0] + "\n" + r.checks());
    }
    return cells;
  }

  private static String show(TreeMap<String, int[]> cells) {
    StringBuilder b = new StringBuilder();
    cells.forEach((k, v) -> b.append(k).append(' ').append(v[0]).append(" stale of ").append(v[1]).append(" answered; "));
    return b.toString();
  }

  @Test
  void overlappingLevelsNeverReadStaleAndEveryOtherPairDoesInSomeSeed() {
    TreeMap<String, Boolean> overlap = new TreeMap<>();
    TreeMap<String, int[]> cells = sweep(SEEDS, Set.of(), overlap);
    assertEquals(Set.of("ONE/ONE", "ONE/QUORUM", "QUORUM/ONE"), Set.copyOf(overlap.entrySet().stream().filter(e -> !e.getValue()).map(e -> e.getKey()).toList()),
        "R + W <= RF 3 exactly for ONE/ONE, ONE/QUORUM, QUORUM/ONE");
    int answeredWithOverlap = 0;
    for (var e : cells.entrySet()) {
      if (overlap.get(e.getKey())) {
        assertEquals(0, e.getValue()[0], "R + W > RF: no stale read for " + e.getKey() + ": " + show(cells));
        answeredWithOverlap += e.getValue()[1];
      } else {
        assertTrue(e.getValue()[0] > 0, "R + W <= RF: some seed reads stale for " + e.getKey() + " over " + SEEDS + " seeds: " + show(cells));
      }
    }
    // ALL/ALL never answers (a replica is down for every ALL read); the zeros elsewhere are reads that answered
    assertTrue(answeredWithOverlap >= SEEDS * 3, "R + W > RF reads answered after acknowledged writes, so the zeros mean something: " + show(cells));
  }

  @Test
  void readingOneReplicaForQuorumMakesOverlappingPairsStale() {
    TreeMap<String, Boolean> overlap = new TreeMap<>();
    TreeMap<String, int[]> cells = sweep(8, Set.of(CassandraNode.BREAK_READ_ONE), overlap);
    int stale = 0;
    for (var e : cells.entrySet()) if (overlap.get(e.getKey())) stale += e.getValue()[0];
    assertTrue(stale > 0, "--break " + CassandraNode.BREAK_READ_ONE + ": some R + W > RF read is stale: " + show(cells));
  }
}
