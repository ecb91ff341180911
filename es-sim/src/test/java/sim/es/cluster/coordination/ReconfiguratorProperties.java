package sim.es.cluster.coordination;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import sim.es.cluster.state.VotingConfiguration;

/** The Reconfigurator's promises, over random clusters of up to seven master-eligible nodes. */
class ReconfiguratorProperties {
  private static final List<String> ALL = List.of("a", "b", "c", "d", "e", "f", "g");

  /** One input: live nodes (with the master), exclusions, the current configuration. */
  record Case(Set<String> live, Set<String> retired, String master, VotingConfiguration current) {
    VotingConfiguration reconfigure(boolean autoShrink) {
      return Reconfigurator.reconfigure(live, retired, master, current, autoShrink);
    }

    int nonRetiredInConfig() {
      return (int) current.nodeIds().stream().filter(n -> !retired.contains(n)).count();
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Set<String>> live = Arbitraries.of(ALL).set().ofMinSize(1);
    Arbitrary<Set<String>> retired = Arbitraries.of(ALL).set().ofMaxSize(3);
    Arbitrary<Set<String>> config = Arbitraries.of(ALL).set().ofMinSize(1);
    return Combinators.combine(live, retired, config, Arbitraries.integers().between(0, 6)).as((l, r, c, i) -> {
      List<String> liveList = new ArrayList<>(new TreeSet<>(l));
      return new Case(l, r, liveList.get(i % liveList.size()), new VotingConfiguration(List.copyOf(c)));
    });
  }

  @Property(tries = 2000)
  void aNewConfigurationHasALiveQuorumOrTheCurrentOneStays(@ForAll("cases") Case c, @ForAll boolean autoShrink) {
    VotingConfiguration got = c.reconfigure(autoShrink);
    assertTrue(got.equals(c.current()) || got.hasQuorum(c.live()), c + " -> " + got);
  }

  @Property(tries = 2000)
  void withAutoShrinkingANewConfigurationHasAnOddSize(@ForAll("cases") Case c) {
    VotingConfiguration got = c.reconfigure(true);
    if (got.equals(c.current())) return;
    assertEquals(1, got.nodeIds().size() % 2, c + " -> " + got);
  }

  @Property(tries = 2000)
  void aNewConfigurationKeepsTheMasterUnlessItIsExcluded(@ForAll("cases") Case c, @ForAll boolean autoShrink) {
    VotingConfiguration got = c.reconfigure(autoShrink);
    if (got.equals(c.current())) return;
    assertEquals(!c.retired().contains(c.master()), got.nodeIds().contains(c.master()), c + " -> " + got);
  }

  @Property(tries = 2000)
  void aNewConfigurationLeavesEveryExcludedNodeOut(@ForAll("cases") Case c, @ForAll boolean autoShrink) {
    VotingConfiguration got = c.reconfigure(autoShrink);
    if (got.equals(c.current())) return;
    for (String n : got.nodeIds()) assertFalse(c.retired().contains(n), n + " is excluded: " + c + " -> " + got);
  }

  @Property(tries = 2000)
  void neverShrinksBelowThreeOnceThreeNonExcludedNodesVote(@ForAll("cases") Case c) {
    if (c.nonRetiredInConfig() < 3) return;
    VotingConfiguration got = c.reconfigure(true);
    assertTrue(got.nodeIds().size() >= 3, c + " -> " + got);
  }

  @Property(tries = 2000)
  void withoutAutoShrinkingNoNonExcludedVoterIsDropped(@ForAll("cases") Case c) {
    VotingConfiguration got = c.reconfigure(false);
    if (got.equals(c.current())) return;
    assertTrue(got.nodeIds().size() >= c.nonRetiredInConfig(), c + " -> " + got);
  }

  /** The master reconfigures after every publication: a configuration it chose must not change again by itself. */
  @Property(tries = 2000)
  void aChosenConfigurationIsStable(@ForAll("cases") Case c, @ForAll boolean autoShrink) {
    VotingConfiguration got = c.reconfigure(autoShrink);
    VotingConfiguration again = new Case(c.live(), c.retired(), c.master(), got).reconfigure(autoShrink);
    assertEquals(got, again, c + " -> " + got + " -> " + again);
  }
}
