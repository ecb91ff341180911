package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/** After a simulated failover, every replica's segment files are Kafka's: kafka-clients reads the same records. */
class ExportedSegmentsTest {
  @Test
  void kafkaClientsReadEveryReplicaAfterAFailover(@TempDir Path tmp) throws IOException {
    KafkaScenario s = KafkaScenarios.leaderCrash();
    Simulation[] finished = new Simulation[1];
    ScenarioRunner.run(s, RunOptions.seed(3), done -> finished[0] = done);
    Simulation sim = finished[0];
    TopicPartition tp = new TopicPartition("orders", 0);
    for (String name : List.of("b1", "b2", "b3")) {
      NodeId id = NodeId.of(name);
      Broker broker = sim.node(id, Broker.class);
      List<LogRecord> ours = RecordBatches.allRecords(broker.log(tp).read(0, Long.MAX_VALUE, Integer.MAX_VALUE));
      Path dir = tmp.resolve(name);
      sim.disk(id).exportTo(dir);
      List<LogRecord> theirs = new ArrayList<>();
      List<Integer> epochs = new ArrayList<>();
      for (Path segment : segments(dir.resolve(tp.toString()))) {
        try (FileRecords fr = FileRecords.open(segment.toFile())) {
          for (FileChannelRecordBatch b : fr.batches()) {
            b.ensureValid();
            assertTrue(b.producerId() >= 0 && b.baseSequence() >= 0, "idempotent producer fields kept");
            epochs.add(b.partitionLeaderEpoch());
            for (Record r : b) {
              theirs.add(new LogRecord(r.offset(), r.timestamp(), Utils.toArray(r.key()), Utils.toArray(r.value()), List.of()));
            }
          }
        }
      }
      assertEquals(ours, theirs, name + ": kafka-clients reads what the model wrote");
      assertTrue(ours.size() >= 200, name + " holds every record: " + ours.size());
      assertTrue(epochs.contains(0) && epochs.contains(1), name + " has batches from both leader epochs: " + epochs);
      String checkpoint = new String(Files.readAllBytes(dir.resolve(tp + "/leader-epoch-checkpoint")), StandardCharsets.UTF_8);
      assertTrue(checkpoint.startsWith("0\n"), "leader-epoch-checkpoint in Kafka's format: " + checkpoint);
    }
  }

  static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }
}
