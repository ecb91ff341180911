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
 * The planner against a live PostgreSQL 15 on random tables (SIM_PG_URL, as {@link LivePostgresTest}):
 * the same ANALYZE, then EXPLAIN (COSTS OFF), EXPLAIN with costs and the query's rows must print the same
 * lines on both, byte for byte. Skipped with a message when no server is configured.
 */
class PlannerLiveTest {
  @BeforeAll
  static void server() {
    LivePostgresTest.server();
  }

  @TestFactory
  Stream<DynamicTest> randomTablesPlanAlike() {
    return LongStream.rangeClosed(1, Long.getLong("planner.seeds", 40)).mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
      String text = RandomPlannerSchedules.generate(seed);
      Path file = Files.createTempFile("pg-planner-" + seed + "-", ".sched");
      try {
        Files.writeString(file, text);
        String live = String.join("\n", PgOracle.run(LivePostgresTest.url, file));
        String sim = String.join("\n", LivePostgresTest.simulate(text));
        if (!live.equals(sim)) { // kept for a diff: target/planner-live/seed-N.{sched,live,sim}
          Path dir = Files.createDirectories(Path.of("target", "planner-live"));
          Files.writeString(dir.resolve("seed-" + seed + ".sched"), text);
          Files.writeString(dir.resolve("seed-" + seed + ".live"), live + "\n");
          Files.writeString(dir.resolve("seed-" + seed + ".sim"), sim + "\n");
        }
        assertEquals(live, sim, "planner schedule (seed " + seed + "):\n" + text);
      } finally {
        Files.deleteIfExists(file);
      }
    }));
  }
}
