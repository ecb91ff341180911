package sim.es.cluster.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStateJsonTest {
  @Test
  void aPersistedStateReadsBackEqual() {
    VotingConfiguration config = new VotingConfiguration(List.of("es1", "es2", "es3"));
    ClusterState s = ClusterState.empty().withConfigs(config, config).withTermAndVersion(3, 7).withMaster("es2")
        .withNodes(List.of(new DiscoveryNode("es1", "x1", "a"), new DiscoveryNode("es2", "x2", "b")))
        .withIndex(IndexMetadata.create("idx", 2, 1).withInSync(0, List.of("s0-a0")).withPrimaryTerm(0, 2))
        .withRouting(List.of(ShardRouting.unassigned(0, true, "INDEX_CREATED").initialize("es1", "s0-a0", "empty_store").started(),
            ShardRouting.unassigned(1, false, "NODE_LEFT")), 3);
    ClusterStateJson.Persisted p = new ClusterStateJson.Persisted(4, s);
    assertEquals(p, ClusterStateJson.decode(ClusterStateJson.encode(p)));
  }

  @Test
  void votingConfigExclusionsReadBackAndAreLeftOutWhileThereAreNone() {
    VotingConfiguration config = new VotingConfiguration(List.of("es1", "es2", "es3"));
    ClusterState s = ClusterState.empty().withConfigs(config, config).withTermAndVersion(2, 5);
    String without = new String(ClusterStateJson.encode(new ClusterStateJson.Persisted(2, s)), StandardCharsets.UTF_8);
    assertEquals(false, without.contains("votingConfigExclusions"), without); // older files, and their sizes, unchanged
    ClusterStateJson.Persisted p = new ClusterStateJson.Persisted(2, s.withVotingConfigExclusions(List.of("es2")));
    ClusterStateJson.Persisted back = ClusterStateJson.decode(ClusterStateJson.encode(p));
    assertEquals(List.of("es2"), back.lastAcceptedState().votingConfigExclusions());
    assertEquals(List.of(), ClusterStateJson.decode(without.getBytes(StandardCharsets.UTF_8)).lastAcceptedState().votingConfigExclusions());
  }

  @Test
  void aCorruptFileIsRejectedWithWhatIsWrong() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ClusterStateJson.decode("{\"currentTerm\":".getBytes(StandardCharsets.UTF_8)));
    assertEquals(true, e.getMessage().startsWith("corrupt cluster state"));
  }
}
