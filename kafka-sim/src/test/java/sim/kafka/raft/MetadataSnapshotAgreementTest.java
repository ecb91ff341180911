package sim.kafka.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.message.SnapshotFooterRecord;
import org.apache.kafka.common.message.SnapshotHeaderRecord;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.metadata.MetadataRecordSerde;
import org.apache.kafka.raft.Batch;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.OffsetAndEpoch;
import org.apache.kafka.snapshot.FileRawSnapshotReader;
import org.apache.kafka.snapshot.RecordsSnapshotReader;
import org.apache.kafka.snapshot.SnapshotPath;
import org.apache.kafka.snapshot.Snapshots;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.fault.FaultPlan;
import sim.kafka.broker.KafkaConfig;
import sim.kafka.broker.MetadataImage;
import sim.kafka.client.ProducerConfig;
import sim.kafka.record.LogRecord;
import sim.kafka.scenario.ClusterSpec;
import sim.kafka.scenario.KafkaCluster;

/**
 * A metadata snapshot our controllers write, read by kafka-raft 4.1's own reader: Kafka parses the file name into the
 * snapshot id, FileRawSnapshotReader opens it, RecordsSnapshotReader with MetadataRecordSerde checks the CRCs, finds the
 * SnapshotHeaderRecord first and the SnapshotFooterRecord last, and decodes every data record; Kafka's serde writes each
 * back with the same bytes, and the records describe the state the committed log below the snapshot's end offset does.
 */
class MetadataSnapshotAgreementTest {
  @TempDir
  Path dir;

  @Test
  void kafkasSnapshotReaderReadsEverySnapshotOurControllersWrote() throws Exception {
    Simulation sim = new Simulation(2);
    ClusterSpec spec = ClusterSpec.threeBrokers().withBroker(KafkaConfig.defaults().withMinInsyncReplicas(2))
        .withProducer(ProducerConfig.defaults().withWorkload(600, 50, true));
    // metadata.log.max.record.bytes.between.snapshots lowered from 20 MiB so a short run writes some
    KafkaCluster cluster = KafkaCluster.install(sim, spec, 3, 400);
    FaultPlan.parse("at 12s crash b1; at 18s restart b1").schedule(sim);
    sim.runUntilTime(Durations.seconds(30));
    NodeId active = cluster.activeControllerId();
    RaftNode raft = sim.node(active, KraftController.class).raft();
    sim.disk(active).exportTo(dir);
    Path logDir = dir.resolve(RaftNode.LOG_DIR);
    List<Path> files;
    try (Stream<Path> s = Files.list(logDir)) {
      files = s.filter(p -> p.getFileName().toString().endsWith(Snapshots.SUFFIX)).sorted().toList();
    }
    assertFalse(files.isEmpty(), "the active controller wrote a snapshot: " + logDir);
    MetadataRecordSerde serde = new MetadataRecordSerde();
    for (Path file : files) {
      SnapshotPath parsed = Snapshots.parse(file).orElseThrow(() -> new AssertionError("Kafka parses the name " + file.getFileName()));
      assertFalse(parsed.partial(), file.toString());
      OffsetAndEpoch id = parsed.snapshotId();
      List<ApiMessageAndVersion> records = new ArrayList<>();
      List<ControlRecordType> controls = new ArrayList<>();
      long timestamp;
      try (FileRawSnapshotReader raw = FileRawSnapshotReader.open(logDir, id);
          RecordsSnapshotReader<ApiMessageAndVersion> reader = RecordsSnapshotReader.of(raw, serde, BufferSupplier.NO_CACHING, 1 << 20, true,
              new LogContext())) {
        while (reader.hasNext()) {
          Batch<ApiMessageAndVersion> b = reader.next();
          assertEquals(id.epoch(), b.epoch(), "every batch in the snapshot's epoch");
          b.controlRecords().forEach(c -> controls.add(c.type()));
          records.addAll(b.records());
        }
        timestamp = reader.lastContainedLogTimestamp();
        assertEquals(id.offset() - 1, reader.lastContainedLogOffset());
      }
      assertEquals(List.of(ControlRecordType.SNAPSHOT_HEADER, ControlRecordType.SNAPSHOT_FOOTER), controls, file.toString());
      assertTrue(timestamp > 0, "the header names the last contained record's time");

      List<LogRecord> ours = MetadataSnapshots.records(Files.readAllBytes(file));
      assertEquals(ours.size(), records.size());
      for (int i = 0; i < ours.size(); i++) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer back = ByteBuffer.allocate(serde.recordSize(records.get(i), cache));
        serde.write(records.get(i), cache, new ByteBufferAccessor(back));
        assertArrayEquals(ours.get(i).value(), back.array(), "Kafka writes " + records.get(i) + " back with the same bytes");
      }
      MetadataImage snapshot = MetadataRecords.replay(ours);
      MetadataImage committed = MetadataRecords.replay(MetadataBatches.dataRecords(raft.log(), 0, id.offset()));
      assertEquals(committed.partitions(), snapshot.partitions(), "the snapshot holds the state the log below " + id.offset() + " describes");
      assertEquals(committed.brokers(), snapshot.brokers());
      assertEquals(committed.nextProducerId(), snapshot.nextProducerId());
    }
  }

  /** The header and footer records are Kafka's SnapshotHeaderRecord and SnapshotFooterRecord, version 0, byte for byte. */
  @Test
  void headerAndFooterAreKafkasControlRecords() {
    ObjectSerializationCache cache = new ObjectSerializationCache();
    SnapshotHeaderRecord header = new SnapshotHeaderRecord().setVersion((short) 0).setLastContainedLogTimestamp(123456789L);
    ByteBuffer h = ByteBuffer.allocate(header.size(cache, (short) 0));
    header.write(new ByteBufferAccessor(h), cache, (short) 0);
    assertArrayEquals(h.array(), MetadataSnapshots.snapshotHeaderRecord(123456789L));
    SnapshotFooterRecord footer = new SnapshotFooterRecord().setVersion((short) 0);
    ByteBuffer f = ByteBuffer.allocate(footer.size(cache, (short) 0));
    footer.write(new ByteBufferAccessor(f), cache, (short) 0);
    assertArrayEquals(f.array(), MetadataSnapshots.snapshotFooterRecord());
    assertEquals("00000000000000000042-0000000003.checkpoint", MetadataSnapshots.fileName(42, 3));
    assertEquals(Snapshots.filenameFromSnapshotId(new OffsetAndEpoch(42, 3)) + Snapshots.SUFFIX, MetadataSnapshots.fileName(42, 3));
  }
}
