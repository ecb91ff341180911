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
    return List.of(controllerFailover(), partitionedController(), brokerFenced(), metadataSnapshot());
  }

  /**
   * The scenario's lowered thresholds, Kafka's names: metadata.log.max.record.bytes.between.snapshots 200 (20 MiB),
   * metadata.max.retention.bytes 1024 (100 MiB), metadata.log.segment.bytes 1024 (1 GiB), FetchSnapshot MaxBytes 200
   * (KafkaRaftClient's 8 MiB), and the log cleaner every 10 s (KafkaRaftClient: every 60 s), so a short run snapshots, trims
   * and fetches a snapshot in several chunks.
   */
  static sim.kafka.raft.RaftConfig snapshotQuorum() {
    return sim.kafka.raft.RaftConfig.defaults(List.of()).withMaxRecordBytesBetweenSnapshots(200).withSnapshotRetention(1024, 604_800_000, 1024, 200)
        .withLogCleanIntervalMs(10_000);
  }

  static KafkaScenario metadataSnapshot() {
    return new KafkaScenario("kafka.kraft-metadata-snapshot",
        "KRaft: a controller and a broker that were down while the metadata log was snapshotted and trimmed catch up from a snapshot (FetchSnapshot)",
        "Every controller and broker writes a snapshot of the committed metadata once metadata.log.max.record.bytes.between.snapshots "
            + "(lowered to 200 bytes) of committed batches follow its last one (kafka.kraft.snapshot). At 3s a follower controller and "
            + "broker b3 crash. The active controller fences b3 (broker.session.timeout.ms); b2 crashes at 12s and registers again at "
            + "13s, so its leaderships move and ISRs shrink and grow: more metadata, more snapshots. Every 10 s (lowered from KafkaRaftClient's 60 s) each raft client's log cleaner (KafkaMetadataLog.maybeClean) finds the log "
            + "and snapshots above metadata.max.retention.bytes (lowered to 1024) and moves the log start offset to its newer "
            + "snapshot, deleting the older snapshot and the segments below (kafka.kraft.log-start). At 25s both restart: each loads "
            + "its own latest snapshot and replays its log after it, then fetches from the leader from its log end, which is now "
            + "below the leader's log start. The leader answers with its latest snapshot's id (FetchResponse SnapshotId); the "
            + "follower downloads it with FetchSnapshot in 200-byte chunks (kafka.kraft.fetch-snapshot), fsyncs and renames it, "
            + "replaces its whole log with an empty one at the snapshot's end (truncateToLatestSnapshot, kafka.kraft.snapshot-loaded) "
            + "and fetches on from there. b3's metadata loader rebuilds its image from the snapshot (kafka.broker.metadata.snapshot), "
            + "replays the log after it, catches up with its new registration and is unfenced."
            + " Breakpoints: kafka.kraft.snapshot, kafka.kraft.log-start, kafka.kraft.fetch-snapshot, kafka.kraft.snapshot-loaded, "
            + "kafka.broker.metadata.snapshot, kafka.broker.metadata.caught-up; `state controller-2` lists the log range and snapshots.",
        spec(), "at 3s crash b3; at 12s crash b2; at 13s restart b2; at 25s restart b3", 40,
        (sim, cluster) -> {
          sim.schedule(Durations.seconds(3), "crash a follower controller", () -> crashFollower(sim, cluster));
          sim.schedule(Durations.seconds(25), "restart the crashed controller", () -> restartCrashed(sim, cluster));
        },
        caughtUpFromSnapshot("kafka.story.controller-catches-up-from-snapshot", true),
        caughtUpFromSnapshot("kafka.story.broker-catches-up-from-snapshot", false))
        .withControllers(3).withQuorum(snapshotQuorum());
  }

  /**
   * A node restarted after the log start moved past its log end downloaded a snapshot (kafka.kraft.snapshot-loaded) after
   * the leader trimmed (kafka.kraft.log-start), and then fetched on: its log grew past the snapshot, or (a broker) it
   * loaded the snapshot as its image and caught up with its registration.
   */
  static StoryCheck caughtUpFromSnapshot(String name, boolean controller) {
    return new StoryCheck(name, c -> {
      TraceEvent trimmed = c.story().first(e -> e.kind().equals("kafka.kraft.log-start"));
      if (trimmed == null) return CheckResult.failed(name, "no raft client ever moved its log start past a snapshot");
      TraceEvent loaded = c.story().first(e -> e.kind().equals("kafka.kraft.snapshot-loaded") && e.node().startsWith("controller") == controller
          && e.timeNanos() > trimmed.timeNanos());
      if (loaded == null) return CheckResult.failed(name, "no " + (controller ? "controller" : "broker") + " downloaded a snapshot after " + trimmed.detail());
      if (!controller) {
        TraceEvent image = c.story().first(e -> e.kind().equals("kafka.broker.metadata.snapshot") && e.node().equals(loaded.node()) && e.timeNanos() >= loaded.timeNanos());
        TraceEvent caught = c.story().first(e -> e.kind().equals("kafka.broker.metadata.caught-up") && e.node().equals(loaded.node()) && e.timeNanos() >= loaded.timeNanos());
        return CheckResult.of(name, image != null && caught != null, image == null ? loaded.node() + " never loaded the downloaded snapshot as its image"
            : caught == null ? loaded.node() + " loaded the snapshot but never caught up" : "at " + Durations.format(loaded.timeNanos()) + ": " + loaded.detail()
                + "; at " + Durations.format(caught.timeNanos()) + ": " + caught.detail());
      }
      TraceEvent later = c.story().first(e -> e.kind().equals("kafka.kraft.hw.advance") && e.timeNanos() > loaded.timeNanos());
      sim.kafka.raft.KraftController k = c.simulation().node(sim.core.NodeId.of(loaded.node()), sim.kafka.raft.KraftController.class);
      long end = loaded.attribute("endOffset") instanceof Number n ? n.longValue() : -1;
      boolean grew = k != null && k.raft().log().logEndOffset() > end;
      return CheckResult.of(name, grew, grew ? "at " + Durations.format(loaded.timeNanos()) + ": " + loaded.detail() + "; its log now ends at "
          + k.raft().log().logEndOffset() : loaded.node() + "'s log did not grow past the snapshot " + end + (later == null ? "" : ""));
    });
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

  private static void crashFollower(Simulation sim, KafkaCluster cluster) {
    NodeId active = cluster.activeControllerId();
    for (NodeId v : cluster.voters()) {
      if (v.equals(active) || !sim.isUp(v)) continue;
      sim.crash(v);
      sim.trace().record("sim", "note", "crashed the follower controller " + v);
      return;
    }
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
