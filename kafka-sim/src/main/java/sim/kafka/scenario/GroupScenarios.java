package sim.kafka.scenario;

import static sim.kafka.scenario.StoryChecks.saw;

import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.kafka.client.GroupConsumerConfig;
import sim.kafka.client.GroupLedger;
import sim.kafka.client.ProducerConfig;
import sim.kafka.scenario.KafkaScenario.StoryCheck;

/**
 * Consumer-group lessons: a member dies and its partitions move after session.timeout.ms; the coordinator
 * dies and the next leader of its __consumer_offsets partition loads the group; committing before
 * processing loses records across a crash; eager rebalancing stops everyone, cooperative only what moves;
 * a static member restarts without a rebalance.
 */
final class GroupScenarios {
  static final String GROUP = "billing";
  static final String WATCH = " Breakpoints: kafka.group.join, kafka.group.generation, kafka.consumer.assign, kafka.group.sync, "
      + "kafka.consumer.assigned, kafka.consumer.process, kafka.group.commit, kafka.group.member.expired, kafka.group.load; "
      + "`state b1` shows the groups a broker coordinates, `state c1` a member's partitions and positions.";

  /** Long enough, after every fault heals, for expired members to be noticed and the group to settle and catch up. */
  static final long LIVENESS = 90;

  private GroupScenarios() {}

  /** 6 partitions, 3 brokers, min.insync.replicas=2, 400 keyed records, __consumer_offsets with 3 partitions. */
  static ClusterSpec groupCluster(int members, GroupConsumerConfig config) {
    return KafkaScenarios.acksAllMinIsr2().withPartitions(6).withConsumer(false)
        .withProducer(ProducerConfig.defaults().withWorkload(400, 50, true))
        .withGroup(new ClusterSpec.GroupSpec(members, config, 3));
  }

  static GroupConsumerConfig config(String assignor) {
    return GroupConsumerConfig.defaults(GROUP).withAssignor(assignor).withSessionTimeoutMs(10_000).withMaxPollIntervalMs(20_000)
        .withAutoOffsetReset("earliest");
  }

  static final String DEVIATIONS = " Deviations said here: offsets.topic.num.partitions=3 (Kafka's default is 50), session.timeout.ms=10000 "
      + "(default 45000) and max.poll.interval.ms=20000 (default 300000, also the rebalance timeout) keep the run short; auto.offset.reset=earliest (default latest) so every record is read.";

  static KafkaScenario memberFailover() {
    return new KafkaScenario("kafka.group-consumer-failover",
        "How a consumer group handles failures: a member dies, its partitions move to the others after session.timeout.ms, nothing is skipped",
        "Three consumers c1..c3 in group billing share the 6 partitions of orders (range assignor: two each). Each finds the group "
            + "coordinator, the leader of __consumer_offsets partition abs(hash(billing)) % 3, joins (a new member first gets its id "
            + "with MEMBER_ID_REQUIRED), the leader member runs the assignor and SyncGroup hands out the assignment. Members commit the "
            + "offset after processing what they fetched (at least once). At 12s c2 crashes: it stops heartbeating, and after "
            + "session.timeout.ms the coordinator removes it (kafka.group.member.expired) and rebalances; c1 and c3 take over c2's "
            + "partitions from its last committed offsets, so records c2 processed but had not committed are processed again, and "
            + "nothing is skipped. c2 returns at 40s and the group rebalances once more." + DEVIATIONS + WATCH,
        groupCluster(3, config("range")), "at 12s crash c2; at 40s restart c2", 45, LIVENESS, null,
        saw("kafka.story.member-expired", "kafka.group.member.expired", null, "session.timeout.ms", "the crashed member's session expired"),
        partitionsMoved("kafka.story.partitions-move-to-the-survivors", "c2"),
        saw("kafka.story.resumes-at-committed-offsets", "note", null, "resumes at committed offset", "a new owner resumed at the committed offset"));
  }

