package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.TraceEvent;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.client.ProducerConfig;
import sim.kafka.log.LogConfig;

/**
 * Where Kafka waits on fsync it waits through the kernel's durability door: with fsync latency 50ms an
 * answer comes at least 50ms after the write, and a crash in between loses exactly the unanswered writes.
 */
class DurabilityDoorTest {
  static final long FIFTY_MS = 50_000_000L;

  static List<TraceEvent> run(KafkaScenario s, long seed) {
    List<TraceEvent> events = new ArrayList<>();
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(seed).withListeners(List.of(events::add)));
    assertTrue(r.ok(), r.describeFailure());
    return events;
  }

  static KafkaScenario flushPerMessage(String faults) {
    ClusterSpec spec = ClusterSpec.threeBrokers().withReplication(1, 1)
        .withBroker(KafkaConfig.defaults().withLog(LogConfig.simulation().withFlushMessages(1)))
        .withProducer(ProducerConfig.defaults().withAcks(1)).withConsumer(false);
    return KafkaScenario.of("kafka.test-flush-per-message", spec, faults, 12, 20);
  }

  @Test
  void withFlushMessagesTheAckWaitsForTheFsync() {
    List<TraceEvent> events = run(flushPerMessage("at 0s disk b1 fsync-latency 50ms"), 1);
    int acks = 0;
    for (TraceEvent ack : events) {
      if (!ack.kind().equals("kafka.producer.ack")) continue;
      TraceEvent append = events.stream().filter(e -> e.kind().equals("kafka.leader.append")
          && e.attribute("baseOffset").equals(ack.attribute("baseOffset"))).findFirst().orElse(null);
      assertNotNull(append, "the append of " + ack.detail());
      assertTrue(ack.timeNanos() - append.timeNanos() >= FIFTY_MS, "acked " + (ack.timeNanos() - append.timeNanos()) + "ns after the append: " + ack.detail());
      acks++;
    }
    assertTrue(acks > 10, "acks seen: " + acks);
  }

  @Test
  void aCrashDuringTheFsyncLosesOnlyUnansweredWrites() {
    for (long seed = 1; seed <= 4; seed++) {
      List<TraceEvent> events = new ArrayList<>();
      RunResult r = ScenarioRunner.run(flushPerMessage("at 0s disk b1 fsync-latency 50ms; at 6020ms crash b1; at 7s restart b1"),
          RunOptions.seed(seed).withListeners(List.of(events::add)));
      CheckResult kept = r.check("kafka.acked-records-kept");
      assertTrue(kept.ok() && !kept.expected(), "every acknowledged record was fsynced first: " + kept.render());
      long crash = events.stream().filter(e -> e.kind().equals("crash")).findFirst().orElseThrow().timeNanos();
      assertTrue(events.stream().anyMatch(e -> e.kind().equals("fsync.wait") && e.node().equals("b1") && e.timeNanos() > crash - FIFTY_MS
          && e.timeNanos() < crash), "an fsync was in flight when b1 crashed (seed " + seed + ")");
      assertFalse(events.stream().anyMatch(e -> e.kind().equals("fsync.done") && e.node().equals("b1") && e.timeNanos() > crash
          && e.timeNanos() < crash + 900_000_000L), "its completion never arrives");
    }
  }

  @Test
  void theControllerPublishesADecisionOnlyOnceItIsDurable() {
    List<TraceEvent> events = run(KafkaScenario.of("kafka.test-controller-fsync", KafkaScenarios.acksAllMinIsr2(),
        "at 0s disk controller fsync-latency 50ms; at 8s crash b1; at 22s restart b1", 35, 40), 1);
    TraceEvent elected = events.stream().filter(e -> e.kind().equals("kafka.leader.elected") && e.detail().contains("epoch 1")).findFirst().orElseThrow();
    TraceEvent published = events.stream().filter(e -> e.kind().equals("send") && e.node().equals("controller")
        && "LeaderAndIsr".equals(e.messageType()) && e.detail().contains("epoch 1") && e.timeNanos() >= elected.timeNanos()).findFirst().orElseThrow();
    assertTrue(published.timeNanos() - elected.timeNanos() >= FIFTY_MS, "published " + (published.timeNanos() - elected.timeNanos()) + "ns after the decision");
  }
}
