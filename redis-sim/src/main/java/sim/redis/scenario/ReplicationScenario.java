package sim.redis.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;
import sim.redis.node.FailoverClient;
import sim.redis.node.RedisMessage;
import sim.redis.node.StrayWriter;
import sim.redis.node.RedisNode;

/**
 * A master ("redis", appendfsync always, so its own restarts lose nothing acknowledged) and one replica
 * ("replica", no persistence, {@code replicaof redis 6379}), a writer that fails over by hand when the master
 * goes silent, and the replication safety checks:
 * <ul>
 *   <li>{@code redis.replica-is-a-prefix-of-the-master} (after every event): the replica's dataset is its
 *       master's dataset at the same (replid, offset), and its offset never passes the master's;
 *   <li>{@code redis.acked-writes-survive-failover}: every write acknowledged before the failover is on the
 *       promoted replica, except those asynchronous replication may lose — exactly the writes the replica had
 *       not acknowledged (REPLCONF ACK) to the master;
 *   <li>{@code redis.wait-confirmed-writes-survive-failover}: a write WAIT 1 confirmed is on the promoted replica
 *       unless the replica itself failed (WAIT N promises nothing once N replicas fail).
 * </ul>
 */
final class ReplicationScenario extends LessonScenario {
  static final NodeId MASTER = NodeId.of("redis");
  static final NodeId REPLICA = NodeId.of("replica");
  static final NodeId CLIENT = NodeId.of("client");
  static final NodeId STRAY = NodeId.of("stray");

  /** The facts the lesson is judged by. */
  record Facts(Simulation sim, ReplicationLedger ledger, FailoverClient client, Counts master, Counts replica, StrayWriter stray) {}

  /** How often each trace point fired on one node. */
  static final class Counts {
    final Map<String, Integer> n = new LinkedHashMap<>();

    int of(String kind) {
      return n.getOrDefault(kind, 0);
    }
  }

  /**
   * The scenario's knobs: WAIT 1 after each write (0: none), repl-backlog-size, a stray writer aimed at the
   * replica, and when (if the writer has failed over) the operator turns the old master into a replica of the
   * new one with REPLICAOF replica 6379 (0: never).
   */
  record Options(long waitMs, long backlogSize, boolean strayWriter, long rejoinAtNanos) {}

  private final Options options;
  private final String storyName;
  private final Function<Facts, CheckResult> story;

  ReplicationScenario(Lesson lesson, Options options, String storyName, Function<Facts, CheckResult> story) {
    super(lesson);
    this.options = options;
    this.storyName = storyName;
    this.story = story;
  }

  static Lesson lesson(String name, String summary, String explanation, String faultPlan, long seconds) {
    return new Lesson(name, summary, explanation, faultPlan, Durations.seconds(seconds), Durations.seconds(2));
  }

  private RedisConfig masterConfig() {
    RedisConfig c = new RedisConfig();
    c.appendonly = true;
    c.appendfsync = AppendFsync.ALWAYS;
    c.savePoints = List.of();
    c.replBacklogSize = options.backlogSize();
    return c;
  }

  private RedisConfig replicaConfig() {
    RedisConfig c = new RedisConfig();
    c.savePoints = List.of();
    c.replicaofHost = MASTER.name();
    c.replBacklogSize = options.backlogSize();
    return c;
  }

