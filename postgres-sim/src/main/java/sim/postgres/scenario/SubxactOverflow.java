package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.postgres.mvcc.Clog;

/**
 * Savepoints are subtransactions with their own xids; past 64 in one transaction the backend's subxid
 * cache overflows and every other session's snapshot must ask pg_subtrans who owns a recent xid.
 */
final class SubxactOverflow extends LessonScenario {
  static final int SAVEPOINTS = 80;

  SubxactOverflow() {
    super(new Lesson("pg.subxact-overflow",
        "Savepoints are subtransactions: past 64 in one transaction, every other session's snapshot overflows into pg_subtrans lookups",
        "A writer opens a transaction and, 80 times, sets a savepoint and inserts a row; every tenth insert it "
            + "rolls back to the savepoint. Each savepoint level that writes gets its own subtransaction xid (its "
            + "parent recorded in pg_subtrans; a level ROLLBACK TO re-created gets a new one), and ROLLBACK TO "
            + "aborts just that level, releasing its row and locks. A reader "
            + "counts the rows every few statements. Its snapshot lists the running xids: the writer's top-level xid and, while "
            + "the writer has at most 64 subtransaction xids (PGPROC_MAX_CACHED_SUBXIDS), those too, so deciding that "
            + "a row the writer inserted is in progress is an array search. The 65th overflows the writer's cache: "
            + "the reader's snapshots become 'suboverflowed' (\\snapshot r) and every check of a recent xid becomes a "
            + "pg_subtrans lookup (SubTransGetTopmostTransaction), which on a busy server is the SubtransSLRU wait "
            + "that makes such workloads crawl. pg.reply's subtransLookups attribute counts them. When the writer "
            + "commits, the rows it did not roll back appear at once, all of them or (after a crash) none.",
        "",
        Durations.seconds(4),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(PgScenarios.PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
    List<String[]> script = new ArrayList<>();
    script.add(new String[] {"w", "create table items (id int primary key)"});
    script.add(new String[] {"w", "begin"});
    Set<Long> kept = new TreeSet<>();
    for (int k = 1; k <= SAVEPOINTS; k++) {
      script.add(new String[] {"w", "savepoint sp" + k});
      script.add(new String[] {"w", "insert into items values (" + k + ")"});
      if (k % 10 == 0) script.add(new String[] {"w", "rollback to sp" + k});
      else kept.add((long) k);
    }
    script.add(new String[] {"w", "commit"});
    int writerStatements = script.size();
    List<String[]> merged = new ArrayList<>();
    for (int i = 0; i < writerStatements; i++) {
      merged.add(script.get(i));
      if (i > 2 && i % 2 == 0) merged.add(new String[] {"r", "select count(*) from items"}); // every other tick
    }
    merged.add(new String[] {"r", "select count(*) from items"});
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PgScenarios.PG, Durations.millis(10), PgClient.script(merged)));
    PgScenarios.addInspectors(sim);
    Map<Long, Integer> executed = PgScenarios.executedQueries(sim);
    List<Long> writer = new ArrayList<>();
    for (int i = 1; i < merged.size(); i++) if (merged.get(i)[0].equals("w")) writer.add((long) i);
    // subtransaction xids the writer holds after each of its inserts: AssignTransactionId gives one to every
    // open savepoint level that has none yet, so the level ROLLBACK TO re-creates takes one at the next insert
    long[] afterStatement = new long[merged.size()];
    long assigned = 0;
    int withoutXid = 0;
    for (int i = 0; i < merged.size(); i++) {
      String sql = merged.get(i)[1];
      if (merged.get(i)[0].equals("w")) {
        if (sql.startsWith("savepoint") || sql.startsWith("rollback to")) withoutXid++;
        if (sql.startsWith("insert")) {
          assigned += withoutXid;
          withoutXid = 0;
        }
      }
      afterStatement[i] = assigned;
    }
    // reader replies in order: (subxids the writer had handed out by then, cumulative pg_subtrans lookups)
    List<long[]> readerReplies = new ArrayList<>();
    long[] subxids = {0};
    sim.trace().addListener(e -> {
      if (!e.node().equals(PgScenarios.PG.name()) || !e.kind().equals("pg.reply")) return;
      long q = ((Number) e.attribute("query")).longValue();
      String sql = merged.get((int) q)[1];
      if (merged.get((int) q)[0].equals("w")) subxids[0] = afterStatement[(int) q];
      if (sql.startsWith("select")) readerReplies.add(new long[] {subxids[0], ((Number) e.attribute("subtransLookups")).longValue()});
    });
    sim.addFinalCheck("pg.savepoints-commit-atomically", () -> {
      String name = "pg.savepoints-commit-atomically";
      if (!PgScenarios.ranAsSent(executed, writer)) {
        return CheckResult.ok(name, "faults made the server run the writer's transaction other than as sent: nothing to judge");
      }
      PostgresNode pg = PgScenarios.server(sim);
      if (pg == null || pg.database() == null || pg.database().table("items") == null) return CheckResult.ok(name, "no table: nothing to judge");
      Set<Long> present = PgScenarios.presentIds(pg, "items");
      boolean ok = present.isEmpty() || present.equals(kept);
      return CheckResult.of(name, ok, present.size() + " rows after the transaction; expected none (it did not commit) or the "
          + kept.size() + " not rolled back to");
    });
    sim.addLessonCheck("pg.overflow-costs-subtrans-lookups", () -> {
      String name = "pg.overflow-costs-subtrans-lookups";
      long before = 0;
      long after = 0;
      long prev = 0;
      for (long[] r : readerReplies) {
        long delta = r[1] - prev;
        prev = r[1];
        if (r[0] <= Clog.MAX_CACHED_SUBXIDS) before += delta;
        else after += delta;
      }
      return CheckResult.of(name, before == 0 && after > 0, "pg_subtrans lookups while the writer had at most "
          + Clog.MAX_CACHED_SUBXIDS + " subtransaction xids: " + before + "; after: " + after);
    });
  }
}
