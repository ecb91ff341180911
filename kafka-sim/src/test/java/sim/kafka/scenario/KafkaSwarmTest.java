package sim.kafka.scenario;

import org.junit.jupiter.api.Test;
import sim.core.scenario.Scenario;
import sim.core.testing.SimTesting;

/**
 * Every lesson under random seeded faults on top of its own (crashes, pauses, partitions, message loss): the
 * invariants hold after every event and every loss is one Kafka allows in that configuration.
 */
class KafkaSwarmTest {
  @Test
  void everyScenarioHoldsUnderRandomFaults() {
    for (Scenario s : new KafkaScenarios().scenarios()) SimTesting.assertHoldsUnderSwarm(s, 1000, 30);
  }
}
