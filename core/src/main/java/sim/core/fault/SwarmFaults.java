package sim.core.fault;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import sim.core.Check;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Simulation;

/**
 * Random faults at seeded times: crashes and restarts, pauses, partitions and heals, message loss. Every
 * choice comes from the {@code kernel.swarm} stream, so the seed alone replays the run. At most
 * {@code maxDown} servers are down or paused at once, so a quorum can survive if the model allows it.
 */
public final class SwarmFaults {
  /** How often and how hard the swarm strikes. */
  public record Rates(long meanGapNanos, int maxDown, double partitionWeight, double crashWeight,
      double pauseWeight, double dropWeight) {
    public static Rates defaults() {
      return new Rates(Durations.seconds(2), 1, 1.0, 1.0, 0.5, 0.3);
    }
  }

  private final Simulation sim;
  private final Rates rates;
  private final SimRandom random;
  private final long untilNanos;
  private final Set<NodeId> down = new LinkedHashSet<>();
  private final Set<NodeId> paused = new LinkedHashSet<>();
  private final List<TimedFault> strikes = new ArrayList<>();

  private SwarmFaults(Simulation sim, Rates rates, long untilNanos) {
    this.sim = sim;
    this.rates = rates;
    this.random = sim.random("kernel.swarm");
    this.untilNanos = untilNanos;
  }

  /**
   * Starts striking now and stops at {@code untilNanos}; the runner heals everything after that. The
   * returned swarm remembers its strikes ({@link #strikes}).
   */
  public static SwarmFaults start(Simulation sim, Rates rates, long untilNanos) {
    Check.argument(rates.meanGapNanos() > 0, "swarm needs a positive mean gap");
    SwarmFaults swarm = new SwarmFaults(sim, rates, untilNanos);
    swarm.scheduleNext();
    return swarm;
  }

  /**
   * What the swarm did so far, as a fault plan: each strike {@code at <time> <action>}. Scheduled as a plan
   * on the same seed without the swarm, it injects the same faults at the same instants, which is what lets
   * exploration shrink a failing run to a few scripted faults.
   */
  public FaultPlan strikes() {
    return new FaultPlan(strikes);
  }

  private void scheduleNext() {
    long gap = random.exponentialNanos(rates.meanGapNanos());
    if (sim.nowNanos() + gap >= untilNanos) return;
    sim.schedule(gap, "swarm", () -> {
      strike();
      scheduleNext();
    });
  }

  private void strike() {
    List<NodeId> servers = sim.serverIds();
    if (servers.isEmpty()) return;
    FaultAction action = choose(servers);
    strikes.add(new TimedFault(sim.nowNanos(), action));
    action.trace(sim, "sim", "swarm", action.toString());
    action.apply(sim);
  }

  private FaultAction choose(List<NodeId> servers) {
    down.removeIf(n -> sim.isUp(n));
    paused.removeIf(n -> !sim.isPaused(n));
    double total = rates.partitionWeight() + rates.crashWeight() + rates.pauseWeight() + rates.dropWeight();
    double r = random.nextDouble() * total;
    int impaired = down.size() + paused.size();
    if ((r -= rates.crashWeight()) < 0) {
      if (!down.isEmpty()) {
        NodeId n = random.pick(new ArrayList<>(down));
        down.remove(n);
        return new FaultAction.Restart(n);
      }
      if (impaired < rates.maxDown()) {
        NodeId n = random.pick(servers);
        if (sim.isUp(n)) {
          down.add(n);
          return new FaultAction.Crash(n);
        }
      }
      return new FaultAction.Heal();
    }
    if ((r -= rates.pauseWeight()) < 0) {
      if (!paused.isEmpty()) {
        NodeId n = random.pick(new ArrayList<>(paused));
        paused.remove(n);
        return new FaultAction.Resume(n);
      }
      NodeId n = random.pick(servers);
      if (impaired < rates.maxDown() && sim.isUp(n)) {
        paused.add(n);
        return new FaultAction.Pause(n);
      }
      return new FaultAction.Heal();
    }
    if ((r -= rates.partitionWeight()) < 0) {
      if (sim.network().hasFaults()) return new FaultAction.Heal();
      return randomPartition(servers);
    }
    return new FaultAction.Drop(0.05 + 0.2 * random.nextDouble());
  }

  private FaultAction randomPartition(List<NodeId> servers) {
    Set<NodeId> a = new LinkedHashSet<>();
    Set<NodeId> b = new LinkedHashSet<>();
    for (NodeId n : sim.nodeIds()) {
      if (random.chance(0.5)) a.add(n); else b.add(n);
    }
    if (a.isEmpty() || b.isEmpty()) {
      NodeId lone = random.pick(servers);
      a.clear();
      b.clear();
      a.add(lone);
      for (NodeId n : sim.nodeIds()) if (!n.equals(lone)) b.add(n);
    }
    return new FaultAction.Partition(List.of(a, b));
  }
}
