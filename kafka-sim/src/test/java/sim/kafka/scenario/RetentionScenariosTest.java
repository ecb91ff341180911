package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.fault.FaultPlan;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.ProducerConfig;
import sim.kafka.log.Log;
import sim.kafka.log.LogConfig;

/** Retention's lesson over several seeds, and the log start offset checkpoint across a restart. */
class RetentionScenariosTest {
  @Test
  void oldSegmentsGoTheSlowConsumerResetsAndOnlyRecordsBelowTheLogStartCountAsDeleted() {
    KafkaScenariosTest.forSeeds(RetentionScenarios.retention(), t -> {
      assertTrue(t.result().ok(), t.result().checks().toString());
      for (String b : List.of("b1", "b2", "b3")) {
        assertTrue(t.events().stream().anyMatch(e -> e.kind().equals("kafka.log.retention") && e.node().equals(b)), b + " ran retention on its own log");
      }
      assertTrue(t.has("note", "OFFSET_OUT_OF_RANGE"), "the consumer's fetch below the log start was refused");
      assertTrue(t.has("kafka.consumer.reset", "auto.offset.reset=earliest"), "and it reset");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.ok() && kept.expected(), kept.render());
      assertTrue(kept.excuse().rule().startsWith("retention: orders-0's log start offset is "), kept.render());
      CheckResult lin = t.check("kafka.partition-linearizable");
      assertTrue(lin.ok() && !lin.detail().contains("not promised"), "linearizability is judged, OFFSET_OUT_OF_RANGE reads included: " + lin.render());
      for (String lesson : List.of("kafka.story.old-segments-deleted", "kafka.story.slow-consumer-resets", "kafka.story.delete-records-moves-log-start")) {
        assertTrue(t.check(lesson).ok(), t.check(lesson).render());
      }
    });
  }

  /**
   * A DeleteRecords inside a segment: followers learn the log start from the leader's fetch responses, and a
   * broker restarted after the checkpoint interval (60 s) comes back with it from log-start-offset-checkpoint,
   * before it fetched anything.
   */
  @Test
  void theLogStartOffsetSurvivesARestartThroughItsCheckpoint() {
    LogConfig log = LogConfig.simulation().withSegmentBytes(2048).withRetentionCheckIntervalMs(5000);
    ClusterSpec spec = ClusterSpec.threeBrokers().withBroker(KafkaConfig.defaults().withMinInsyncReplicas(2).withLog(log))
        .withProducer(ProducerConfig.defaults().withWorkload(2000, 50, true));
    Simulation sim = new Simulation(1);
    KafkaCluster cluster = KafkaCluster.install(sim, spec);
    FaultPlan.parse("at 62s crash b2; at 63s restart b2").schedule(sim);
    sim.runUntilTime(Durations.seconds(20));
    TopicPartition tp = cluster.partitions().get(0);
    NodeId leader = cluster.controller().partition(tp).leader();
    long target = cluster.broker(leader).log(tp).segmentInfos().get(1).baseOffset() + 1;
    sim.inject(KafkaCluster.CONTROLLER, leader, new KafkaMessage.DeleteRecordsRequest(1, tp, target));
    sim.runUntilTime(Durations.seconds(30));
    NodeId follower = NodeId.of("b2");
    Log before = cluster.broker(follower).log(tp);
    assertEquals(target, before.logStartOffset(), "the follower took the leader's log start from a fetch response");
    assertTrue(before.segmentInfos().get(0).baseOffset() < target, "inside its first segment (the one before went at a retention check)");
    sim.runUntilTime(Durations.seconds(63) + 1);
    Log after = cluster.broker(follower).log(tp);
    assertTrue(after != before, "b2 restarted and reopened its log");
    assertEquals(target, after.logStartOffset(), "read back from log-start-offset-checkpoint");
    assertTrue(new String(sim.disk(follower).readAll("log-start-offset-checkpoint")).contains("orders 0 " + target));
  }
}
