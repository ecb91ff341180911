package sim.kafka.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import sim.core.NodeId;

/**
 * The controller's election rule as a value (decide, then apply): the first live in-sync replica in
 * assignment order leads. With {@code unclean.leader.election.enable} and no live in-sync replica, the
 * first live out-of-sync replica leads and the ISR becomes just it: whatever only the old ISR had is lost.
 */
public final class LeaderElection {
  private LeaderElection() {}

  /** The outcome: the new leader (null: offline), the ISR to go with it, and whether it was unclean. */
  public record Choice(NodeId leader, List<NodeId> isr, boolean unclean) {}

  public static Choice choose(PartitionState s, Predicate<NodeId> eligible, boolean uncleanEnabled) {
    for (NodeId r : s.replicas()) {
      if (s.isr().contains(r) && eligible.test(r)) return new Choice(r, s.isr(), false);
    }
    if (uncleanEnabled) {
      for (NodeId r : s.replicas()) {
        if (eligible.test(r)) return new Choice(r, List.of(r), true);
      }
    }
    return new Choice(null, s.isr(), false);
  }

  /**
   * The rule broken ({@code --break kafka.elect-out-of-sync-replica}): a live replica outside the ISR is
   * preferred, whatever {@code unclean.leader.election.enable} says. Only to show why Kafka never does this.
   */
  public static Choice chooseOutOfSyncFirst(PartitionState s, Predicate<NodeId> eligible) {
    for (NodeId r : s.replicas()) {
      if (!s.isr().contains(r) && eligible.test(r)) return new Choice(r, List.of(r), true);
    }
    return choose(s, eligible, false);
  }

  /** The ISR without {@code broker}, unless it is the last member: KRaft never empties an ISR. */
  public static List<NodeId> without(List<NodeId> isr, NodeId broker) {
    if (!isr.contains(broker) || isr.size() == 1) return isr;
    List<NodeId> out = new ArrayList<>(isr);
    out.remove(broker);
    return out;
  }
}
