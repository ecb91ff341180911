package sim.core.testing;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.disk.CrashLossMode;
import sim.core.fault.FaultAction;
import sim.core.fault.TimedFault;

/** jqwik generators for seeds and fault plans, so property tests explore schedules of faults. */
public final class SimArbitraries {
  private SimArbitraries() {}

  public static Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  /** One fault item over {@code nodes}, at a time within {@code horizonNanos}, as plan text. */
  public static Arbitrary<String> faultItems(List<String> nodes, long horizonNanos) {
    Arbitrary<String> node = Arbitraries.of(nodes);
    Arbitrary<String> at = Arbitraries.longs().between(0, horizonNanos / Durations.NANOS_PER_MILLI).map(ms -> "at " + ms + "ms ");
    Arbitrary<String> action = Arbitraries.oneOf(
        node.map(n -> "crash " + n),
        node.map(n -> "restart " + n),
        node.map(n -> "pause " + n),
        node.map(n -> "resume " + n),
        Combinators.combine(node, node).filter((a, b) -> !a.equals(b)).as((a, b) -> "partition " + a + "|" + b),
        Combinators.combine(node, node).filter((a, b) -> !a.equals(b)).as((a, b) -> "block " + a + "->" + b),
        Arbitraries.just("heal"),
        Arbitraries.doubles().between(0, 0.5).map(p -> String.format(java.util.Locale.ROOT, "drop %.2f", p)),
        Arbitraries.doubles().between(0, 0.3).map(p -> String.format(java.util.Locale.ROOT, "duplicate %.2f", p)),
        Arbitraries.of("on", "off").map(o -> "reorder " + o),
        node.map(n -> "disk " + n + " prefix"),
        node.map(n -> "disk " + n + " torn"));
    return Combinators.combine(at, action).as(String::concat);
  }

  /**
   * Every kind of fault action over {@code nodes}, as objects, with values at full precision (any
   * nanosecond, any double probability): what a swarm or a shrinker produces, not only what a person types.
   */
  public static Arbitrary<FaultAction> faultActions(List<String> nodes) {
    Arbitrary<NodeId> node = Arbitraries.of(nodes).map(NodeId::of);
    Arbitrary<Long> nanos = Arbitraries.longs().between(0, Durations.seconds(100));
    Arbitrary<Double> p = Arbitraries.doubles().between(0, 1).ofScale(17);
    Arbitrary<Set<NodeId>> group = Arbitraries.of(nodes).set().ofMinSize(1).map(g -> {
      Set<NodeId> ids = new LinkedHashSet<>();
      for (String n : g) ids.add(NodeId.of(n));
      return ids;
    });
    return Arbitraries.oneOf(List.of(
        node.map(FaultAction.Crash::new), node.map(FaultAction.Restart::new), node.map(FaultAction.Pause::new),
        node.map(FaultAction.Resume::new),
        group.list().ofMinSize(2).ofMaxSize(3).map(FaultAction.Partition::new),
        Combinators.combine(node, node).as(FaultAction.Block::new),
        Arbitraries.just(new FaultAction.Heal()),
        p.map(FaultAction.Drop::new), p.map(FaultAction.Duplicate::new),
        Arbitraries.longs().between(0, 1_000_000).map(FaultAction.DropMessage::new),
        Arbitraries.longs().between(0, 1_000_000).map(FaultAction.DuplicateMessage::new),
        Arbitraries.of(true, false).map(FaultAction.Reorder::new),
        Combinators.combine(node, nanos).as(FaultAction.Slow::new),
        Combinators.combine(node, nanos).as(FaultAction.Skew::new),
        Combinators.combine(node, Arbitraries.of(CrashLossMode.values())).as(FaultAction.DiskLossMode::new),
        Combinators.combine(node, Arbitraries.integers().between(0, 100)).as(FaultAction.DiskEio::new),
        Combinators.combine(node, Arbitraries.integers().between(0, 100)).as(FaultAction.DiskFsyncEio::new),
        Combinators.combine(node, nanos).as(FaultAction.DiskFsyncLatency::new),
        Combinators.combine(node, p).as(FaultAction.DiskCorruptReads::new),
        node.map(FaultAction.DiskFull::new),
        Combinators.combine(node, Arbitraries.strings().alpha().numeric().withChars('.', '-', '_').ofMinLength(1).ofMaxLength(12),
            Arbitraries.longs().between(0, 1 << 20), Arbitraries.integers().between(0, 4096)).as(FaultAction.DiskCorrupt::new)));
  }

  /** A fault at any nanosecond within {@code horizonNanos}. */
  public static Arbitrary<TimedFault> timedFaults(List<String> nodes, long horizonNanos) {
    return Combinators.combine(Arbitraries.longs().between(0, horizonNanos), faultActions(nodes)).as(TimedFault::new);
  }

  /** A whole plan of up to {@code maxItems} faults, as text the parser accepts. */
  public static Arbitrary<String> faultPlans(List<String> nodes, long horizonNanos, int maxItems) {
    return faultItems(nodes, horizonNanos).list().ofMaxSize(maxItems).map(items -> String.join("; ", items));
  }
}
