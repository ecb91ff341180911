package sim.kafka.scenario;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.client.ProducerConfig;
import sim.kafka.scenario.KafkaScenario.StoryCheck;

/** The KRaft controller quorum's lessons: three controllers, one Raft leader that is the active controller. */
final class KraftScenarios {
  private KraftScenarios() {}

  static final String WATCH = " Breakpoints: kafka.kraft.prospective, kafka.kraft.candidate, kafka.kraft.vote, kafka.kraft.leader, "
      + "kafka.kraft.controller.active, kafka.kraft.hw.advance, kafka.kraft.truncate, kafka.kraft.resign, kafka.leader.elected, "
      + "kafka.broker.metadata.caught-up, kafka.broker.metadata.publish, kafka.controller.producer-ids, kafka.broker.producer-id-block; "
      + "`state controller-2` shows the quorum state, the metadata log and, on the leader, the controller and each broker's "
      + "fetch offset against the high watermark; `state b1` shows how far b1 replayed the metadata log.";

  static ClusterSpec spec() {
    return ClusterSpec.threeBrokers().withBroker(KafkaConfig.defaults().withMinInsyncReplicas(2))
        .withProducer(ProducerConfig.defaults().withWorkload(600, 50, true));
  }

  static List<KafkaScenario> all() {
    return List.of(controllerFailover(), partitionedController(), brokerFenced());
  }

  static KafkaScenario controllerFailover() {
    return new KafkaScenario("kafka.kraft-controller-failover",
        "KRaft: the active controller crashes, the quorum elects a new leader in a higher epoch, which replays the metadata log and keeps managing brokers",
        "Three controllers (controller.quorum.voters) run Raft on __cluster_metadata-0; the leader is the active controller. At 8s "
            + "the active controller crashes. The followers stop hearing from it; after controller.quorum.fetch.timeout.ms (2s) "
            + "each becomes prospective and asks for pre-votes (KIP-996), then a candidate in the next epoch: it writes its vote "
            + "for itself to quorum-state and fsyncs before asking. The winner appends a leader-change record; once a majority "
            + "has it (the high watermark passes an offset of its own epoch), it replays the committed metadata records "
            + "(RegisterBrokerRecord, PartitionRecord, PartitionChangeRecord, ...) into the controller's state and becomes "
            + "active (kafka.kraft.controller.active). Brokers are observers of the same log: their raft client fetches it from "
            + "the leader (never counted toward the high watermark), finds the new leader when the old one stops answering, and "
            + "sends heartbeats there. At 12s broker b1, leader of orders-0, crashes: the new controller fences it after "
            + "broker.session.timeout.ms (9s) and elects b2 with a PartitionChangeRecord; b2 and b3 act on it only once it is "
            + "committed (kafka.broker.metadata.publish). Restarted at 18s, b1 registers, replays the log until it has read its "
            + "own RegisterBrokerRecord (kafka.broker.metadata.caught-up), and only then is it unfenced. The old controller "
            + "restarts at 14s as a follower and catches up." + WATCH,
        spec(), "at 12s crash b1; at 18s restart b1", 40,
        (sim, cluster) -> {
          sim.schedule(Durations.seconds(8), "crash the active controller", () -> crashActive(sim, cluster));
          sim.schedule(Durations.seconds(14), "restart the crashed controller", () -> restartCrashed(sim, cluster));
        },
        newLeaderInHigherEpoch("kafka.story.new-controller-in-higher-epoch"),
        electedByNewController("kafka.story.new-controller-elects-partition-leader")).withControllers(3);
  }

