package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sim.core.Simulation;
import sim.core.scenario.Scenario;
import sim.kafka.broker.TopicPartition;

/**
 * The per-event checks index partitions by {@link KafkaCluster#indexOf}, computed from the layout rather than
 * looked up: for every kafka scenario's cluster it must agree with the position in {@code partitions()},
 * including the offsets and transaction topics, and refuse a partition the cluster does not have.
 */
class PartitionLayoutTest {
  @Test
  void indexOfIsThePositionInPartitionsForEveryScenariosCluster() {
    int clusters = 0;
    for (Scenario s : new KafkaScenarios().scenarios()) {
      if (!(s instanceof KafkaScenario k)) continue;
      KafkaCluster cluster = KafkaCluster.install(new Simulation(1), k.spec());
      for (int i = 0; i < cluster.partitions().size(); i++) {
        TopicPartition tp = cluster.partitions().get(i);
        assertEquals(i, cluster.indexOf(tp), s.name() + ": " + tp);
        assertEquals(-1, cluster.indexOf(new TopicPartition(tp.topic(), tp.partition() + 1000)), s.name() + ": " + tp.topic() + "-1000+");
      }
      assertEquals(-1, cluster.indexOf(new TopicPartition("no-such-topic", 0)), s.name());
      clusters++;
    }
    assertTrue(clusters >= 20, "kafka scenarios checked: " + clusters);
  }
}
