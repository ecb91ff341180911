package sim.kafka.scenario;

import static sim.kafka.scenario.StoryChecks.ackedLossExplainedBy;
import static sim.kafka.scenario.StoryChecks.duplicatesExplainedBy;
import static sim.kafka.scenario.StoryChecks.saw;
import static sim.kafka.scenario.StoryChecks.sawWithout;

import java.util.List;
import sim.core.Durations;
import sim.core.check.BreakRule;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.RuleBreaks;
import sim.kafka.client.ProducerConfig;
import sim.kafka.log.LogConfig;

/** Kafka's replication lessons, one per question users ask: how it writes, fails over, and what acks mean. */
public final class KafkaScenarios implements ScenarioProvider {
  static final String WATCH = " Breakpoints: kafka.producer.send, kafka.leader.append, kafka.follower.fetch, kafka.hw.advance, "
      + "kafka.producer.ack, kafka.isr.shrink, kafka.leader.elected, kafka.log.truncate; `state b1` shows leader, epoch, ISR, LEO, HW and segments.";

  static ClusterSpec acksAllMinIsr2() {
    return ClusterSpec.threeBrokers().withBroker(KafkaConfig.defaults().withMinInsyncReplicas(2));
  }

  @Override
  public List<Scenario> scenarios() {
    return List.of(writePath(), slowFollowerMinInsync(), leaderCrash(), leaderPaused(), uncleanElection(), offlinePartition(),
        epochDivergence(), retriesWithoutIdempotence(), idempotentProducer(), isolatedLeaderAcks1(), allReplicasCrash(),
        controlledShutdown(), corruptSegmentRecovery(), CompactionScenarios.compactionWritePath(), RetentionScenarios.retention(), GroupScenarios.memberFailover(), GroupScenarios.coordinatorFailover(),
        GroupScenarios.atMostOnce(), GroupScenarios.eagerRebalance(), GroupScenarios.cooperativeRebalance(), GroupScenarios.staticMember(),
        ConsumerProtocolScenarios.rebalance(), ConsumerProtocolScenarios.memberCrash(),
        EosScenarios.transactions(), EosScenarios.zombieFenced(), EosScenarios.hangingTransaction(), EosCtpScenario.scenario(),
        EosVerificationScenario.scenario(), KraftScenarios.controllerFailover(), KraftScenarios.partitionedController(),
        KraftScenarios.brokerFenced(), KraftScenarios.metadataSnapshot());
  }

  @Override
  public List<BreakRule> breakRules() {
    return RuleBreaks.rules();
  }

  public static KafkaScenario writePath() {
    return new KafkaScenario("kafka.write-path",
        "How Kafka writes: the happy path with acks=all, RF 3, min.insync.replicas=2, 3 partitions",
        "The write path of a record: the producer picks the partition with murmur2 of the key, sends a RecordBatch v2 "
            + "to the partition leader, the leader stamps offsets and its leader epoch and appends to the active segment "
            + "(no fsync), followers long-poll the leader with fetch requests and append the same bytes, the leader "
            + "moves the high watermark to the smallest LEO in the ISR, and only then answers the acks=all request. "
            + "Consumers only see records below the high watermark: the leader serves a consumer fetch up to its HW "
            + "(kafka.consumer.fetch) and the consumer's poll returns them (kafka.consumer.poll). No faults: every "
            + "acknowledged record is kept." + WATCH,
        acksAllMinIsr2().withPartitions(3), "", 20, null, StoryChecks.writePathInOrder("kafka.story.write-path-in-order"));
  }

