package sim.postgres.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import sim.core.testing.SimTesting;
import sim.postgres.schedule.Schedule;
import sim.postgres.schedule.ScheduleRunner;

/**
 * The simulator against a live PostgreSQL 15 (JDBC URL in SIM_PG_URL; CI starts one): every schedule in
 * the repo prints the same lines on both and matches its golden file, and so do random schedules.
 */
class LivePostgresTest {
  static String url;

  @BeforeAll
  static void server() {
    url = System.getenv("SIM_PG_URL");
    String version = url == null ? null : serverVersion(url);
    SimTesting.requireOracle("PostgreSQL 15 (SIM_PG_URL)", version != null && version.startsWith("15"),
        "export SIM_PG_URL=jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres after "
            + "postgres-sim/scripts/regen-goldens.sh started one (found: " + (url == null ? "no SIM_PG_URL" : "version " + version) + ")");
  }

  public static String serverVersion(String url) {
    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
        ResultSet r = st.executeQuery("show server_version")) {
      r.next();
      return r.getString(1);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * Whether the run depends on thread timing: after one step, two sessions resumed and at least one of them
   * ran more than one queued statement (the reference runner's threads then race each other).
   */
  static boolean racy(List<String> lines) {
    int maxStep = 0;
    java.util.Map<String, Integer> released = new java.util.TreeMap<>();
    for (String line : lines) {
      int step = Integer.parseInt(line.substring(8, line.indexOf(',')));
      String session = line.substring(line.indexOf("\"session\":\"") + 11, line.indexOf("\",\"status"));
      if (step > maxStep) {
        if (released.size() >= 2 && released.values().stream().anyMatch(n -> n >= 2)) return true;
        released.clear();
        maxStep = step;
      } else {
        released.merge(session, 1, Integer::sum);
      }
    }
    return released.size() >= 2 && released.values().stream().anyMatch(n -> n >= 2);
  }

  static List<String> simulate(String text) {
    Schedule schedule = Schedule.parse(text);
    ScheduleRunner runner = new ScheduleRunner(1);
    assertEquals(null, runner.setup(schedule));
    return runner.run(schedule);
  }

  @TestFactory
  Stream<DynamicTest> repoSchedulesMatchLiveServerAndGoldens() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("schedules"))) {
      files = s.filter(p -> p.toString().endsWith(".sched")).sorted().toList();
    }
    assertTrue(files.size() >= 45);
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
      String live = String.join("\n", PgOracle.run(url, f));
      assertEquals(live, String.join("\n", simulate(Files.readString(f))), "simulator vs live server: " + f);
      Path golden = Path.of(f.toString().replace(".sched", ".expected"));
      assertEquals(live, String.join("\n", Files.readAllLines(golden)), "stale golden, run scripts/regen-goldens.sh: " + golden);
    }));
  }

  @TestFactory
  Stream<DynamicTest> randomSchedulesMatchLiveServer() {
    return LongStream.rangeClosed(1, 40).mapToObj(seed -> DynamicTest.dynamicTest("random seed " + seed, () -> {
      String text = RandomSchedules.generate(seed, 14);
      Path file = Files.createTempFile("pg-random-" + seed + "-", ".sched");
      try {
        Files.writeString(file, text);
        List<String> liveLines = PgOracle.run(url, file);
        Assumptions.assumeFalse(racy(liveLines), "seed " + seed + ": one step released statements queued in two "
            + "sessions at once, so the server's order depends on thread timing");
        assertEquals(String.join("\n", liveLines), String.join("\n", simulate(text)), "random schedule (seed " + seed + "):\n" + text);
      } finally {
        Files.deleteIfExists(file);
      }
    }));
  }
}
