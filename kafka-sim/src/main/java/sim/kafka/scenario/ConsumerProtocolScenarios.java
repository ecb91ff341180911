package sim.kafka.scenario;

import static sim.kafka.scenario.StoryChecks.saw;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.GroupConsumerConfig;
import sim.kafka.client.GroupLedger;
import sim.kafka.scenario.KafkaScenario.StoryCheck;

/**
 * KIP-848's consumer protocol (group.protocol=consumer): the coordinator assigns, members reconcile one heartbeat at a
 * time, and a partition moves only when its owner gave it up; nobody else stops.
 */
final class ConsumerProtocolScenarios {
  static final String WATCH = " Breakpoints: kafka.consumer.join, kafka.group.epoch, kafka.group.target, kafka.group.reconcile, "
      + "kafka.consumer.revoke, kafka.consumer.assigned, kafka.consumer.process, kafka.group.commit, kafka.group.member.fenced, kafka.group.load; "
      + "`state b1` shows the groups a broker coordinates (epochs, each member's state), `state c1` a member's partitions.";
  static final String DEVIATIONS = " Deviations said here: offsets.topic.num.partitions=3 (Kafka's default is 50) and auto.offset.reset=earliest "
      + "(default latest) so every record is read; group.consumer.heartbeat.interval.ms=5000, group.consumer.session.timeout.ms=45000 and "
      + "the rebalance timeout max.poll.interval.ms=300000 are Kafka's defaults.";

  private ConsumerProtocolScenarios() {}

  static GroupConsumerConfig config() {
    return GroupConsumerConfig.defaults(GroupScenarios.GROUP).withAutoOffsetReset("earliest").withGroupProtocol(GroupConsumerConfig.CONSUMER, null);
  }

  static KafkaScenario rebalance() {
    return new KafkaScenario("kafka.consumer-protocol-rebalance",
        "KIP-848's consumer protocol: a member joins and partitions move one revocation at a time while everyone keeps consuming",
        "c1 and c2 consume the 6 partitions of orders with group.protocol=consumer: no JoinGroup, no leader, no client assignor. Each "
            + "heartbeats its coordinator (ConsumerGroupHeartbeat, member epoch 0 to join), which runs the server-side uniform assignor "
            + "when the group epoch moves (kafka.group.target) and steps each member towards its target (kafka.group.reconcile). At 20s "
            + "c3 joins: group epoch +1, a new target takes one partition from c1 and one from c2. Each of them, on its next heartbeat, is "
            + "told to revoke just that one (UNREVOKED_PARTITIONS, same epoch), commits it, stops fetching it and acknowledges with a "
            + "heartbeat that no longer lists it; only then does c3 get it (until then c3 waits in UNRELEASED_PARTITIONS). c1 and c2 "
            + "process their other partitions throughout: no stop-the-world barrier. Compare kafka.group-rebalance-eager and "
            + "kafka.group-rebalance-cooperative (try --break " + sim.kafka.group.ConsumerGroupConfig.ASSIGN_BEFORE_REVOCATION + "). The producer "
            + "writes 800 records, one each 50 ms, so that records keep coming while the partitions move." + DEVIATIONS + WATCH,
        GroupScenarios.groupCluster(3, config()).withProducer(sim.kafka.client.ProducerConfig.defaults().withWorkload(800, 50, true)),
        "at 0s crash c3; at 20s restart c3", 45, GroupScenarios.LIVENESS, null,
        incrementalMove("kafka.story.partitions-move-one-revocation-at-a-time", "c3"),
        newMemberWaits("kafka.story.new-member-waits-for-release", "c3"));
  }

  static KafkaScenario memberCrash() {
    return new KafkaScenario("kafka.consumer-protocol-member-crash",
        "KIP-848: a member crashes; after group.consumer.session.timeout.ms (45 s) the coordinator fences it and its partitions move",
        "c1, c2 and c3 share orders' 6 partitions with group.protocol=consumer, two each. At 12s c2 crashes: its heartbeats stop. "
            + "The coordinator waits group.consumer.session.timeout.ms=45000 from its last heartbeat (at most 5 s before the crash), then fences it (kafka.group.member.fenced: its records "
            + "deleted, group epoch +1); the next heartbeat computes a target without c2, and c1 and c3 each take one of its partitions "
            + "from its last committed offset (records c2 processed but had not committed are processed again: at least once). Nothing "
            + "had to be revoked, so nobody else paused. c2 comes back at 70s with a new member id and joins again." + DEVIATIONS + WATCH,
        GroupScenarios.groupCluster(3, config()), "at 12s crash c2; at 70s restart c2", 75, GroupScenarios.LIVENESS, null,
        saw("kafka.story.member-fenced-after-session-timeout", "kafka.group.member.fenced", null, "session.timeout.ms",
            "the crashed member was fenced after its session timeout"),
        GroupScenarios.partitionsMoved("kafka.story.partitions-move-to-the-survivors", "c2"));
  }

