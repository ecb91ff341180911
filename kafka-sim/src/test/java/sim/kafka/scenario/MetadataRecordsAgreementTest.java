package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.common.metadata.BrokerRegistrationChangeRecord;
import org.apache.kafka.common.metadata.PartitionChangeRecord;
import org.apache.kafka.common.metadata.PartitionRecord;
import org.apache.kafka.common.metadata.ProducerIdsRecord;
import org.apache.kafka.common.metadata.RegisterBrokerRecord;
import org.apache.kafka.common.metadata.TopicRecord;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.metadata.MetadataRecordSerde;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.fault.FaultPlan;
import sim.kafka.broker.PartitionState;
import sim.kafka.raft.KraftController;
import sim.kafka.raft.RaftNode;
import sim.kafka.record.LogRecord;

/**
 * The committed metadata log of a KRaft run, read by Kafka 4.1's own MetadataRecordSerde: every record decodes to the
 * real generated record class with the fields our controller decided, and Kafka's serde writes it back byte for byte.
 */
class MetadataRecordsAgreementTest {
  @Test
  void kafkasMetadataRecordSerdeReadsEveryCommittedRecordAndWritesTheSameBytes() {
    Simulation sim = new Simulation(3);
    KafkaCluster cluster = KafkaCluster.install(sim, KraftScenarios.spec(), 3);
    FaultPlan.parse("at 12s crash b1; at 18s restart b1").schedule(sim);
    sim.runUntilTime(Durations.seconds(40));
    NodeId active = cluster.activeControllerId();
    assertNotNull(active, "a controller is active at 40s");
    RaftNode raft = sim.node(active, KraftController.class).raft();
    List<LogRecord> records = raft.committed(0);
    assertTrue(records.size() >= 8, "the run committed registrations, the topic, elections: " + records.size());

    MetadataRecordSerde serde = new MetadataRecordSerde();
    Map<String, Integer> seen = new TreeMap<>();
    for (LogRecord r : records) {
      ApiMessageAndVersion m = serde.read(new ByteBufferAccessor(ByteBuffer.wrap(r.value())), r.value().length);
      seen.merge(m.message().getClass().getSimpleName(), 1, Integer::sum);
      ObjectSerializationCache cache = new ObjectSerializationCache();
      ByteBuffer back = ByteBuffer.allocate(serde.recordSize(m, cache));
      serde.write(m, cache, new ByteBufferAccessor(back));
      assertArrayEquals(r.value(), back.array(), "Kafka writes " + m + " back with the same bytes");
    }
    for (String kind : List.of("RegisterBrokerRecord", "TopicRecord", "PartitionRecord", "PartitionChangeRecord", "BrokerRegistrationChangeRecord", "ProducerIdsRecord")) {
      assertTrue(seen.containsKey(kind), kind + " among the committed records: " + seen);
    }
    assertFinalStateMatches(serde, records, cluster.controller().partitions());
  }

  /**
   * Every broker's own copy of {@code __cluster_metadata-0}, fetched as an observer: below its high watermark it holds the
   * active controller's committed records byte for byte, and Kafka's serde replays it to the partitions the broker's loader
   * replayed (and published to its replicas).
   */
  @Test
  void everyBrokersObservedLogIsTheCommittedLogAndKafkaReplaysItToTheBrokersImage() {
    Simulation sim = new Simulation(5);
    KafkaCluster cluster = KafkaCluster.install(sim, KraftScenarios.spec(), 3);
    FaultPlan.parse("at 12s crash b1; at 18s restart b1").schedule(sim);
    sim.runUntilTime(Durations.seconds(30));
    List<LogRecord> committed = sim.node(cluster.activeControllerId(), KraftController.class).raft().committed(0);
    MetadataRecordSerde serde = new MetadataRecordSerde();
    for (NodeId b : cluster.brokers()) {
      sim.kafka.broker.MetadataLoader loader = sim.node(b, sim.kafka.broker.Broker.class).metadataLoader();
      List<LogRecord> observed = loader.raft().records(0, loader.raft().highWatermark());
      assertTrue(observed.size() >= 8 && observed.size() <= committed.size(), b + " observed " + observed.size() + " of " + committed.size());
      for (int i = 0; i < observed.size(); i++) {
        assertEquals(committed.get(i).offset(), observed.get(i).offset(), b + " record " + i);
        assertArrayEquals(committed.get(i).value(), observed.get(i).value(), b + " holds the committed record at offset " + observed.get(i).offset());
      }
      assertFinalStateMatches(serde, observed, loader.partitions());
    }
  }

  /** Replaying Kafka's decoded PartitionRecord/PartitionChangeRecord gives the partition state our controller holds. */
  private static void assertFinalStateMatches(MetadataRecordSerde serde, List<LogRecord> records, List<PartitionState> ours) {
    Map<Integer, int[]> isr = new TreeMap<>();
    Map<Integer, Integer> leader = new TreeMap<>();
    Map<Integer, Integer> leaderEpoch = new TreeMap<>();
    Map<Integer, Integer> partitionEpoch = new TreeMap<>();
    String topic = null;
    for (LogRecord r : records) {
      var m = serde.read(new ByteBufferAccessor(ByteBuffer.wrap(r.value())), r.value().length).message();
      if (m instanceof TopicRecord t) topic = t.name();
      if (m instanceof PartitionRecord p) {
        isr.put(p.partitionId(), p.isr().stream().mapToInt(Integer::intValue).toArray());
        leader.put(p.partitionId(), p.leader());
        leaderEpoch.put(p.partitionId(), p.leaderEpoch());
        partitionEpoch.put(p.partitionId(), p.partitionEpoch());
      }
      if (m instanceof PartitionChangeRecord c) {
        if (c.isr() != null) isr.put(c.partitionId(), c.isr().stream().mapToInt(Integer::intValue).toArray());
        if (c.leader() != -2) {
          leader.put(c.partitionId(), c.leader());
          leaderEpoch.merge(c.partitionId(), 1, Integer::sum);
        }
        partitionEpoch.merge(c.partitionId(), 1, Integer::sum);
      }
      if (m instanceof RegisterBrokerRecord b) assertTrue(b.brokerId() >= 1 && b.brokerId() <= 3, "broker b" + b.brokerId());
      if (m instanceof BrokerRegistrationChangeRecord b) assertTrue(b.fenced() == 1 || b.fenced() == -1, "fenced or unfenced: " + b);
      if (m instanceof ProducerIdsRecord p) assertTrue(p.nextProducerId() > 1000, "an id block handed out: " + p);
    }
    assertEquals("orders", topic);
    for (PartitionState s : ours) {
      int p = s.tp().partition();
      assertEquals(s.leader() == null ? -1 : Integer.parseInt(s.leader().name().substring(1)), leader.get(p), s.toString());
      assertEquals(s.leaderEpoch(), leaderEpoch.get(p), s.toString());
      assertEquals(s.partitionEpoch(), partitionEpoch.get(p), s.toString());
      assertArrayEquals(s.isr().stream().mapToInt(b -> Integer.parseInt(b.name().substring(1))).toArray(), isr.get(p), s.toString());
    }
    assertEquals(ours.size(), IntStream.range(0, ours.size()).filter(leader::containsKey).count());
  }
}