  public static KafkaScenario slowFollowerMinInsync() {
    return new KafkaScenario("kafka.consistency-slow-followers-min-insync",
        "How acks and ISR settings decide consistency: stuck followers leave the ISR, acks=all with min.insync.replicas=2 is refused",
        "At 6s both followers stop receiving the leader's fetch responses (they keep asking, so they look alive but never "
            + "catch up). acks=all requests wait for a high watermark that cannot move and time out after request.timeout.ms. "
            + "After replica.lag.time.max.ms (30s) without catching up the leader shrinks the ISR to itself "
            + "(kafka.isr.shrink); from then on min.insync.replicas=2 makes the leader refuse acks=all writes with "
            + "NOT_ENOUGH_REPLICAS before appending: Kafka chooses unavailability over acknowledging a write only one "
            + "broker has. At 50s the network heals, followers catch up to the HW and rejoin the ISR (kafka.isr.expand)."
            + WATCH,
        acksAllMinIsr2().withProducer(ProducerConfig.defaults().withWorkload(900, 60, true)),
        "at 6s block b1->b2; at 6s block b1->b3; at 50s heal", 60, null,
        saw("kafka.story.isr-shrinks-to-the-leader", "kafka.isr.shrink", "b1", "propose ISR [b1]", "the ISR shrank to the leader alone"),
        saw("kafka.story.not-enough-replicas", "note", "b1", "NOT_ENOUGH_REPLICAS", "acks=all refused with NOT_ENOUGH_REPLICAS"),
        saw("kafka.story.followers-rejoin", "kafka.isr.expand", "b1", "caught up", "a follower caught up and rejoined the ISR"));
  }

  public static KafkaScenario leaderCrash() {
    return new KafkaScenario("kafka.failover-leader-crash",
        "How Kafka handles failures: the leader crashes, the controller elects the next in-sync replica, nothing acknowledged is lost",
        "With acks=all and min.insync.replicas=2 every acknowledged record is on at least two in-sync replicas. At 8s "
            + "the leader b1 crashes and loses its page cache. The controller notices missing heartbeats after "
            + "broker.session.timeout.ms (9s), removes b1 from the ISR and elects the first live in-sync replica in "
            + "assignment order with a new leader epoch (kafka.leader.elected). The producer's requests time out or get "
            + "NOT_LEADER_OR_FOLLOWER, it refreshes metadata and retries to the new leader; the idempotent producer's "
            + "sequence numbers make those retries safe. The crash closes b1's connections: the producer, the consumer and "
            + "the followers hear a TCP reset (conn.reset) at once, so the producer's requests in flight fail now instead of "
            + "after request.timeout.ms (30s), and it sends nothing to b1 until the new leader is known (compare "
            + "kafka.failover-leader-paused, where the same leader goes silent). At 22s b1 restarts, recovers its segments "
            + "(CRC check), asks the new leader where its last epoch ended (OffsetsForLeaderEpoch), truncates what diverged "
            + "and catches up." + WATCH,
        acksAllMinIsr2(), "at 8s crash b1; at 22s restart b1", 35, null,
        saw("kafka.story.crashed-leader-fenced", "kafka.leader.elected", null, "leader b1 fenced", "the controller fenced the crashed leader"),
        saw("kafka.story.next-in-sync-replica-leads", "kafka.leader.elected", null, "{leader b2 epoch 1", "b2, the first live ISR member, leads epoch 1"),
        StoryChecks.producerFailsOverWithin("kafka.story.reset-beats-the-timeout", "b1", 15_000,
            "the timeout path would wait request.timeout.ms=30000 ms"));
  }

  public static KafkaScenario leaderPaused() {
    return new KafkaScenario("kafka.failover-leader-paused",
        "A leader that freezes is silent: no connection reset, so the producer waits request.timeout.ms before failing over",
        "The same cluster as kafka.failover-leader-crash, but at 8s the leader b1 is paused (a long GC pause, a stopped "
            + "VM) instead of crashing. Its process is alive and its connections stay open: nobody hears a reset. The "
            + "controller still notices missing heartbeats after broker.session.timeout.ms (9s) and elects b2, but the "
            + "producer's requests to b1 just hang until request.timeout.ms (30s) expires; only then does it refresh "
            + "metadata and retry at b2. At 45s b1 wakes up still believing it leads epoch 0, learns it was replaced, "
            + "truncates and follows: silence-based detection is slower than a crash, and both are safe." + WATCH,
        acksAllMinIsr2(), "at 8s pause b1; at 45s resume b1", 60, null,
        saw("kafka.story.paused-leader-replaced", "kafka.leader.elected", null, "leader b1 fenced", "the controller fenced the silent leader"),
        StoryChecks.producerWaitsForTimeout("kafka.story.silence-waits-for-request-timeout"));
  }