  /** After the joiner's join, the coordinator held a partition back from a member until its owner released it. */
  static StoryCheck newMemberWaits(String name, String joiner) {
    return new StoryCheck(name, c -> {
      TraceEvent join = c.story().first(e -> e.kind().equals("kafka.consumer.join") && e.node().equals(joiner));
      TraceEvent wait = join == null ? null : c.story().first(e -> e.kind().equals("kafka.group.reconcile") && e.timeNanos() > join.timeNanos()
          && e.detail().contains("UNRELEASED_PARTITIONS"));
      return CheckResult.of(name, wait != null, wait == null ? "no member waited for a partition to be released after " + joiner + " joined"
          : "a member waited for its partitions' release at " + Durations.format(wait.timeNanos()) + ": " + wait.detail());
    });
  }

  /**
   * The joiner's partitions came from revocations of one partition (not everything) by members that kept consuming
   * their others meanwhile, and it received each only after the revoking member's revocation.
   */
  static StoryCheck incrementalMove(String name, String joiner) {
    return new StoryCheck(name, c -> {
      TraceEvent join = c.story().first(e -> e.kind().equals("kafka.consumer.join") && e.node().equals(joiner));
      if (join == null) return CheckResult.failed(name, joiner + " never joined");
      List<TraceEvent> revokes = new ArrayList<>();
      for (TraceEvent e : c.story().events()) if (e.kind().equals("kafka.consumer.revoke") && e.timeNanos() > join.timeNanos()) revokes.add(e);
      if (revokes.isEmpty()) return CheckResult.failed(name, "nobody revoked anything after " + joiner + " joined");
      TraceEvent first = revokes.get(0);
      GroupLedger.Assignment before = lastAssignment(c, first.node(), first.timeNanos());
      GroupLedger.Assignment after = firstAssignmentAfter(c, first.node(), first.timeNanos() - 1);
      if (after == null || after.partitions().isEmpty()) return CheckResult.failed(name, first.node() + " gave up everything: " + first.detail());
      GroupLedger.Assignment joined = null;
      for (GroupLedger.Assignment a : c.groupLedger().assignments()) {
        if (a.client().equals(joiner) && a.atNanos() > first.timeNanos() && !new TreeSet<>(a.partitions()).isEmpty()) {
          TreeSet<TopicPartition> got = new TreeSet<>(a.partitions());
          if (before != null) got.retainAll(before.partitions());
          if (!got.isEmpty()) {
            joined = a;
            break;
          }
        }
      }
      if (joined == null) return CheckResult.failed(name, "what " + first.node() + " revoked never reached " + joiner);
      long handedOverAt = joined.atNanos();
      long processedMeanwhile = c.groupLedger().processed().stream().filter(p -> p.client().equals(first.node()) && p.atNanos() > join.timeNanos()
          && p.atNanos() < handedOverAt && after.partitions().contains(p.tp())).count();
      boolean shown = processedMeanwhile > 0;
      return CheckResult.of(name, shown, first.node() + " revoked only part of " + (before == null ? "?" : before.partitions()) + " at "
          + Durations.format(first.timeNanos()) + " and kept " + after.partitions() + " (" + processedMeanwhile
          + " records processed from them between " + joiner + "'s join and the hand-over); " + joiner + " got " + joined.partitions() + " at epoch " + joined.generation() + ", " + Durations.format(joined.atNanos()));
    });
  }

  private static GroupLedger.Assignment lastAssignment(KafkaCluster c, String client, long beforeNanos) {
    GroupLedger.Assignment last = null;
    for (GroupLedger.Assignment a : c.groupLedger().assignments()) if (a.client().equals(client) && a.atNanos() < beforeNanos) last = a;
    return last;
  }

  private static GroupLedger.Assignment firstAssignmentAfter(KafkaCluster c, String client, long afterNanos) {
    for (GroupLedger.Assignment a : c.groupLedger().assignments()) if (a.client().equals(client) && a.atNanos() > afterNanos) return a;
    return null;
  }
}
