package sim.redis.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.redis.node.RedisNode;
import sim.redis.node.WorkloadClient;
import sim.redis.config.RedisConfig.AppendFsync;

/** Three servers, one per appendfsync policy, same workload, same crash instant: the durability trade-off. */
final class FsyncTradeoffScenario implements Scenario {
  private static final AppendFsync[] POLICIES = AppendFsync.values();
  /** A modest SSD's fsync; the main thread waits this long under appendfsync always. */
  static final long FSYNC_LATENCY_NANOS = Durations.millis(2);

  @Override
  public String name() {
    return "redis.durability-tradeoff";
  }

  @Override
  public String summary() {
    return "appendfsync always vs everysec vs no: crash all three at once, count the acknowledged writes each loses";
  }

  @Override
  public String explanation() {
    return "Three Redis servers (always, everysec, no) each take the same stream of SETs from their own client and "
        + "crash at the same instant; each disk takes 2 ms per fsync and each client sends its next SET about 0.5 ms "
        + "after the previous reply. 'always' fsyncs the AOF in beforeSleep before any reply leaves, so it loses no "
        + "acknowledged write, but its main thread blocks in every fsync, so it acknowledges markedly fewer "
        + "writes (compare 'acked' in the final checks); 'everysec' fsyncs in the background once a "
        + "second and loses what was acknowledged since the last fsync (up to about two seconds); 'no' leaves it to the "
        + "OS (modelled as a 30 s dirty-page writeback) and can lose everything since the last writeback. Watch "
        + "redis.aof.fsync points, then compare the three recoveries in the final check.";
  }

  @Override
  public String faultPlan() {
    return "at 5300ms crash redis-always; at 5300ms crash redis-everysec; at 5300ms crash redis-no; "
        + "at 6s restart redis-always; at 6s restart redis-everysec; at 6s restart redis-no";
  }

  @Override
  public long durationNanos() {
    return Durations.seconds(7);
  }

  @Override
  public long livenessNanos() {
    return Durations.seconds(1);
  }

  @Override
  public void setup(Simulation sim) {
    List<RecoveryLedger> ledgers = new ArrayList<>();
    for (AppendFsync p : POLICIES) {
      NodeId server = NodeId.of("redis-" + p.configName());
      NodeId client = NodeId.of("client-" + p.configName());
      sim.addNode(server, () -> new RedisNode(() -> PersistenceScenario.aof(p)));
      sim.disk(server).setFsyncLatencyNanos(FSYNC_LATENCY_NANOS);
      sim.addClient(client, () -> new WorkloadClient(server, Durations.micros(500), Map.of()));
      RecoveryLedger ledger = new RecoveryLedger(sim, server, client, PersistenceScenario.aof(p));
      ledgers.add(ledger);
      sim.addInvariant("redis.loaded-dataset-is-a-prefix." + p.configName(), () -> {
        ledger.observe();
        return ledger.prefixViolation();
      });
    }
    for (int i = 0; i < POLICIES.length; i++) {
      RecoveryLedger ledger = ledgers.get(i);
      String check = "redis.acked-writes-survive." + POLICIES[i].configName();
      sim.addFinalCheck(check, () -> ledger.judgeLosses(check));
    }
    sim.addLessonCheck("redis.durability-costs-throughput", () -> {
      int[] acked = new int[POLICIES.length];
      int[] lost = new int[POLICIES.length];
      for (int i = 0; i < POLICIES.length; i++) {
        RecoveryLedger l = ledgers.get(i);
        acked[i] = l.recoveries.isEmpty() ? l.ackedSoFar() : l.recoveries.get(0).ackedAtCrash();
        lost[i] = ledgers.get(i).totalLostAcked();
      }
      boolean ok = acked[0] < 0.8 * acked[1] && lost[0] == 0 && lost[1] > 0 && lost[2] > 0;
      return CheckResult.of("redis.durability-costs-throughput", ok, String.format(
          "acked always %d / everysec %d / no %d; lost at the crash: %d / %d / %d", acked[0], acked[1], acked[2], lost[0], lost[1], lost[2]));
    });
  }
}