  public static KafkaScenario uncleanElection() {
    KafkaConfig broker = new KafkaConfig(10_000, 1, true, 500, 1000, 30_000, 2000, 9000, 1 << 20, LogConfig.simulation().withFlushMessages(1));
    return new KafkaScenario("kafka.unclean-election-loses-acked",
        "Consistency: unclean.leader.election.enable=true lets an out-of-sync replica lead and acknowledged records are lost",
        "flush.messages=1 here, so crashes lose nothing from disk and only the election decides. "
            + "b3 stops receiving data at 5s and leaves the ISR after replica.lag.time.max.ms (10s here). Then b2 crashes "
            + "(out of the ISR) and later the leader b1 crashes: no in-sync replica is alive. With the default "
            + "unclean.leader.election.enable=false the partition would stay offline until b1 returns; here it is true, so "
            + "the controller makes b3 leader with ISR [b3] (kafka.leader.elected ... UNCLEAN). Records acknowledged with "
            + "acks=all by b1 and b2 were never on b3: when b1 and b2 return they truncate to b3's log. The check reports "
            + "the loss as the expected price of that setting." + WATCH,
        ClusterSpec.threeBrokers().withBroker(broker), UNCLEAN_FAULTS, 55, null,
        saw("kafka.story.unclean-election", "kafka.leader.elected", null, "UNCLEAN", "an out-of-sync replica was elected"),
        ackedLossExplainedBy("kafka.story.acked-records-lost-to-unclean-election", "unclean.leader.election.enable=true"));
  }

  static final String UNCLEAN_FAULTS = "at 5s block b1->b3; at 25s crash b2; at 36s crash b1; at 47s heal; at 50s restart b1; at 50s restart b2";

  public static KafkaScenario offlinePartition() {
    KafkaConfig broker = new KafkaConfig(10_000, 1, false, 500, 1000, 30_000, 2000, 9000, 1 << 20, LogConfig.simulation().withFlushMessages(1));
    return new KafkaScenario("kafka.offline-partition-clean-election",
        "Consistency over availability: with unclean.leader.election.enable=false (the default) the partition goes offline instead of losing acknowledged records",
        "The faults (and flush.messages=1) of kafka.unclean-election-loses-acked with Kafka's default setting. b3 falls out of the ISR at 5s; "
            + "b2 crashes at 25s and the leader b1 at 36s, so no in-sync replica is alive. The controller will not elect b3, "
            + "which lacks acknowledged records: the partition has no leader (kafka.leader.elected ... OFFLINE) and "
            + "produce requests fail until b1, the last in-sync replica, returns at 50s and leads again. b3 then truncates "
            + "nothing it should keep and catches up. Nothing acknowledged is lost; the price is the minutes offline."
            + WATCH,
        ClusterSpec.threeBrokers().withBroker(broker), UNCLEAN_FAULTS, 55, null,
        saw("kafka.story.partition-offline", "kafka.leader.elected", null, "OFFLINE", "the partition went offline"),
        saw("kafka.story.last-in-sync-replica-leads-again", "kafka.leader.elected", null, "{leader b1 epoch", "b1 led again when it returned"));
  }

  public static KafkaScenario epochDivergence() {
    KafkaConfig broker = KafkaConfig.defaults().withLog(LogConfig.simulation().withFlushMessages(1));
    return new KafkaScenario("kafka.epoch-divergence-kip101",
        "Leader epochs (KIP-101/279): a returning leader truncates the records that diverged instead of keeping them",
        "Two replicas, acks=1, flush.messages=1 so crashes lose nothing from disk and only replication decides. At 5s the "
            + "leader b1 stops reaching b2; b1 keeps appending acks=1 records that b2 never gets, then crashes at 8s. b2 is "
            + "still in the ISR and becomes leader in epoch 1, appending new records at the same offsets. When b1 returns "
            + "it asks b2 where epoch 0 ended (OffsetsForLeaderEpoch) and truncates its own epoch-0 tail there "
            + "(kafka.log.truncate) before fetching: the replicas agree again. Truncating to the high watermark instead "
            + "(Kafka before KIP-101) could lose committed records or leave the logs diverged. The acks=1 records only b1 "
            + "had are lost: expected with acks=1." + WATCH,
        ClusterSpec.threeBrokers().withReplication(2, 2).withBroker(broker).withProducer(ProducerConfig.defaults().withAcks(1)),
        "at 5s block b1->b2; at 8s crash b1; at 22s heal; at 23s restart b1", 35, null,
        saw("kafka.story.truncates-where-the-epoch-ended", "kafka.log.truncate", "b1", "epoch 0 ends at", "b1 truncated by OffsetsForLeaderEpoch"),
        ackedLossExplainedBy("kafka.story.acks1-records-lost", "acks=1"));
  }

