package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sim.core.Simulation;
import sim.core.check.BreakRule;
import sim.core.fault.FaultPlan;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.broker.RuleBreaks;

/**
 * Each rule Kafka depends on, switched off with --break, makes a safety check fail under the scenario that
 * shows it best: the proof that the invariants bite. Each invariant also bites alone, evaluated on its own
 * while the run goes on, where another invariant would have stopped the run first.
 */
class RuleBreaksTest {
  static Scenario scenario(String name) {
    return new KafkaScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
  }

  @ParameterizedTest
  @CsvSource({
      "kafka.hw-before-follower-fetch, kafka.hw-within-isr-leo",
      "kafka.elect-out-of-sync-replica, kafka.leader-from-isr",
      "kafka.skip-epoch-truncation, kafka.replicas-agree-below-hw",
      "kafka.ignore-min-insync-replicas, kafka.acks-all-on-min-insync",
      "kafka.delete-above-high-watermark, kafka.log-start-within-hw",
      "kafka.read-committed-ignores-lso, kafka.read-committed-sees-only-committed",
      "kafka.txn-offsets-committed-outside-transaction, kafka.eos-output-exactly-once",
      "kafka.txn-verification-skipped, kafka.no-hanging-transaction",
      "kafka.producer-id-block-not-committed, kafka.producer-id-block-committed",
      "kafka.kraft-broker-applies-uncommitted-metadata, kafka.kraft-broker-acts-on-committed-metadata-only",
      "kafka.kraft-loader-ignores-snapshot, kafka.kraft-broker-image-is-committed-image",
      "kafka.consumer-assign-before-revocation, kafka.consumer-group-one-holder-at-a-time"})
  void eachBreakFailsASafetyCheckUnderItsScenario(String rule, String invariant) {
    BreakRule r = RuleBreaks.rules().stream().filter(b -> b.name().equals(rule)).findFirst().orElseThrow();
    for (long seed = 1; seed <= 3; seed++) {
      RunResult result = ScenarioRunner.run(scenario(r.scenario()), RunOptions.seed(seed).withBreaks(Set.of(rule)));
      assertFalse(result.ok(), rule + " seed " + seed + " should fail");
      assertNotNull(result.failure(), rule + ": " + result.checks());
      assertEquals(invariant, result.failure().invariant(), result.describeFailure());
      assertTrue(result.replayCommand().contains("--break " + rule), result.replayCommand());
    }
  }

  @ParameterizedTest
  @CsvSource({
      "kafka.hw-before-follower-fetch, kafka.failover-leader-crash, kafka.consumers-read-below-hw",
      "kafka.hw-before-follower-fetch, kafka.failover-leader-crash, kafka.acks-all-on-min-insync",
      "kafka.elect-out-of-sync-replica, kafka.offline-partition-clean-election, kafka.leader-from-isr",
      "kafka.skip-epoch-truncation, kafka.epoch-divergence-kip101, kafka.replicas-agree-below-hw",
      "kafka.ignore-min-insync-replicas, kafka.consistency-slow-followers-min-insync, kafka.acks-all-on-min-insync",
      "kafka.delete-above-high-watermark, kafka.retention, kafka.log-start-within-hw"})
  void eachInvariantBitesOnItsOwn(String rule, String scenarioName, String invariant) {
    KafkaScenario s = (KafkaScenario) scenario(scenarioName);
    Simulation sim = new Simulation(1);
    sim.setBroken(Set.of(rule));
    KafkaCluster cluster = KafkaCluster.install(sim, s.spec());
    FaultPlan.parse(s.faultPlan()).schedule(sim);
    sim.setInvariantInterval(Integer.MAX_VALUE);
    String violation = null;
    while (violation == null && sim.nowNanos() < s.durationNanos() && sim.pendingEvents() > 0) {
      sim.step();
      violation = cluster.checks().evaluate(invariant);
    }
    assertNotNull(violation, invariant + " never bit under --break " + rule);
  }

  @ParameterizedTest
  @CsvSource({"kafka.write-path", "kafka.failover-leader-crash", "kafka.epoch-divergence-kip101", "kafka.consistency-slow-followers-min-insync",
      "kafka.retention"})
  void withoutBreaksNoInvariantDeparts(String scenarioName) {
    KafkaScenario s = (KafkaScenario) scenario(scenarioName);
    Simulation sim = new Simulation(1);
    KafkaCluster cluster = KafkaCluster.install(sim, s.spec());
    FaultPlan.parse(s.faultPlan()).schedule(sim);
    sim.setInvariantInterval(Integer.MAX_VALUE);
    Map<String, String> departed = new java.util.TreeMap<>();
    while (sim.nowNanos() < s.durationNanos() && sim.pendingEvents() > 0) {
      sim.step();
      for (String inv : java.util.List.of("kafka.one-leader-per-epoch", "kafka.leader-from-isr", "kafka.hw-within-isr-leo",
          "kafka.replicas-agree-below-hw", "kafka.consumers-read-below-hw", "kafka.acks-all-on-min-insync", "kafka.log-start-within-hw")) {
        String v = cluster.checks().evaluate(inv);
        if (v != null) departed.putIfAbsent(inv, v);
      }
    }
    assertTrue(departed.isEmpty(), departed.toString());
  }
}
