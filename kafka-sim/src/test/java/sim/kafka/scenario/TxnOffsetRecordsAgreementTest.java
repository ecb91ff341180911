package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.FileRecords;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.kafka.broker.Broker;
import sim.kafka.broker.TopicPartition;
import sim.kafka.group.GroupCoordinator;

/**
 * What TxnOffsetCommit leaves in {@code __consumer_offsets}, read by Kafka's own classes after
 * {@code kafka.eos-consume-transform-produce}: on every replica, kafka-clients' FileRecords reads each transactional
 * batch of the transformer's producer id with base sequence 0 — byte for byte the batch kafka-clients'
 * {@code MemoryRecords.withTransactionalRecords} builds from the same records, as Kafka's coordinator runtime writes
 * them — its records decode with kafka-group-coordinator's {@code OffsetCommitKey}/{@code OffsetCommitValue}, and
 * replaying the partition with Kafka's rule (pending per producer id; COMMIT applies, ABORT drops) gives exactly the
 * committed offsets our coordinator holds.
 */
class TxnOffsetRecordsAgreementTest {
  @Test
  void transactionalOffsetCommitsAreKafkasAndReplayToTheCommittedOffsets(@TempDir Path tmp) throws IOException {
    Simulation[] finished = new Simulation[1];
    SimTesting.assertOk(ScenarioRunner.run(EosCtpScenario.scenario(), RunOptions.seed(1), done -> finished[0] = done));
    Simulation sim = finished[0];
    TopicPartition offsetsTp = EosCtpScenario.offsetsTopicPartition();
    assertEquals(Utils.abs(EosCtpScenario.GROUP.hashCode()) % ClusterSpec.CTP_OFFSETS_PARTITIONS, offsetsTp.partition());
    Map<TopicPartition, Long> ours = null;
    for (String name : List.of("b1", "b2", "b3")) {
      Broker b = sim.node(NodeId.of(name), Broker.class);
      Map<TopicPartition, Long> held = b.groupCoordinator().committedOffsets(EosCtpScenario.GROUP);
      if (held != null) ours = new TreeMap<>(held);
    }
    assertTrue(ours != null && !ours.isEmpty(), "the group's coordinator holds committed offsets");
    int replicas = 0;
    for (String name : List.of("b1", "b2", "b3")) {
      Path dir = tmp.resolve(name);
      sim.disk(NodeId.of(name)).exportTo(dir);
      Replayed r = replay(ExportedSegmentsTest.segments(dir.resolve(offsetsTp.toString())));
      assertTrue(r.transactionalBatches > 20, name + ": " + r.transactionalBatches + " transactional batches");
      assertTrue(r.commits > 20 && r.aborts > 0, name + ": " + r.commits + " COMMIT and " + r.aborts + " ABORT markers");
      if (r.pending.isEmpty()) {
        assertEquals(ours, r.committed, name + ": Kafka's replay of the partition");
        replicas++;
      }
    }
    assertTrue(replicas >= 2, "replicas with every transaction settled: " + replicas);
  }

  private static final class Replayed {
    final Map<TopicPartition, Long> committed = new TreeMap<>();
    final Map<Long, Map<TopicPartition, Long>> pending = new HashMap<>();
    int transactionalBatches;
    int commits;
    int aborts;
  }

  private static Replayed replay(List<Path> segments) throws IOException {
    Replayed out = new Replayed();
    for (Path segment : segments) {
      byte[] file = Files.readAllBytes(segment);
      try (FileRecords fr = FileRecords.open(segment.toFile())) {
        for (FileChannelRecordBatch b : fr.batches()) {
          b.ensureValid();
          if (b.isControlBatch()) {
            ControlRecordType type = ControlRecordType.parse(b.iterator().next().key());
            Map<TopicPartition, Long> done = out.pending.remove(b.producerId());
            if (type == ControlRecordType.COMMIT) out.commits++;
            else out.aborts++;
            if (type == ControlRecordType.COMMIT && done != null) out.committed.putAll(done);
            continue;
          }
          List<SimpleRecord> records = new ArrayList<>();
          for (Record r : b) {
            records.add(new SimpleRecord(r.timestamp(), Utils.toArray(r.key()), r.hasValue() ? Utils.toArray(r.value()) : null));
            ByteBuffer key = r.key();
            short keyVersion = key.getShort();
            if (keyVersion != 0 && keyVersion != 1) continue; // group metadata
            OffsetCommitKey k = new OffsetCommitKey(new ByteBufferAccessor(key), keyVersion);
            ByteBuffer value = r.value();
            long offset = new OffsetCommitValue(new ByteBufferAccessor(value), value.getShort()).offset();
            TopicPartition tp = new TopicPartition(k.topic(), k.partition());
            assertEquals(EosCtpScenario.GROUP, k.group());
            if (b.isTransactional()) out.pending.computeIfAbsent(b.producerId(), p -> new TreeMap<>()).put(tp, offset);
            else out.committed.put(tp, offset);
          }
          if (!b.isTransactional()) continue;
          out.transactionalBatches++;
          assertEquals(0, b.baseSequence(), "the coordinator writes sequence 0");
          ByteBuffer theirs = MemoryRecords.withTransactionalRecords(b.baseOffset(), Compression.NONE, b.producerId(), b.producerEpoch(),
              0, b.partitionLeaderEpoch(), records.toArray(new SimpleRecord[0])).buffer();
          byte[] mine = java.util.Arrays.copyOfRange(file, b.position(), b.position() + b.sizeInBytes());
          byte[] kafkas = new byte[theirs.remaining()];
          theirs.get(kafkas);
          assertArrayEquals(kafkas, mine, "batch at " + b.baseOffset() + " of " + segment);
        }
      }
    }
    return out;
  }

  @Test
  void theOffsetsPartitionIsTheGroupsHash() {
    for (String g : List.of(EosCtpScenario.GROUP, "", "x", "orders-app")) {
      assertEquals(Utils.abs(g.hashCode()) % 50, GroupCoordinator.partitionFor(g, 50));
    }
  }
}
