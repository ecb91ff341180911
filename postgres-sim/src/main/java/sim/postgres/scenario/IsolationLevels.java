package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/** Write skew (doctors on call) at REPEATABLE READ and at SERIALIZABLE, side by side. */
final class IsolationLevels extends LessonScenario {
  IsolationLevels() {
    super(new Lesson("pg.isolation-levels",
        "Write skew: REPEATABLE READ lets two doctors both go off call; SERIALIZABLE (SSI) aborts one with 40001",
        "Two doctors are on call; the rule is that at least one stays on call. Two transactions each check "
            + "'select count(*) from doctors where on_call' (2), then take their own doctor off call. Neither writes "
            + "what the other reads, so no row lock ever conflicts. Under REPEATABLE READ both commit and nobody is "
            + "on call (write skew, which PostgreSQL allows at that level, as Hermitage's G2-item shows). Under "
            + "SERIALIZABLE, SSI records SIREAD locks on what each read and rw-antidependencies in both directions: "
            + "the first commit dooms the other, whose COMMIT fails with 40001 (pg.reply shows each SELECT's rows and "
            + "the error). Use \\locks to see the SIREAD locks and rw-conflicts, and \\snapshot a_ser to see a snapshot.",
        "",
        Durations.seconds(3),
        Durations.millis(200)));
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(PgScenarios.PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
    List<String[]> script = new ArrayList<>();
    for (String lvl : List.of("rr", "ser")) {
      String t = "doctors_" + lvl;
      script.add(new String[] {"setup", "create table " + t + " (name text primary key, on_call boolean)"});
      script.add(new String[] {"setup", "insert into " + t + " values ('alice', true), ('bob', true)"});
    }
    for (String lvl : List.of("rr", "ser")) {
      String t = "doctors_" + lvl;
      String level = lvl.equals("rr") ? "repeatable read" : "serializable";
      script.add(new String[] {"a_" + lvl, "begin isolation level " + level});
      script.add(new String[] {"b_" + lvl, "begin isolation level " + level});
      script.add(new String[] {"a_" + lvl, "select count(*) from " + t + " where on_call"});
      script.add(new String[] {"b_" + lvl, "select count(*) from " + t + " where on_call"});
      script.add(new String[] {"a_" + lvl, "update " + t + " set on_call = false where name = 'alice'"});
      script.add(new String[] {"b_" + lvl, "update " + t + " set on_call = false where name = 'bob'"});
      script.add(new String[] {"a_" + lvl, "commit"});
      script.add(new String[] {"b_" + lvl, "commit"});
    }
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PgScenarios.PG, Durations.millis(100), PgClient.script(script)));
    PgScenarios.addInspectors(sim);
    java.util.Map<Long, Integer> executed = PgScenarios.executedQueries(sim);
    List<Long> aSer = new ArrayList<>();
    List<Long> bSer = new ArrayList<>();
    for (int i = 0; i < script.size(); i++) {
      if (script.get(i)[0].equals("a_ser")) aSer.add((long) i);
      if (script.get(i)[0].equals("b_ser")) bSer.add((long) i);
    }
    sim.addFinalCheck("pg.serializable-prevents-write-skew", () -> {
      String name = "pg.serializable-prevents-write-skew";
      if (!PgScenarios.ranAsSent(executed, aSer) || !PgScenarios.ranAsSent(executed, bSer)) {
        return CheckResult.ok(name, "faults made the server run a SERIALIZABLE transaction other than as sent (a lost BEGIN "
            + "or statement, or statements after a crash): nothing to judge");
      }
      Object doctors = PgScenarios.scalar(sim, "select count(*) from doctors_ser");
      if (!Long.valueOf(2).equals(doctors)) return CheckResult.ok(name, "faults kept the doctors from being set up: nothing to judge");
      Object onCall = PgScenarios.scalar(sim, "select count(*) from doctors_ser where on_call");
      return CheckResult.of(name, onCall instanceof Long n && n >= 1, onCall + " of 2 doctors on call after the SERIALIZABLE transactions");
    });
    sim.addLessonCheck("pg.repeatable-read-allows-write-skew", () -> {
      Object onCall = PgScenarios.scalar(sim, "select count(*) from doctors_rr where on_call");
      return CheckResult.of("pg.repeatable-read-allows-write-skew", Long.valueOf(0).equals(onCall),
          onCall + " on call after both REPEATABLE READ transactions committed (0 = write skew, as PostgreSQL allows)");
    });
    sim.addLessonCheck("pg.serializable-fails-one-with-40001", () -> {
      PgClient c = PgScenarios.client(sim);
      long failures = c == null ? 0 : c.replies().values().stream()
          .filter(o -> o.sent().session().endsWith("_ser") && o.outcome().startsWith("error 40001")).count();
      return CheckResult.of("pg.serializable-fails-one-with-40001", failures == 1, failures + " SERIALIZABLE statement(s) failed with 40001");
    });
  }
}