  static ClusterSpec flakyResponses(boolean idempotence) {
    ProducerConfig p = ProducerConfig.defaults().withIdempotence(idempotence).withRequestTimeoutMs(3000);
    return acksAllMinIsr2().withProducer(p);
  }

  public static KafkaScenario retriesWithoutIdempotence() {
    return new KafkaScenario("kafka.retries-duplicate-without-idempotence",
        "Producer retries without enable.idempotence write the same records twice",
        "From 6s to 11s the leader's responses to the producer are lost. The records were appended and replicated, but "
            + "the producer only sees request.timeout.ms (3s here) expire, so it retries the same batches: the leader "
            + "appends them again at new offsets. The duplicates check reports them as the expected result of "
            + "enable.idempotence=false." + WATCH,
        flakyResponses(false), "at 6s block b1->producer; at 11s heal", 25, null,
        duplicatesExplainedBy("kafka.story.retries-duplicate", "enable.idempotence=false"));
  }

  public static KafkaScenario idempotentProducer() {
    return new KafkaScenario("kafka.idempotent-producer-no-duplicates",
        "The idempotent producer: the same lost responses and retries, no duplicates",
        "Same faults as kafka.retries-duplicate-without-idempotence, with enable.idempotence=true (the default): each "
            + "batch carries the producer id, epoch and base sequence. The leader keeps the last 5 batches per producer "
            + "and answers a retried batch with its original offset instead of appending it again; a batch that skips a "
            + "sequence is refused with OUT_OF_ORDER_SEQUENCE_NUMBER." + WATCH,
        flakyResponses(true), "at 6s block b1->producer; at 11s heal", 25, null,
        saw("kafka.story.duplicate-batches-recognised", "note", "b1", "duplicate batch from producer", "the leader recognised a retried batch"));
  }

  public static KafkaScenario isolatedLeaderAcks1() {
    ProducerConfig p = ProducerConfig.defaults().withAcks(1);
    return new KafkaScenario("kafka.isolated-leader-acks1-loses-writes",
        "Consistency: a leader cut off with its producer keeps acknowledging acks=1 writes that are then lost",
        "At 6s a partition leaves the leader b1 and the producer on one side, the controller and the followers on the "
            + "other. b1 still believes it leads and acknowledges acks=1 writes from its own log. The controller fences "
            + "b1 after broker.session.timeout.ms and elects b2 with a higher leader epoch. When the network heals b1 "
            + "learns it is a follower, truncates everything it appended alone and copies b2's log: the writes it "
            + "acknowledged are gone. With acks=all those writes would have waited for the ISR and failed instead." + WATCH,
        ClusterSpec.threeBrokers().withProducer(p), "at 6s partition b1,producer|b2,b3,controller,consumer; at 25s heal", 35, null,
        saw("kafka.story.deposed-leader-truncates", "kafka.log.truncate", "b1", "orders-0", "the deposed leader truncated"),
        ackedLossExplainedBy("kafka.story.acks1-records-lost", "acks=1"));
  }

