package sim.redis.scenario;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.redis.node.RedisNode;
import sim.redis.node.WorkloadClient;
import sim.redis.server.RedisConfig;

/**
 * One Redis server ("redis") and one writer ("client") under a scripted fault plan; what must hold after
 * each restart depends on the persistence configuration ({@link Expect}).
 */
final class PersistenceScenario extends LessonScenario {
  /** What a restart may lose under this configuration. */
  enum Expect {
    /** appendfsync always: every acknowledged write survives. */
    NO_ACKED_LOSS,
    /** appendfsync everysec: losses only among writes acknowledged in the last 2 seconds. */
    LOSS_WITHIN_2S,
    /** appendfsync no: the OS decides; any loss is allowed (reported). */
    ANY_LOSS,
    /** RDB only: exactly the snapshot taken at the fork of the completed BGSAVE (extras say when). */
    FORK_SNAPSHOT,
    /** The data directory is damaged: the server must refuse to load and leave the files alone. */
    REFUSED
  }

  static final NodeId SERVER = NodeId.of("redis");
  static final NodeId CLIENT = NodeId.of("client");
  static final long WINDOW_NANOS = Durations.seconds(2);

  private final Supplier<RedisConfig> config;
  private final Map<Integer, List<String>> extras;
  private final Expect expect;
  private final int snapshotWrites;

  PersistenceScenario(String name, String summary, String explanation, Supplier<RedisConfig> config, String faultPlan,
      Map<Integer, List<String>> extras, Expect expect, int snapshotWrites) {
    super(new Lesson(name, summary, explanation, faultPlan, Durations.seconds(8), Durations.seconds(2)));
    this.config = config;
    this.extras = extras;
    this.expect = expect;
    this.snapshotWrites = snapshotWrites;
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(SERVER, () -> new RedisNode(config));
    sim.addClient(CLIENT, () -> new WorkloadClient(SERVER, Durations.millis(4), extras));
    RecoveryLedger ledger = new RecoveryLedger(sim, SERVER, CLIENT);
    sim.addInvariant("redis.recovery-ledger", ledger::observe);
    sim.addInvariant("redis.loaded-dataset-is-a-prefix", () -> {
      for (RecoveryLedger.Recovery r : ledger.recoveries) {
        if (r.refusal() == null && !r.exactPrefix()) return "loaded dataset is not a prefix of the write history: " + r.describe();
        if (r.refusal() == null && r.recoveredPrefix() > r.issuedAtCrash()) return "recovered writes that were never issued: " + r.describe();
      }
      return null;
    });
    if (expect == Expect.NO_ACKED_LOSS) {
      sim.addInvariant("redis.always-loses-no-acked-write", () -> {
        for (RecoveryLedger.Recovery r : ledger.recoveries) if (r.lostAcked() > 0) return "acknowledged writes lost: " + r.describe();
        return null;
      });
    }
    if (expect == Expect.LOSS_WITHIN_2S) {
      sim.addInvariant("redis.everysec-loss-window-bounded", () -> {
        for (RecoveryLedger.Recovery r : ledger.recoveries) {
          if (r.lostWindowNanos() > WINDOW_NANOS) return "lost writes acknowledged more than 2 s before the crash: " + r.describe();
        }
        return null;
      });
    }
    if (expect == Expect.FORK_SNAPSHOT) {
      sim.addInvariant("redis.rdb-holds-the-fork-snapshot", () -> {
        for (RecoveryLedger.Recovery r : ledger.recoveries) {
          if (r.recoveredPrefix() != snapshotWrites) return "expected exactly the " + snapshotWrites + " writes before the BGSAVE fork: " + r.describe();
        }
        return null;
      });
    }
    sim.addFinalCheck("redis.recoveries", () -> finalCheck(sim, ledger));
    sim.addInspector("redis", "the server's keyspace and persistence state", arg -> {
      RedisNode n = sim.node(SERVER, RedisNode.class);
      return n == null ? "down" : n.describeState();
    });
  }

  private CheckResult finalCheck(Simulation sim, RecoveryLedger ledger) {
    CheckResult r = judge(sim, ledger);
    String refusals = sim.node(CLIENT, WorkloadClient.class).refusals();
    if (refusals.isEmpty()) return r;
    return new CheckResult(r.name(), r.kind(), r.status(), r.detail() + "; client: " + refusals, r.excuse());
  }

  private CheckResult judge(Simulation sim, RecoveryLedger ledger) {
    String name = "redis.recoveries";
    if (ledger.recoveries.isEmpty()) return CheckResult.ok(name, "no crash in this run; acked " + sim.node(CLIENT, WorkloadClient.class).acked());
    int lost = 0;
    for (RecoveryLedger.Recovery r : ledger.recoveries) lost += r.lostAcked();
    return switch (expect) {
      case REFUSED -> {
        for (RecoveryLedger.Recovery r : ledger.recoveries) {
          if (r.refusal() == null) yield CheckResult.failed(name, "the damaged directory was loaded: " + r.describe());
          if (!r.dirUntouched()) yield CheckResult.failed(name, "the refused load modified the data directory: " + r.describe());
        }
        yield CheckResult.ok(name, ledger.summary() + " (directory untouched)");
      }
      case LOSS_WITHIN_2S, ANY_LOSS -> lost > 0 ? CheckResult.expectedAnomaly(name, ledger.summary()) : CheckResult.ok(name, ledger.summary());
      case FORK_SNAPSHOT -> lost > 0 ? CheckResult.expectedAnomaly(name, "writes after the last completed save are lost, as in Redis: " + ledger.summary())
          : CheckResult.ok(name, ledger.summary());
      case NO_ACKED_LOSS -> CheckResult.of(name, lost == 0, ledger.summary());
    };
  }

  static RedisConfig aof(RedisConfig.AppendFsync policy) {
    RedisConfig c = new RedisConfig();
    c.appendonly = true;
    c.appendfsync = policy;
    c.savePoints = List.of();
    return c;
  }
}
