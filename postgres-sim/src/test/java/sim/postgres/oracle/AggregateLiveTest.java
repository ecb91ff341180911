package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Aggregate planning against a live PostgreSQL 15 (SIM_PG_URL, as {@link LivePostgresTest}): random aggregate
 * queries ({@link RandomAggregateSchedules}), EXPLAIN (COSTS OFF), EXPLAIN with costs and ordered rows equal
 * byte for byte. {@code -Dagg.seeds=N} (default 10); a failing seed leaves target/agg-live/seed-N.{sched,live,sim}.
 */
class AggregateLiveTest {
  @BeforeAll
  static void server() {
    LivePostgresTest.server();
  }

  /**
   * One session only, so a "blocked" step was merely slow (a busy machine past the runner's wait): dropped,
   * and its released line put back in step order.
   */
  static java.util.List<String> inStepOrder(java.util.List<String> lines) {
    return lines.stream().filter(l -> !l.contains("\"status\":\"blocked\"")).sorted(java.util.Comparator.comparingInt(
        (String l) -> Integer.parseInt(l.substring(8, l.indexOf(','))))).toList();
  }

  @TestFactory
  Stream<DynamicTest> randomAggregatesPlanAlike() {
    return LongStream.rangeClosed(1, Long.getLong("agg.seeds", 10)).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
      String text = RandomAggregateSchedules.generate(seed);
      Path file = Files.createTempFile("pg-agg-" + seed + "-", ".sched");
      try {
        Files.writeString(file, text);
        String live = String.join("\n", inStepOrder(PgOracle.run(LivePostgresTest.url, file)));
        String sim = String.join("\n", LivePostgresTest.simulate(text));
        if (!live.equals(sim)) { // kept for a diff: target/agg-live/seed-N.{sched,live,sim}
          Path dir = Files.createDirectories(Path.of("target", "agg-live"));
          Files.writeString(dir.resolve("seed-" + seed + ".sched"), text);
          Files.writeString(dir.resolve("seed-" + seed + ".live"), live + "\n");
          Files.writeString(dir.resolve("seed-" + seed + ".sim"), sim + "\n");
        }
        assertEquals(live, sim, "aggregate schedule (seed " + seed + "):\n" + text);
      } finally {
        Files.deleteIfExists(file);
      }
    }));
  }
}