  static KafkaScenario partitionedController() {
    return new KafkaScenario("kafka.kraft-partitioned-controller",
        "KRaft: the active controller is cut off from the other controllers; it cannot commit, resigns, the majority elects, and pre-vote keeps it from disrupting when it returns",
        "At 8s the active controller is partitioned from the two other controllers (brokers still reach everyone). Its "
            + "appends cannot reach a majority, so its high watermark stops: no decision it makes is committed or told. After "
            + "1.5 × controller.quorum.fetch.timeout.ms without a majority fetching it resigns (kafka.kraft.resign). The "
            + "majority's followers time out, pass a pre-vote and elect a leader in the next epoch, which becomes the active "
            + "controller. At 20s the partition heals: the old leader's pre-vote (KIP-996) is refused by voters still "
            + "fetching from their leader, so it does not bump the epoch and depose a healthy leader; the refusal names the "
            + "leader, and it follows it, truncating nothing committed." + WATCH,
        spec(), "", 40,
        (sim, cluster) -> {
          sim.schedule(Durations.seconds(8), "isolate the active controller from the other controllers", () -> isolateActive(sim, cluster));
          sim.schedule(Durations.seconds(20), "heal the controllers' partition", () -> sim.network().heal());
        },
        resignedWithoutMajority("kafka.story.minority-leader-resigns"),
        newLeaderInHigherEpoch("kafka.story.majority-elects"),
        preVoteRefusedAfterHeal("kafka.story.pre-vote-prevents-disruption")).withControllers(3);
  }

  static KafkaScenario brokerFenced() {
    return new KafkaScenario("kafka.kraft-broker-fenced",
        "KRaft: a broker cut off from the controllers is fenced after broker.session.timeout.ms and its partitions' leadership moves",
        "At 8s broker b1, leader of orders-0, loses its connections to all three controllers (it still reaches the other "
            + "brokers and the clients). Its heartbeats (every broker.heartbeat.interval.ms, 2s) go unanswered; it tries each "
            + "controller in turn. The active controller hears nothing for broker.session.timeout.ms (9s), fences b1 "
            + "(BrokerRegistrationChangeRecord), takes it out of the ISR and elects b2 (PartitionChangeRecord, leader epoch "
            + "+1); brokers learn both only once committed, by replaying the metadata log they fetch as observers (b1, cut off, "
            + "cannot: it keeps its old view). At 30s the network heals and "
            + "b1 comes back as a follower." + WATCH,
        spec(), "at 8s partition b1|controller,controller-2,controller-3; at 30s heal", 40, null,
        StoryChecks.saw("kafka.story.broker-fenced", "note", null, "fences b1: no heartbeat", "the active controller fenced b1 after broker.session.timeout.ms"),
        electedAfterFence("kafka.story.leadership-moves")).withControllers(3);
  }

  // ---- operator actions ----


  private static void crashActive(Simulation sim, KafkaCluster cluster) {
    NodeId active = cluster.activeControllerId();
    if (active == null) {
      sim.trace().record("sim", "note", "no active controller to crash");
      return;
    }
    sim.crash(active);
    sim.trace().record("sim", "note", "crashed the active controller " + active);
  }

  private static void restartCrashed(Simulation sim, KafkaCluster cluster) {
    for (NodeId v : cluster.voters()) if (!sim.isUp(v)) sim.restart(v);
  }

  private static void isolateActive(Simulation sim, KafkaCluster cluster) {
    NodeId active = cluster.activeControllerId();
    if (active == null) {
      sim.trace().record("sim", "note", "no active controller to isolate");
      return;
    }
    Set<NodeId> others = new TreeSet<>(cluster.voters());
    others.remove(active);
    sim.network().partition(Set.of(active), others);
    sim.trace().record("sim", "note", "partitioned the active controller " + active + " from " + others);
  }

  // ---- the stories ----

