package sim.es.cluster.state;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The master-eligible nodes whose votes count (CoordinationMetadata.VotingConfiguration): an election or a
 * publication needs a majority of them — more than half, so two majorities always share a node.
 */
public record VotingConfiguration(List<String> nodeIds) {
  public static final VotingConfiguration EMPTY = new VotingConfiguration(List.of());

  public VotingConfiguration {
    nodeIds = List.copyOf(new TreeSet<>(nodeIds));
  }

  public boolean hasQuorum(Collection<String> votes) {
    int count = 0;
    for (String id : nodeIds) if (votes.contains(id)) count++;
    return count * 2 > nodeIds.size();
  }

  public boolean isEmpty() {
    return nodeIds.isEmpty();
  }

  @Override
  public String toString() {
    return nodeIds.toString();
  }
}
