package sim.postgres.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.disk.SimDisk;
import sim.core.scenario.Scenario;
import sim.core.scenario.RunResult;
import sim.core.testing.SimTesting;
import sim.postgres.engine.Result;
import sim.postgres.replication.ReplicationSlots;

/** Replication slots: the SQL functions, the two WAL-retention scenarios, and the rule break their safety check catches. */
class SlotScenariosTest {
  private static Scenario scenario(String name) {
    return new PgScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theCheckpointIgnoringSlotsIsCaughtByPgSlotWalKept() {
    RunResult r = SimTesting.assertBreakBites(scenario("pg.slot-holds-wal"), PostgresNode.BREAK_CHECKPOINT_IGNORES_SLOTS, 1);
    assertTrue(r.failure() != null && r.failure().invariant().equals("pg.slot-wal-kept"), r.describeFailure());
    assertTrue(r.describeFailure().contains("was removed from pg's pg_wal"), r.describeFailure());
  }

  @Test
  void slotScenariosTellTheirStoryOverSeveralSeeds() {
    SimTesting.assertHoldsForSeeds(scenario("pg.slot-holds-wal"), 1, 3);
    SimTesting.assertHoldsForSeeds(scenario("pg.standby-without-slot-falls-behind"), 1, 3);
  }

  @Test
  void slotFunctionsAnswerAsPostgres() {
    SimDisk disk = SimDisk.standalone("pg", 1);
    ReplicationSlots slots = new ReplicationSlots(disk, new ReplicationSlots.Host() {
      @Override
      public void point(String name, String detail, Object... attributes) {}

      @Override
      public long nowNanos() {
        return 0;
      }

      @Override
      public void terminateWalSender(sim.core.NodeId node) {}
    });
    assertEquals(new Result.Rows(List.of(List.of("(s1,)"))), slots.create("s1"));
    assertEquals(new Result.Error("42710", "replication slot \"s1\" already exists"), slots.create("s1"));
    assertEquals("42602", ((Result.Error) slots.create("S-1")).sqlState());
    assertTrue(disk.exists("pg_replslot/s1/state"), "the slot is durable at once");
    ReplicationSlots restarted = new ReplicationSlots(disk, null);
    assertEquals(java.util.Map.of("s1", 0L), restarted.restartLsns(), "a restart finds it, still without restart_lsn");
    assertEquals(new Result.Error("42704", "replication slot \"nope\" does not exist"), slots.drop("nope"));
  }

}
