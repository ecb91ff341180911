package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.fault.FaultPlan;

/**
 * K5's recorded cluster states: one simulation per state, stopped at its moment, each with both walks attached
 * as invariants from the first event on (so each walk's memory, the commit tracker's agreements and the pairs
 * found in agreement, is what it would be after that many events), then frozen. Both walks then run over the
 * same frozen states.
 */
public final class K5Walks {
  private record State(ClusterWatch watch, ReplicaChecks checks, K5OldWalk old) {}

  private final List<State> states = new ArrayList<>();

  /**
   * kafka.group-rebalance-eager's cluster with its own fault plan plus {@code extraFaults}, seed {@code seed},
   * stopped at each of {@code seconds}.
   */
  public static K5Walks eagerRebalance(String extraFaults, long seed, long... seconds) {
    KafkaScenario scenario = GroupScenarios.eagerRebalance();
    K5Walks w = new K5Walks();
    for (long at : seconds) w.states.add(state(scenario, extraFaults, seed, at));
    return w;
  }

  private static State state(KafkaScenario scenario, String extraFaults, long seed, long atSeconds) {
    Simulation sim = new Simulation(seed);
    KafkaCluster cluster = KafkaCluster.install(sim, scenario.spec());
    String plan = scenario.faultPlan().isBlank() ? extraFaults : scenario.faultPlan() + "; " + extraFaults;
    FaultPlan.parse(plan).schedule(sim);
    ClusterWatch watch = new ClusterWatch(sim, cluster);
    ReplicaChecks checks = new ReplicaChecks(cluster, watch);
    K5OldWalk old = new K5OldWalk(sim, cluster);
    State s = new State(watch, checks, old);
    sim.addInvariant("k5.new-walk", () -> newWalk(s));
    sim.addInvariant("k5.old-walk", old::walk);
    sim.runUntilTime(Durations.seconds(atSeconds));
    return s;
  }

  private static String newWalk(State s) {
    s.watch().observe();
    String v = s.checks().hwWithinIsrLeo();
    if (v == null) v = s.checks().replicasAgreeBelowHw();
    if (v == null) v = s.checks().logStartWithinHw();
    return v;
  }

  /** The new walk over every recorded state: how many states had a violation (none, in a sound run). */
  public int newWalks() {
    int violations = 0;
    for (State s : states) if (newWalk(s) != null) violations++;
    return violations;
  }

  /** The old walk over the same states. */
  public int oldWalks() {
    int violations = 0;
    for (State s : states) if (s.old().walk() != null) violations++;
    return violations;
  }

  /** How many replicas the recorded states hold in all (brokers up × partitions they host). */
  public int replicas() {
    int n = 0;
    for (State s : states) {
      ClusterSnapshot snap = s.watch().snapshot();
      for (int b = 0; b < snap.brokerCount(); b++) for (int p = 0; p < snap.partitionCount(); p++) if (snap.replica(b, p) != null) n++;
    }
    return n;
  }
}