  @Override
  public void setup(Simulation sim) {
    sim.addNode(MASTER, () -> new RedisNode(this::masterConfig));
    sim.addNode(REPLICA, () -> new RedisNode(this::replicaConfig));
    sim.addClient(CLIENT, () -> new FailoverClient(MASTER, REPLICA, Durations.millis(4), options.waitMs(), Durations.seconds(1)));
    if (options.strayWriter()) sim.addClient(STRAY, () -> new StrayWriter(REPLICA, Durations.millis(500)));
    if (options.rejoinAtNanos() > 0) {
      sim.schedule(options.rejoinAtNanos(), "operator: REPLICAOF replica 6379 on the old master", () -> {
        FailoverClient c = sim.node(CLIENT, FailoverClient.class);
        if (c != null && c.failedOver()) {
          sim.inject(CLIENT, MASTER, new RedisMessage.Request(-2, List.of("REPLICAOF", REPLICA.name(), "6379")));
        }
      });
    }
    ReplicationLedger ledger = new ReplicationLedger(sim, MASTER, REPLICA, CLIENT);
    Counts master = counts(sim, MASTER);
    Counts replica = counts(sim, REPLICA);
    sim.addInvariant("redis.replica-is-a-prefix-of-the-master", ledger::observe);
    sim.addFinalCheck("redis.acked-writes-survive-failover", () -> survivors(sim, ledger, false));
    if (options.waitMs() > 0) sim.addFinalCheck("redis.wait-confirmed-writes-survive-failover", () -> survivors(sim, ledger, true));
    sim.addLessonCheck(storyName, () -> story.apply(new Facts(sim, ledger, sim.node(CLIENT, FailoverClient.class), master, replica,
        options.strayWriter() ? sim.node(STRAY, StrayWriter.class) : null)));
    for (NodeId id : List.of(MASTER, REPLICA)) {
      sim.addInspector(id.name(), "the " + id.name() + " server's keyspace and replication", arg -> {
        RedisNode n = sim.node(id, RedisNode.class);
        return n == null ? "down" : n.describeState() + " " + n.server().info(List.of("replication")).replace("\r\n", " ");
      });
    }
  }

  private static Counts counts(Simulation sim, NodeId node) {
    Counts c = new Counts();
    sim.trace().addListener(e -> {
      if (e.node().equals(node.name()) && e.kind().startsWith("redis.repl")) c.n.merge(e.kind(), 1, Integer::sum);
    });
    return c;
  }

  /**
   * The acknowledged writes missing on the promoted replica, each excused only by the rule that covers it:
   * asynchronous replication (the replica never acknowledged it) or, for WAIT, a failed replica.
   */
  static CheckResult survivors(Simulation sim, ReplicationLedger ledger, boolean waitOnly) {
    String name = waitOnly ? "redis.wait-confirmed-writes-survive-failover" : "redis.acked-writes-survive-failover";
    FailoverClient c = sim.node(CLIENT, FailoverClient.class);
    if (ledger.promotedDataset == null || c == null || c.ackedBeforeFailover() < 0) {
      return CheckResult.ok(name, "no failover happened: nothing to judge");
    }
    int before = c.ackedBeforeFailover();
    List<String> lost = new ArrayList<>();
    List<String> async = new ArrayList<>();
    List<String> replicaRestarted = new ArrayList<>();
    int confirmed = 0;
    for (int i = 0; i < before; i++) {
      if (waitOnly && !c.waitConfirmed(i)) continue;
      confirmed++;
      if (ledger.promotedDataset.get(i)) continue;
      String w = "k" + i;
      lost.add(w);
      if (ledger.appliedByPromotedProcess(i)) continue; // the promoted process had it: nothing excuses the loss
      if (ledger.ackedByReplica(i)) replicaRestarted.add(w);
      else if (!waitOnly) async.add(w);
    }
    String detail = (waitOnly ? confirmed + " writes confirmed by WAIT 1" : before + " writes acknowledged")
        + " before the replica was promoted, " + lost.size() + " missing on it; " + ledger.prefixSummary()
        + (lost.isEmpty() ? "" : "; " + lost.get(0) + ": " + ledger.explain(Integer.parseInt(lost.get(0).substring(1))));
    Map<String, List<String>> rules = new LinkedHashMap<>();
    if (!async.isEmpty()) {
      rules.put("asynchronous replication: the master acknowledges a write before any replica has it, and these writes "
          + "came after the last offset the replica acknowledged (REPLCONF ACK)", async);
    }
    if (!replicaRestarted.isEmpty()) {
      rules.put("the replica failed: it acknowledged these writes, then restarted without persistence (empty) and was promoted "
          + "before a resync gave them back" + (waitOnly ? " (WAIT 1 promises nothing once 1 replica fails)" : ""), replicaRestarted);
    }
    return CheckResult.losses(name, detail, lost, rules);
  }
}
