package sim.kafka.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.message.LeaderChangeMessage;
import org.apache.kafka.common.record.ControlRecordType;
import org.apache.kafka.common.record.ControlRecordUtils;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.raft.ElectionState;
import org.apache.kafka.raft.FileQuorumStateStore;
import org.apache.kafka.raft.ReplicaKey;
import org.apache.kafka.server.common.KRaftVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.NodeId;
import sim.core.disk.SimDisk;

/** Our quorum-state file and leader-change batch against Kafka 4.1's own readers and writers (kafka-raft, kafka-clients). */
class QuorumStateAgreementTest {
  private static final RaftConfig QUORUM = RaftConfig.defaults(List.of(NodeId.of("controller"), NodeId.of("controller-2"), NodeId.of("controller-3")));

  @Test
  void kafkasFileQuorumStateStoreReadsOurQuorumState(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("quorum-state");
    Files.writeString(file, ours().json(-1, 7, 3002));
    Optional<ElectionState> read = new FileQuorumStateStore(file.toFile()).readElectionState();
    assertTrue(read.isPresent());
    assertEquals(7, read.get().epoch());
    assertEquals(-1, read.get().leaderIdOrSentinel());
    assertEquals(3002, read.get().votedKey().id());

    Files.writeString(file, ours().json(3001, 8, -1));
    ElectionState leader = new FileQuorumStateStore(file.toFile()).readElectionState().orElseThrow();
    assertEquals(8, leader.epoch());
    assertEquals(3001, leader.leaderId());
  }

  @Test
  void weReadTheQuorumStateKafkaWrites(@TempDir Path dir) {
    Path file = dir.resolve("quorum-state");
    FileQuorumStateStore store = new FileQuorumStateStore(file.toFile());
    store.writeElectionState(ElectionState.withVotedCandidate(5, ReplicaKey.of(3003, ReplicaKey.NO_DIRECTORY_ID), Set.of(3001, 3002, 3003)),
        KRaftVersion.KRAFT_VERSION_0);
    QuorumStateFile.Election ours = readOurs(file);
    assertEquals(new QuorumStateFile.Election(5, null, NodeId.of("controller-3")), ours);

    store.writeElectionState(ElectionState.withElectedLeader(6, 3002, Optional.empty(), Set.of(3001, 3002, 3003)), KRaftVersion.KRAFT_VERSION_0);
    assertEquals(new QuorumStateFile.Election(6, NodeId.of("controller-2"), null), readOurs(file));
  }

  private static QuorumStateFile ours() {
    return new QuorumStateFile(SimDisk.standalone("c", 1), "__cluster_metadata-0", QUORUM);
  }

  private static QuorumStateFile.Election readOurs(Path file) {
    try {
      SimDisk disk = SimDisk.standalone("c", 1);
      disk.write("__cluster_metadata-0/quorum-state", 0, Files.readString(file).getBytes(StandardCharsets.UTF_8));
      return new QuorumStateFile(disk, "__cluster_metadata-0", QUORUM).read();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void kafkaClientsReadOurLeaderChangeBatch() {
    byte[] batch = MetadataBatches.leaderChange(12, 4, 1_000, 3002);
    RecordBatch b = MemoryRecords.readableRecords(ByteBuffer.wrap(batch)).batches().iterator().next();
    b.ensureValid();
    assertTrue(b.isControlBatch());
    assertEquals(4, b.partitionLeaderEpoch());
    assertEquals(12, b.baseOffset());
    Record r = b.iterator().next();
    assertEquals(ControlRecordType.LEADER_CHANGE, ControlRecordType.parse(r.key()));
    LeaderChangeMessage m = ControlRecordUtils.deserializeLeaderChangeMessage(r);
    assertEquals(3002, m.leaderId());
    assertEquals(0, m.version());
  }
}
