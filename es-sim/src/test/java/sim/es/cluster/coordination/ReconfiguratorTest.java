package sim.es.cluster.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sim.es.cluster.state.VotingConfiguration;

/**
 * Fixed cases of the voting-configuration policy, taken from Elasticsearch's ReconfiguratorTests
 * (testReconfigurationExamples, testDynamicSetting): live nodes, exclusions, current configuration,
 * {@code cluster.auto_shrink_voting_configuration}, and the configuration Elasticsearch computes. The master is
 * the first live node by id unless a case names it, as there.
 */
class ReconfiguratorTest {
  @ParameterizedTest(name = "live {0}, retired {1}, master {2}, config {3}, autoShrink {4} -> {5}")
  @CsvSource(delimiter = '|', value = {
      "a         |         | | a         | true  | a",
      "a b       |         | | a         | true  | a",
      "a b       |         | | b         | true  | a",
      "a b       |         | | a c       | true  | a",
      "a b       |         | | a b       | true  | a",
      "a b       |         | | a b e     | true  | a b e",
      "a b c     |         | | a         | true  | a b c",
      "a b c     |         | | a b       | true  | a b c",
      "a b c     |         | | a b c     | true  | a b c",
      "a b c d   |         | | a b c     | true  | a b c",
      "a b c d e |         | | a b c     | true  | a b c d e",
      "a b c     |         | | a b e     | true  | a b c",
      "a b c d   |         | | a b e     | true  | a b c",
      "a b c d e |         | | a f g     | true  | a b c d e",
      "a b c d   |         | | a b c d e | true  | a b c",
      "e a b c   |         |e| a b c d e | true  | a b e",
      "a b c     |         | | a b c d e | true  | a b c",
      "a         |         | | a         | false | a",
      "a b       |         | | a         | false | a",
      "a b       |         | | a b       | false | a b",
      "a b c     |         | | a         | false | a b c",
      "a b c     |         | | a b       | false | a b c",
      "a b       |         | | a b e     | false | a b e",
      "a b       |         | | a c       | false | a b",
      "a b c     |         | | a b c     | false | a b c",
      "a b c d   |         | | a b c     | false | a b c",
      "a b c d e |         | | a b c     | false | a b c d e",
      "a b c     |         | | a b e     | false | a b c",
      "a b c d   |         | | a b e     | false | a b c",
      "a b c d e |         | | a f g     | false | a b c d e",
      "a b c d   |         | | a b c d e | false | a b c d e",
      "a b c     |         | | a b c d e | false | a b c d e",
      // retiring a single node shifts the votes elsewhere if possible
      "a b       | a       | | a         | true  | b",
      "a b       | a       | | a         | false | b",
      // retiring a node from a three-node cluster drops down to a one-node configuration
      "a b c     | a       | | a         | true  | b",
      "a b c     | a       | | a b c     | true  | b",
      "a b c     | a       | | a         | false | b",
      "a b c     | a       | | a b c     | false | b c",
      // one node for each combination of live / retired / in the current configuration
      "a b c f   | c e f g | | a c d e   | true  | a",
      "a b c f   | c e f g | | a c d e   | false | a b",
      "a b c f   | c e f g | | a c d e h | true  | a b d",
      "a b c f   | c e f g | | a c d e h | false | a b d"})
  void elasticsearchsExamples(String live, String retired, String master, String config, boolean autoShrink, String expected) {
    List<String> liveNodes = ids(live);
    String m = master == null ? liveNodes.stream().sorted().findFirst().orElseThrow() : master.trim();
    VotingConfiguration got = Reconfigurator.reconfigure(liveNodes, ids(retired), m, conf(config), autoShrink);
    assertEquals(conf(expected), got);
  }

  /** testDynamicSetting: five configured, two or three live. */
  @Test
  void withoutAutoShrinkingTwoOfFiveKeepTheConfigurationTheyHaveNoQuorumFor() {
    VotingConfiguration five = conf("a b c d e");
    assertEquals(conf("a b c"), Reconfigurator.reconfigure(ids("a b"), List.of(), "a", five, true));
    assertSame(five, Reconfigurator.reconfigure(ids("a b"), List.of(), "a", five, false)); // no live quorum: unchanged
    assertEquals(five, Reconfigurator.reconfigure(ids("a b c"), List.of(), "b", five, false));
    assertEquals(conf("a b c e"), Reconfigurator.reconfigure(ids("a b c"), ids("d"), "c", five, false));
  }

  private static List<String> ids(String s) {
    return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  private static VotingConfiguration conf(String s) {
    return new VotingConfiguration(ids(s));
  }
}
