package sim.core.testing;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import sim.core.Durations;

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

  /** A whole plan of up to {@code maxItems} faults, as text the parser accepts. */
  public static Arbitrary<String> faultPlans(List<String> nodes, long horizonNanos, int maxItems) {
    return faultItems(nodes, horizonNanos).list().ofMaxSize(maxItems).map(items -> String.join("; ", items));
  }
}
