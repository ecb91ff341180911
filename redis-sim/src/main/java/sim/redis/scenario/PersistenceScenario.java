package sim.redis.scenario;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.lin.HistoryRecorder;
import sim.core.lin.Linearizability;
import sim.core.lin.Models;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;
import sim.redis.node.RedisNode;
import sim.redis.node.RegisterClient;
import sim.redis.node.WorkloadClient;

/**
 * One Redis server ("redis") and one writer ("client") under a scripted fault plan, with the safety checks
 * every persistence scenario has and the scenario's own lesson:
 * <ul>
 *   <li>safety {@code redis.loaded-dataset-is-a-prefix} (after every event): each restart loads the writes
 *       recovered before plus a prefix of the writes since, nothing else;
 *   <li>safety {@code redis.acked-writes-survive}: every acknowledged write is still there after each restart,
 *       unless a rule of real Redis for this configuration and these faults allows losing exactly that write;
 *   <li>safety {@code redis.refused-load-leaves-files-untouched}: a refused load changes no byte on disk;
 *   <li>safety {@code redis.linearizable} where Redis promises it (a single node under appendfsync always): the
 *       register clients' history is linearizable across crashes;
 *   <li>lesson: the story the scenario tells happened.
 * </ul>
 */
final class PersistenceScenario extends LessonScenario {
  static final NodeId SERVER = NodeId.of("redis");
  static final NodeId CLIENT = NodeId.of("client");
  static final int REGISTER_CLIENTS = 2;

  /** The lesson: what the scenario's story says happened, judged from the run's facts. */
  interface Story {
    CheckResult judge(Facts facts);
  }

  /** The facts a story is judged by. */
  record Facts(Simulation sim, RecoveryLedger ledger, ServerStory server, WorkloadClient client) {}

  private final Supplier<RedisConfig> config;
  private final Map<Integer, List<String>> extras;
  private final String storyName;
  private final Story story;
  private long writerIntervalNanos = Durations.millis(4);
  private boolean registers = true;

  PersistenceScenario(Lesson lesson, Supplier<RedisConfig> config, Map<Integer, List<String>> extras, String storyName, Story story) {
    super(lesson);
    this.config = config;
    this.extras = extras;
    this.storyName = storyName;
    this.story = story;
  }

  /** A slower writer and no register clients: a run short enough to read event by event. */
  PersistenceScenario readable(long writerIntervalNanos) {
    this.writerIntervalNanos = writerIntervalNanos;
    this.registers = false;
    return this;
  }

  static Lesson lesson(String name, String summary, String explanation, String faultPlan) {
    return new Lesson(name, summary, explanation, faultPlan, Durations.seconds(8), Durations.seconds(2));
  }

  @Override
  public void setup(Simulation sim) {
    RedisConfig cfg = config.get();
    sim.addNode(SERVER, () -> new RedisNode(config));
    sim.addClient(CLIENT, () -> new WorkloadClient(SERVER, writerIntervalNanos, extras));
    RecoveryLedger ledger = new RecoveryLedger(sim, SERVER, CLIENT, cfg);
    ServerStory serverStory = new ServerStory(sim, SERVER);
    sim.addInvariant("redis.loaded-dataset-is-a-prefix", () -> {
      ledger.observe();
      return ledger.prefixViolation();
    });
    sim.addFinalCheck("redis.acked-writes-survive", () -> withRefusals(sim, ledger.judgeLosses("redis.acked-writes-survive")));
    sim.addFinalCheck("redis.refused-load-leaves-files-untouched", () -> untouched(ledger));
    if (registers && promisesLinearizability(cfg)) addLinearizability(sim);
    sim.addLessonCheck(storyName, () -> story.judge(new Facts(sim, ledger, serverStory, sim.node(CLIENT, WorkloadClient.class))));
    sim.addInspector("redis", "the server's keyspace and persistence state", arg -> {
      RedisNode n = sim.node(SERVER, RedisNode.class);
      return n == null ? "down" : n.describeState();
    });
  }

  /** A single Redis node is linearizable across crashes only when nothing acknowledged can be lost. */
  static boolean promisesLinearizability(RedisConfig cfg) {
    return cfg.appendonly && cfg.appendfsync == AppendFsync.ALWAYS;
  }

  /** Register clients on keys r0..r2 and the safety check that their history is linearizable (Models.kv). */
  static void addLinearizability(Simulation sim) {
    HistoryRecorder<Models.KeyOp, Object> history = new HistoryRecorder<>();
    for (int i = 0; i < REGISTER_CLIENTS; i++) {
      int id = i;
      sim.addClient(NodeId.of("reg" + i), () -> new RegisterClient(SERVER, id, 3, Durations.millis(15), history));
    }
    sim.addFinalCheck("redis.linearizable", () -> {
      var result = Linearizability.check(Models.kv(), history.history());
      String detail = history.history().size() + " operations on r0..r2 by " + REGISTER_CLIENTS + " clients";
      if (result.exhausted()) return CheckResult.ok("redis.linearizable", detail + ": search budget exhausted, not judged");
      return CheckResult.of("redis.linearizable", result.linearizable(), result.linearizable() ? detail + ": linearizable"
          : detail + ": NOT linearizable: " + result.describe());
    });
  }

  private static CheckResult withRefusals(Simulation sim, CheckResult r) {
    String refusals = sim.node(CLIENT, WorkloadClient.class).refusals();
    if (refusals.isEmpty()) return r;
    return new CheckResult(r.name(), r.kind(), r.status(), r.detail() + "; client: " + refusals, r.excuse());
  }

  private static CheckResult untouched(RecoveryLedger ledger) {
    String name = "redis.refused-load-leaves-files-untouched";
    int refused = 0;
    for (RecoveryLedger.Recovery r : ledger.recoveries) {
      if (r.refusal() == null) continue;
      refused++;
      if (!r.dirUntouched()) return CheckResult.failed(name, "the refused load modified the data directory: " + r.describe());
    }
    return CheckResult.ok(name, refused == 0 ? "no load was refused" : refused + " refused load(s), directory byte-for-byte untouched");
  }

  static RedisConfig aof(AppendFsync policy) {
    RedisConfig c = new RedisConfig();
    c.appendonly = true;
    c.appendfsync = policy;
    c.savePoints = List.of();
    return c;
  }
}