  static KafkaScenario coordinatorFailover() {
    return new KafkaScenario("kafka.group-coordinator-failover",
        "The group coordinator fails: the next leader of its __consumer_offsets partition loads the group and its committed offsets",
        "The group coordinator is whichever broker leads the group's __consumer_offsets partition. At 15s that broker crashes. The "
            + "controller elects another in-sync replica of the partition; becoming its leader, that broker replays the partition's log "
            + "(kafka.group.load: the group's metadata record and the last commit per partition) and coordinates the group from then on. "
            + "The members hear the reset, find the new coordinator (FindCoordinator) and carry on heartbeating in the same generation; "
            + "their commits land on the new coordinator, and no committed offset goes back." + DEVIATIONS + WATCH,
        groupCluster(3, config("range")), "", 45, LIVENESS,
        (sim, cluster) -> sim.schedule(Durations.seconds(15), "crash the group coordinator", () -> {
          var tp = cluster.groupChecks().offsetsPartition();
          for (var b : cluster.brokers()) {
            var v = cluster.broker(b) == null ? null : cluster.broker(b).view(tp);
            if (v != null && v.leader()) {
              sim.crash(b);
              return;
            }
          }
          sim.trace().record("sim", "fault", "no live coordinator to crash");
        }),
        loadedOnAnotherBroker("kafka.story.new-coordinator-loads-the-group"),
        saw("kafka.story.members-find-it", "note", null, "finding the coordinator again", "members looked the coordinator up again"));
  }

  static KafkaScenario atMostOnce() {
    GroupConsumerConfig c = config("range").withCommitMode(GroupConsumerConfig.CommitMode.BEFORE_PROCESSING);
    return new KafkaScenario("kafka.group-at-most-once",
        "At most once: committing before processing loses the records a member had committed but not processed when it crashed",
        "The same group as kafka.group-consumer-failover, but each member commits the offset of what it fetched first and processes "
            + "the records only once that commit is acknowledged. When c2 crashes at 12s, records it had committed but not yet "
            + "processed are skipped by the member that takes over (it starts at the committed offset): at most once. Committing after "
            + "processing (the other scenario) gives at least once instead: duplicates, never gaps." + DEVIATIONS + WATCH,
        groupCluster(3, c), "at 12006ms crash c2; at 40s restart c2", 45, LIVENESS, null,
        saw("kafka.story.member-expired", "kafka.group.member.expired", null, "session.timeout.ms", "the crashed member's session expired"),
        skipped("kafka.story.committed-but-never-processed"));
  }

  static KafkaScenario eagerRebalance() {
    return new KafkaScenario("kafka.group-rebalance-eager",
        "Eager rebalancing is stop-the-world: when a member joins, every member revokes all its partitions first",
        "Two members consume orders with the range assignor; a third starts at 20s. With an eager assignor (range, roundrobin, "
            + "sticky) every member revokes all its partitions (kafka.consumer.revoke ... everything) before rejoining, and nobody "
            + "consumes until the new generation's SyncGroup: all six partitions pause. Compare kafka.group-rebalance-cooperative." + DEVIATIONS + WATCH,
        groupCluster(3, config("range")), "at 0s crash c3; at 20s restart c3", 40, LIVENESS, null,
        saw("kafka.story.everyone-revokes", "kafka.consumer.revoke", "c1", "eager rebalance", "c1 revoked everything to rejoin"));
  }

  static KafkaScenario cooperativeRebalance() {
    return new KafkaScenario("kafka.group-rebalance-cooperative",
        "Cooperative rebalancing: members keep what they own; only the partitions that move are revoked, in a second rebalance",
        "The same join as kafka.group-rebalance-eager with cooperative-sticky. Members rejoin owning their partitions; the assignor keeps "
            + "each where it is and holds back the ones that must move to the new member; their old owners revoke just those and rejoin, "
            + "and the second rebalance hands them over. Everything else is consumed throughout." + DEVIATIONS + WATCH,
        groupCluster(3, config("cooperative-sticky")), "at 0s crash c3; at 20s restart c3", 40, LIVENESS, null,
        saw("kafka.story.only-what-moves-is-revoked", "kafka.consumer.revoke", null, "cooperative rebalance", "a member revoked only what moves"),
        noEagerRevoke("kafka.story.nobody-revokes-everything"));
  }

