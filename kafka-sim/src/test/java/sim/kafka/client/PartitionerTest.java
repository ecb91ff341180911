package sim.kafka.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import sim.core.Simulation;

/** Keyed records go where kafka-clients sends them; unkeyed ones stick to a partition for batch.size bytes. */
class PartitionerTest {
  @Test
  void keyedRecordsGoWhereKafkaClientsSendsThem() {
    Partitioner p = new Partitioner(7, 16_384, new Simulation(1).random("p"));
    for (int i = 0; i < 500; i++) {
      byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
      assertEquals(BuiltInPartitioner.partitionForKey(key, 7), p.partition(key, 100));
    }
  }

  @Test
  void unkeyedRecordsStickUntilBatchSizeBytesThenSwitch() {
    Partitioner p = new Partitioner(4, 1000, new Simulation(1).random("p"));
    int first = p.partition(null, 100);
    for (int i = 1; i < 10; i++) assertEquals(first, p.partition(null, 100), "record " + i + " of the first 1000 bytes");
    assertNotEquals(first, p.partition(null, 100), "after batch.size bytes the sticky partition changes");
  }
}
