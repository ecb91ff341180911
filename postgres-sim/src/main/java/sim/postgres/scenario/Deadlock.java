package sim.postgres.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/** Two transactions lock two rows in opposite orders; the deadlock detector breaks the cycle. */
final class Deadlock extends LessonScenario {
  Deadlock() {
    super(new Lesson("pg.deadlock",
        "Row locks and deadlock detection: after deadlock_timeout (1 s) one waiter finds the cycle and fails with 40P01",
        "Transfer A updates account 1 then account 2; transfer B updates account 2 then account 1, 100 ms "
            + "apart. Each UPDATE takes its row lock by writing its xid into the tuple's xmax; the second UPDATE of "
            + "each finds the other's xid there, still running, and waits for that transaction to end (\\locks shows "
            + "who waits for whom). Nobody checks for cycles at once: a waiter that is still waiting after "
            + "deadlock_timeout (1 s) runs the deadlock detector, and the first to do so - A, which started waiting "
            + "first - finds the cycle and fails with 40P01 'deadlock detected'. Its transaction aborts at once, "
            + "releasing its lock, so B's UPDATE proceeds and B commits.",
        "",
        Durations.seconds(3),
        Durations.millis(200)));
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(PgScenarios.PG, () -> new PostgresNode(PostgresNode.Settings.defaults()));
    List<String[]> script = List.of(
        new String[] {"setup", "create table accounts (id int primary key, balance int)"},
        new String[] {"setup", "insert into accounts values (1, 100), (2, 100)"},
        new String[] {"a", "begin"},
        new String[] {"b", "begin"},
        new String[] {"a", "update accounts set balance = balance - 10 where id = 1"},
        new String[] {"b", "update accounts set balance = balance - 20 where id = 2"},
        new String[] {"a", "update accounts set balance = balance + 10 where id = 2"},
        new String[] {"b", "update accounts set balance = balance + 20 where id = 1"},
        new String[] {"a", "commit"},
        new String[] {"b", "commit"});
    sim.addClient(PgScenarios.CLIENT, () -> new PgClient(PgScenarios.PG, Durations.millis(100), PgClient.script(script)));
    PgScenarios.addInspectors(sim);
    java.util.Map<Long, Integer> executed = PgScenarios.executedQueries(sim);
    List<Long> transferA = List.of(2L, 4L, 6L, 8L);
    List<Long> transferB = List.of(3L, 5L, 7L, 9L);
    sim.addFinalCheck("pg.transfers-keep-the-total", () -> {
      String name = "pg.transfers-keep-the-total";
      if (!PgScenarios.ranAsSent(executed, transferA) || !PgScenarios.ranAsSent(executed, transferB)) {
        return CheckResult.ok(name, "faults made the server run a transfer other than as sent (a lost BEGIN or statement, "
            + "or statements after a crash): nothing to judge");
      }
      if (!Long.valueOf(2).equals(PgScenarios.scalar(sim, "select count(*) from accounts"))) {
        return CheckResult.ok(name, "faults kept the accounts from being set up: nothing to judge");
      }
      Object sum = PgScenarios.scalar(sim, "select sum(balance) from accounts");
      return CheckResult.of(name, Long.valueOf(200).equals(sum), "total balance " + sum + " (each transfer moves money "
          + "between the two accounts atomically, or not at all)");
    });
    sim.addLessonCheck("pg.deadlock-broken", () -> {
      PgClient c = PgScenarios.client(sim);
      if (c == null || c.replies().size() < script.size()) return CheckResult.failed("pg.deadlock-broken", "the script was cut short");
      long deadlocks = c.replies().values().stream().filter(o -> o.outcome().startsWith("error 40P01")).count();
      return CheckResult.of("pg.deadlock-broken", deadlocks == 1, deadlocks + " transaction(s) failed with 40P01");
    });
  }
}