  public static KafkaScenario allReplicasCrash() {
    return new KafkaScenario("kafka.all-replicas-crash-acks-all-is-not-fsync",
        "acks=all is not fsync: all replicas crash at once and the un-flushed tail of the log is lost",
        "Kafka leaves flush.messages and flush.ms unset: appends stay in the page cache and a segment is fsynced when "
            + "the next one rolls; durability comes from replication. At 12s all three brokers lose power together. On "
            + "restart each recovers its segments by validating batch CRCs and keeps only what reached the disk: the "
            + "acknowledged records of the active segment are gone on every replica. The check reports the loss as "
            + "the expected outcome of an ISR-wide outage." + WATCH,
        acksAllMinIsr2(), "at 12s crash b1; at 12s crash b2; at 12s crash b3; at 14s restart b1; at 14s restart b2; at 14s restart b3", 25, null,
        ackedLossExplainedBy("kafka.story.unflushed-tail-lost", "acks=all is not fsync"));
  }

  public static KafkaScenario controlledShutdown() {
    return new KafkaScenario("kafka.controlled-shutdown",
        "Controlled shutdown: leadership moves before the broker stops, logs are flushed, nothing is lost or stalled",
        "At 8s the operator stops b1 gracefully. b1 sends ControlledShutdown to the controller, which moves every "
            + "leadership b1 holds to the next in-sync replica (kafka.leader.elected ... controlled shutdown) and takes "
            + "b1 out of the ISR. b1 then flushes every log (a clean shutdown) and the process exits at 11s. Producers "
            + "switch leaders without waiting for a session timeout; at 20s b1 comes back and rejoins the ISR." + WATCH,
        acksAllMinIsr2(), "at 11s crash b1; at 20s restart b1", 30,
        (sim, cluster) -> sim.schedule(Durations.seconds(8), "operator: controlled shutdown of b1",
            () -> sim.inject(KafkaCluster.CONTROLLER, cluster.brokers().get(0), new KafkaMessage.BeginControlledShutdown())),
        sawWithout("kafka.story.leadership-moves-first", "kafka.leader.elected", "controlled shutdown of b1", "kafka.leader.elected",
            "leader b1 fenced", "leadership moved by controlled shutdown, no session timeout"),
        saw("kafka.story.logs-flushed-before-stop", "note", "b1", "controlled shutdown complete", "b1 flushed every log before stopping"));
  }

  public static KafkaScenario corruptSegmentRecovery() {
    KafkaConfig broker = KafkaConfig.defaults().withMinInsyncReplicas(2).withLog(LogConfig.simulation().withFlushMessages(1));
    return new KafkaScenario("kafka.corrupt-segment-recovery",
        "Recovery: a flipped byte in a follower's segment is found by the CRC check, the tail is cut and fetched again",
        "flush.messages=1 here, so every append reaches the disk. At 10s follower b2 crashes and, while it is down, "
            + "a byte of its first segment flips (a bad sector). On restart b2 validates every batch: the CRC32C of the "
            + "damaged batch does not match, so recovery keeps the batches before it, truncates the segment there and "
            + "deletes any later segment, reporting what it dropped (kafka.log.truncate ... recovery). b2 then fetches the "
            + "missing records from the leader and rejoins the ISR: replication repairs what the disk lost." + WATCH,
        ClusterSpec.threeBrokers().withBroker(broker),
        "at 10s crash b2; at 12s restart b2", 25, (sim, cluster) -> sim.schedule(Durations.millis(10_500),
            "bad sector: flip a byte in b2's first segment", () -> flipByte(sim, cluster.brokers().get(1), "orders-0/00000000000000000000.log")),
        saw("kafka.story.recovery-finds-the-bad-crc", "kafka.log.truncate", "b2", "CRC", "b2's recovery cut the log at the bad CRC"),
        saw("kafka.story.replica-refetches", "kafka.isr.expand", null, "b2 caught up", "b2 fetched the rest again and rejoined the ISR"));
  }

  /** Corrupts one byte in the middle of {@code file} if it has any bytes (random faults may have left it empty). */
  static void flipByte(sim.core.Simulation sim, sim.core.NodeId node, String file) {
    sim.core.disk.SimDisk disk = sim.disk(node);
    long size = disk.exists(file) ? disk.size(file) : 0;
    if (size == 0) {
      sim.trace().record(node.name(), "fault", "no bytes in " + file + " to corrupt");
      return;
    }
    disk.corrupt(file, Math.min(700, size / 2), 1);
  }
}
