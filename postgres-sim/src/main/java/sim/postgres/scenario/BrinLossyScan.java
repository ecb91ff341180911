package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * BRIN: a block range index on an append-mostly column keeps one [min, max] summary per range of heap pages,
 * and a query reads only the ranges whose summary may hold a match, plus every range not yet summarized.
 * Late rows widen the summary of the range they land in; appended rows start new, unsummarized ranges until
 * VACUUM or brin_summarize_new_values() summarizes them.
 */
final class BrinLossyScan extends LessonScenario {
  static final int ROUNDS = 24;
  static final int BATCH = 100;
  static final int LOADED = 3000;

  BrinLossyScan() {
    super(new Lesson("pg.brin-lossy-scan",
        "A BRIN index reads a few block ranges of an ordered table, never missing a row: late rows widen their range's summary",
        "A table of events whose ts grows with the insert order is loaded (3000 rows, 14 heap pages) and given a BRIN "
            + "index with pages_per_range = 2: the build summarizes each range of two heap pages as the smallest and "
            + "largest ts in it. ANALYZE finds ts perfectly correlated with the physical order, so brincostestimate "
            + "expects a narrow ts condition to touch one range or two, and the planner picks a Bitmap Heap Scan over "
            + "the BRIN index. Then, round after round, 100 new events are appended (their pages form new ranges "
            + "that no summary covers yet: every scan must read them), one late event with an old ts is inserted (it "
            + "lands on the last page; if that range is summarized its summary widens to include the old ts), and a "
            + "query asks for the ts around the late value. Every third round brin_summarize_new_values() summarizes "
            + "the new ranges, the partial last one included; every fifth a VACUUM summarizes the full ones. "
            + "pg.brin.scan shows how many heap blocks each lossy bitmap held out of the table's, and how many "
            + "matching rows lay outside it: none, ever (pg.brin-scan-misses-no-row). Without the widening "
            + "(--break pg.brin-insert-skips-summary) the late row's range keeps a summary that excludes it, and "
            + "the query silently misses it.",
        "",
        Durations.seconds(3),
        Durations.millis(500)));
  }

  static List<String[]> script() {
    List<String[]> s = new ArrayList<>();
    s.add(new String[] {"w", "create table events (id int, ts int)"});
    s.add(new String[] {"w", "insert into events select g, g from generate_series(1, " + LOADED + ") g"});
    s.add(new String[] {"w", "create index events_ts on events using brin (ts) with (pages_per_range = 2)"});
    s.add(new String[] {"w", "analyze events"});
    for (int k = 0; k < ROUNDS; k++) {
      int from = LOADED + k * BATCH + 1;
      s.add(new String[] {"w", "insert into events select g, g from generate_series(" + from + ", " + (from + BATCH - 1) + ") g"});
      if (k % 3 == 2) s.add(new String[] {"w", "select brin_summarize_new_values('events_ts')"});
      if (k % 5 == 4) s.add(new String[] {"w", "vacuum events"});
      int late = 100 + (k * 389) % 2800;
      s.add(new String[] {"w", "insert into events values (" + (-k - 1) + ", " + late + ")"});
      s.add(new String[] {"r", "select id, ts from events where ts between " + (late - 5) + " and " + (late + 5)});
    }
    return s;
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(PgScenarios.PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PgScenarios.PG, Durations.millis(10), PgClient.script(script())));
    PgScenarios.addInspectors(sim);
    long[] missed = {0};
    int[] scans = {0};
    int[] narrow = {0};
    int[] lateFound = {0};
    sim.trace().addListener(e -> {
      if (!e.node().equals(PgScenarios.PG.name()) || !e.kind().equals("pg.brin.scan")) return;
      scans[0]++;
      missed[0] += ((Number) e.attribute("missed")).longValue();
      long blocks = ((Number) e.attribute("heapBlocks")).longValue();
      long table = ((Number) e.attribute("tableBlocks")).longValue();
      if (blocks * 2 <= table) narrow[0]++;
      if (((Number) e.attribute("rows")).longValue() > 11) lateFound[0]++; // 11 in-order rows plus the late one
    });
    // SAFETY: every visible row matching a BRIN Bitmap Heap Scan's condition is on a page of its bitmap
    sim.addFinalCheck("pg.brin-scan-misses-no-row", () -> CheckResult.of("pg.brin-scan-misses-no-row", missed[0] == 0,
        scans[0] + " BRIN scans; " + missed[0] + " visible matching rows lay outside their bitmaps"));
    sim.addLessonCheck("pg.brin-reads-few-ranges", () -> CheckResult.of("pg.brin-reads-few-ranges", narrow[0] > 0 && lateFound[0] > 0,
        scans[0] + " BRIN scans, " + narrow[0] + " of them read at most half the table's heap blocks, " + lateFound[0]
            + " found the late row besides the in-order ones"));
  }
}