  /** A controller became active in a later epoch than the first active one. */
  static StoryCheck newLeaderInHigherEpoch(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent first = c.story().first(e -> e.kind().equals("kafka.kraft.controller.active"));
      if (first == null) return CheckResult.failed(name, "no controller ever became active");
      TraceEvent next = c.story().first(e -> e.kind().equals("kafka.kraft.controller.active") && epoch(e) > epoch(first) && !e.node().equals(first.node()));
      return CheckResult.of(name, next != null, next == null ? "only " + first.node() + " was ever active (epoch " + epoch(first) + ")"
          : first.node() + " active in epoch " + epoch(first) + "; at " + Durations.format(next.timeNanos()) + ": " + next.detail());
    });
  }

  /** After the controller failover, the new controller elected a partition leader (the crashed b1's successor). */
  static StoryCheck electedByNewController(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent first = c.story().first(e -> e.kind().equals("kafka.kraft.controller.active"));
      TraceEvent next = first == null ? null : c.story().first(e -> e.kind().equals("kafka.kraft.controller.active") && epoch(e) > epoch(first));
      if (next == null) return CheckResult.failed(name, "no second active controller");
      TraceEvent elected = c.story().first(e -> e.kind().equals("kafka.leader.elected") && e.node().equals(next.node()) && e.timeNanos() > next.timeNanos()
          && e.detail().contains("fenced"));
      return CheckResult.of(name, elected != null, elected == null ? "the new controller " + next.node() + " elected no leader for a fenced broker's partition"
          : "at " + Durations.format(elected.timeNanos()) + " " + elected.node() + ": " + elected.detail());
    });
  }

  static StoryCheck resignedWithoutMajority(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent e = c.story().first(ev -> ev.kind().equals("kafka.kraft.resign"));
      return CheckResult.of(name, e != null, e == null ? "no leader resigned" : "at " + Durations.format(e.timeNanos()) + " " + e.node() + ": " + e.detail());
    });
  }

  /**
   * Pre-vote at work: while cut off, the old leader asked for pre-votes (kafka.kraft.prospective) but, never granted, did
   * not become a candidate, so its epoch did not climb; after the heal at 20s it follows and no new leader is elected.
   */
  static StoryCheck preVoteRefusedAfterHeal(String name) {
    long cut = Durations.seconds(8);
    long heal = Durations.seconds(20);
    return new StoryCheck(name, c -> {
      TraceEvent isolated = c.story().first(e -> e.node().equals("sim") && e.detail().startsWith("partitioned the active controller "));
      if (isolated == null) return CheckResult.failed(name, "no controller was isolated");
      String old = isolated.detail().substring("partitioned the active controller ".length()).split(" ")[0];
      TraceEvent asked = c.story().first(e -> e.kind().equals("kafka.kraft.prospective") && e.node().equals(old) && e.timeNanos() > cut);
      if (asked == null) return CheckResult.failed(name, old + " never asked for pre-votes while cut off");
      TraceEvent campaigned = c.story().first(e -> e.kind().equals("kafka.kraft.candidate") && e.node().equals(old) && e.timeNanos() > cut);
      if (campaigned != null) return CheckResult.failed(name, old + " became a candidate at " + Durations.format(campaigned.timeNanos()));
      TraceEvent deposed = c.story().first(e -> e.kind().equals("kafka.kraft.leader") && e.timeNanos() > heal);
      if (deposed != null) return CheckResult.failed(name, "after the heal, at " + Durations.format(deposed.timeNanos()) + " " + deposed.detail());
      TraceEvent follows = c.story().first(e -> e.kind().equals("kafka.kraft.follower") && e.node().equals(old) && e.timeNanos() > heal);
      return CheckResult.of(name, follows != null, follows == null ? old + " never followed the new leader after the heal"
          : "at " + Durations.format(asked.timeNanos()) + " " + asked.detail() + " (never granted, so no candidacy); at "
              + Durations.format(follows.timeNanos()) + ": " + follows.detail() + "; the leader kept its epoch");
    });
  }

  static StoryCheck electedAfterFence(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent fenced = c.story().first("note", null, "fences b1: no heartbeat");
      if (fenced == null) return CheckResult.failed(name, "b1 was never fenced");
      TraceEvent elected = c.story().first(e -> e.kind().equals("kafka.leader.elected") && e.timeNanos() >= fenced.timeNanos()
          && e.detail().contains("leader b1 fenced") && !"b1".equals(e.attribute("leader")));
      return CheckResult.of(name, elected != null, elected == null ? "no partition b1 led got a new leader"
          : "at " + Durations.format(elected.timeNanos()) + ": " + elected.detail());
    });
  }

  private static int epoch(TraceEvent e) {
    return e.attribute("epoch") instanceof Number n ? n.intValue() : -1;
  }
}
