package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.es.cluster.state.VotingConfiguration;

/**
 * The master's choice of voting configuration (Elasticsearch's Reconfigurator), a pure function. With
 * {@code cluster.auto_shrink_voting_configuration} (true by default) the configuration follows the live
 * master-eligible nodes, rounded down to an odd number — an even one tolerates no more failures than the odd
 * one below it — but never below three once it has three: losing two of five nodes shrinks it to the three
 * left, which then survive the loss of one more. Excluded ("retired") nodes are left out; the current master
 * is kept unless excluded, then live nodes, then nodes already in the configuration, then by id. A choice
 * whose quorum is not live is not made: the current configuration stays.
 */
public final class Reconfigurator {
  private Reconfigurator() {}

  /** One candidate for a place in the configuration, in the order Elasticsearch's VotingConfigNode compares them. */
  private record Candidate(String id, boolean live, boolean currentMaster, boolean inCurrentConfig) {}

  private static final Comparator<Candidate> PREFERENCE = Comparator.comparing((Candidate c) -> !c.currentMaster())
      .thenComparing(c -> !c.live())
      .thenComparing(c -> !c.inCurrentConfig())
      .thenComparing(Candidate::id);

  /**
   * @param liveNodes the live master-eligible nodes (Elasticsearch: in the cluster state, with a join vote for this master)
   * @param retiredNodeIds the voting configuration exclusions
   * @param currentMaster the master computing it; must be live
   * @param currentConfig the last accepted configuration
   * @param autoShrink {@code cluster.auto_shrink_voting_configuration}
   */
  public static VotingConfiguration reconfigure(Collection<String> liveNodes, Collection<String> retiredNodeIds, String currentMaster,
      VotingConfiguration currentConfig, boolean autoShrink) {
    if (!liveNodes.contains(currentMaster)) throw new IllegalArgumentException("the master " + currentMaster + " is not among the live nodes " + liveNodes);
    Set<String> live = new TreeSet<>(liveNodes);
    Set<String> retired = new TreeSet<>(retiredNodeIds);
    List<String> current = currentConfig.nodeIds();
    TreeSet<Candidate> candidates = new TreeSet<>(PREFERENCE);
    for (String n : live) {
      if (!retired.contains(n)) candidates.add(new Candidate(n, true, n.equals(currentMaster), current.contains(n)));
    }
    for (String n : current) {
      if (!live.contains(n) && !retired.contains(n)) candidates.add(new Candidate(n, false, false, true));
    }
    int nonRetiredConfigSize = (int) candidates.stream().filter(Candidate::inCurrentConfig).count();
    int minimumSize = autoShrink ? (nonRetiredConfigSize < 3 ? 1 : 3) : nonRetiredConfigSize;
    int nonRetiredLive = (int) candidates.stream().filter(Candidate::live).count();
    int targetSize = Math.max(roundDownToOdd(nonRetiredLive), minimumSize);
    List<String> chosen = new ArrayList<>();
    for (Candidate c : candidates) {
      if (chosen.size() == targetSize) break;
      chosen.add(c.id());
    }
    VotingConfiguration next = new VotingConfiguration(chosen);
    return next.hasQuorum(live) ? next : currentConfig; // no live quorum: better to do nothing
  }

  private static int roundDownToOdd(int size) {
    return size - (size % 2 == 0 ? 1 : 0);
  }
}