  static KafkaScenario staticMember() {
    GroupConsumerConfig c = config("range").withGroupInstanceId("billing-host");
    return new KafkaScenario("kafka.group-static-member-restart",
        "Static membership (group.instance.id): a member that restarts within session.timeout.ms gets its partitions back without a rebalance",
        "Members have a group.instance.id. At 15s c2's process restarts (crash at 15s, back at 17s). It rejoins with a new member id "
            + "but the same instance id: the coordinator replaces the old member with it and answers with the current generation and "
            + "assignment, without a rebalance (kafka.group.join ... static member ... no rebalance). A dynamic member would have cost "
            + "the whole group a rebalance twice." + DEVIATIONS + WATCH,
        groupCluster(3, c), "at 15s crash c2; at 17s restart c2", 40, LIVENESS, null,
        saw("kafka.story.static-rejoin-without-rebalance", "kafka.group.join", null, "no rebalance", "c2 rejoined without a rebalance"));
  }

  /** The crashed member's partitions were assigned to others in a later generation. */
  static StoryCheck partitionsMoved(String name, String crashed) {
    return new StoryCheck(name, c -> {
      GroupLedger.Assignment first = null;
      for (GroupLedger.Assignment a : c.groupLedger().assignments()) {
        if (first == null && a.client().equals(crashed) && !a.partitions().isEmpty()) first = a;
      }
      if (first == null) return CheckResult.failed(name, crashed + " never owned anything");
      for (GroupLedger.Assignment a : c.groupLedger().assignments()) {
        if (!a.client().equals(crashed) && a.generation() > first.generation() && a.partitions().stream().anyMatch(first.partitions()::contains)) {
          return CheckResult.ok(name, crashed + "'s " + first.partitions() + " (generation " + first.generation() + ") went to " + a.client()
              + " in generation " + a.generation() + ": " + a.partitions());
        }
      }
      return CheckResult.failed(name, crashed + "'s partitions never moved to another member");
    });
  }

  /** A broker other than the one that coordinated the group first loaded it from the offsets partition. */
  static StoryCheck loadedOnAnotherBroker(String name) {
    return new StoryCheck(name, c -> {
      var first = c.story().first("kafka.group.commit", null, GROUP);
      if (first == null) return CheckResult.failed(name, "the group never committed");
      var load = c.story().first(e -> e.kind().equals("kafka.group.load") && e.detail().contains(GROUP) && !e.node().equals(first.node()));
      return CheckResult.of(name, load != null, load == null ? "no other broker loaded " + GROUP + " (first coordinator " + first.node() + ")"
          : first.node() + " coordinated " + GROUP + " first; " + load.node() + " loaded it at " + Durations.format(load.timeNanos()) + ": " + load.detail());
    });
  }

  /** Records in the log whose offsets were committed but that no member ever processed: at most once. */
  static StoryCheck skipped(String name) {
    return new StoryCheck(name, c -> {
      java.util.Set<String> processed = new java.util.HashSet<>();
      for (GroupLedger.Processed p : c.groupLedger().processed()) processed.add(p.tp() + ":" + p.offset());
      java.util.List<String> missed = new java.util.ArrayList<>();
      for (var tp : c.dataPartitions()) {
        for (var e : c.finalLog(tp).entrySet()) if (!processed.contains(tp + ":" + e.getKey())) missed.add(e.getValue() + "@" + tp + ":" + e.getKey());
      }
      return CheckResult.of(name, !missed.isEmpty(), missed.isEmpty() ? "every record was processed" : missed.size()
          + " records were committed past and never processed: " + missed.subList(0, Math.min(6, missed.size())));
    });
  }

  static StoryCheck noEagerRevoke(String name) {
    return new StoryCheck(name, c -> {
      var eager = c.story().first("kafka.consumer.revoke", null, "eager");
      return CheckResult.of(name, eager == null, eager == null ? "no member revoked everything" : eager.detail());
    });
  }
}
