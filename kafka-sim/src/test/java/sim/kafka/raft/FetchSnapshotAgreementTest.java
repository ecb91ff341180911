package sim.kafka.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FetchSnapshotRequestData;
import org.apache.kafka.common.message.FetchSnapshotResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.metadata.MetadataRecordSerde;
import org.apache.kafka.raft.Batch;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.OffsetAndEpoch;
import org.apache.kafka.snapshot.FileRawSnapshotReader;
import org.apache.kafka.snapshot.RecordsSnapshotReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.NodeId;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.kafka.scenario.KafkaScenarios;

/**
 * FetchSnapshot against the real system. In {@code kafka.kraft-metadata-snapshot} a controller and a broker restarted below
 * the leader's log start download a snapshot in 200-byte chunks; every snapshot a node downloaded is byte for byte the one
 * the leader froze under that id, and kafka-raft 4.1's FileRawSnapshotReader and RecordsSnapshotReader read it (CRCs checked)
 * with the header first, the footer last and the last contained offset one below the end offset. Our messages carry the
 * fields of kafka-clients' FetchSnapshotRequestData / FetchSnapshotResponseData and FetchResponseData's SnapshotId, and
 * our error codes are Kafka's.
 */
class FetchSnapshotAgreementTest {
  @TempDir
  Path dir;

  @Test
  void snapshotsFetchedWithFetchSnapshotAreTheLeadersFilesAndKafkaReadsThem() throws Exception {
    /** A download seen at its event: the node's file and a controller's file of the same id, read at that moment. */
    record Download(String node, long end, int epoch, byte[] mine, byte[] controllers) {}
    List<Download> downloads = new ArrayList<>();
    var scenario = new KafkaScenarios().scenarios().stream().filter(s -> s.name().equals("kafka.kraft-metadata-snapshot")).findFirst().orElseThrow();
    var result = ScenarioRunner.run(scenario, RunOptions.seed(1), sim -> sim.trace().addListener(e -> {
      if (!e.kind().equals("kafka.kraft.snapshot-loaded")) return;
      long end = ((Number) e.attribute("endOffset")).longValue();
      int epoch = ((Number) e.attribute("epoch")).intValue();
      String file = MetadataLog.path(new MetadataLog.SnapshotId(end, epoch));
      byte[] theirs = null;
      for (String v : List.of("controller", "controller-2", "controller-3")) {
        if (!v.equals(e.node()) && sim.disk(NodeId.of(v)).exists(file)) theirs = sim.disk(NodeId.of(v)).readAll(file);
      }
      downloads.add(new Download(e.node(), end, epoch, sim.disk(NodeId.of(e.node())).readAll(file), theirs));
    }), sim -> {});
    assertTrue(result.ok(), result.describeFailure());
    assertTrue(downloads.stream().anyMatch(d -> d.node().startsWith("controller")), "a controller downloaded a snapshot: " + downloads);
    MetadataRecordSerde serde = new MetadataRecordSerde();
    int compared = 0;
    for (Download d : downloads) {
      if (d.controllers() != null) {
        assertArrayEquals(d.controllers(), d.mine(), d.node() + "'s downloaded snapshot " + d.end() + " is the file the controllers froze");
        compared++;
      }
      Path logDir = dir.resolve(d.node() + "-" + d.end());
      Files.createDirectories(logDir);
      Files.write(logDir.resolve(MetadataSnapshots.fileName(d.end(), d.epoch())), d.mine());
      OffsetAndEpoch id = new OffsetAndEpoch(d.end(), d.epoch());
      List<ApiMessageAndVersion> records = new ArrayList<>();
      try (FileRawSnapshotReader raw = FileRawSnapshotReader.open(logDir, id);
          RecordsSnapshotReader<ApiMessageAndVersion> reader = RecordsSnapshotReader.of(raw, serde, BufferSupplier.NO_CACHING, 1 << 20, true,
              new LogContext())) {
        while (reader.hasNext()) {
          Batch<ApiMessageAndVersion> b = reader.next();
          assertEquals(d.epoch(), b.epoch(), "every batch in the snapshot's epoch");
          records.addAll(b.records());
        }
        assertEquals(d.end() - 1, reader.lastContainedLogOffset());
      }
      assertEquals(MetadataSnapshots.records(d.mine()).size(), records.size());
      assertFalse(records.isEmpty());
    }
    assertTrue(compared > 0, "some download was compared with a controller's file: " + downloads);
  }

  @Test
  void messageFieldsAndErrorCodesAreKafkas() {
    // FetchSnapshot is API 59; our request's fields are FetchSnapshotRequestData's, our answer's FetchSnapshotResponseData's.
    assertEquals(59, ApiKeys.FETCH_SNAPSHOT.id);
    FetchSnapshotRequestData.PartitionSnapshot req = new FetchSnapshotRequestData.PartitionSnapshot()
        .setCurrentLeaderEpoch(3).setPosition(200).setSnapshotId(new FetchSnapshotRequestData.SnapshotId().setEndOffset(20).setEpoch(1));
    RaftMessage.FetchSnapshotRequest ours = new RaftMessage.FetchSnapshotRequest(req.currentLeaderEpoch(), NodeId.of("b3"), req.snapshotId().endOffset(),
        req.snapshotId().epoch(), req.position(), new FetchSnapshotRequestData().maxBytes());
    assertEquals(Integer.MAX_VALUE, ours.maxBytes(), "MaxBytes defaults to 0x7fffffff");
    FetchSnapshotResponseData.PartitionSnapshot resp = new FetchSnapshotResponseData.PartitionSnapshot().setSize(481).setPosition(200)
        .setSnapshotId(new FetchSnapshotResponseData.SnapshotId().setEndOffset(20).setEpoch(1));
    resp.currentLeader().setLeaderEpoch(3).setLeaderId(3002);
    assertEquals(481, resp.size());
    // FetchResponse's SnapshotId defaults to (-1, -1): "no snapshot", as our snapshotEndOffset/snapshotEpoch do.
    FetchResponseData.SnapshotId none = new FetchResponseData.PartitionData().snapshotId();
    assertEquals(-1, none.endOffset());
    assertEquals(-1, none.epoch());
    for (RaftMessage.Errors e : RaftMessage.Errors.values()) {
      assertEquals(org.apache.kafka.common.protocol.Errors.valueOf(e.name()).code(), e.code(), e + " has Kafka's code");
    }
    assertEquals(98, RaftMessage.Errors.SNAPSHOT_NOT_FOUND.code());
  }
}
