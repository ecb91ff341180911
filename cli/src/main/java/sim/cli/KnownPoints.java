package sim.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import sim.core.NodeId;
import sim.core.scenario.RunOptions;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.NarrationFilter;
import sim.core.trace.Text;

/**
 * The names a breakpoint or a filter can use in one run: its nodes, the model's write-path points and the
 * kernel's event kinds. Points are found by a dry run of the same scenario with the same seed, faults and
 * swarm (deterministic, so it is the very run about to be stepped, as long as no fault is injected by
 * hand), not by a declared list: nothing to keep in step with the models, and points that only the user's
 * own faults bring about are found too. The dry run costs one run (well under a second for most
 * scenarios) and is cached per scenario and options for the life of the process.
 */
record KnownPoints(List<String> nodes, SortedSet<String> points) {
  /** Every kind the kernel itself records. */
  static final Set<String> KERNEL_KINDS = sim.core.trace.KernelKinds.ALL;

  private static final Map<String, KnownPoints> CACHE = new ConcurrentHashMap<>();

  static KnownPoints of(Scenario scenario, RunOptions options) {
    RunOptions bare = options.withListeners(List.of());
    String key = ScenarioRunner.replayCommand(scenario, bare);
    return CACHE.computeIfAbsent(key, k -> dryRun(scenario, bare));
  }

  private static KnownPoints dryRun(Scenario scenario, RunOptions options) {
    Set<String> kinds = new TreeSet<>();
    List<String> nodes = new ArrayList<>();
    ScenarioRunner.run(scenario, options.withListeners(List.of(e -> kinds.add(e.kind()))),
        sim -> sim.nodeIds().stream().map(NodeId::name).forEach(nodes::add));
    kinds.removeAll(KERNEL_KINDS);
    return new KnownPoints(List.copyOf(nodes), Collections.unmodifiableSortedSet(new TreeSet<>(kinds)));
  }

  /** Every name a breakpoint can use: points, kernel kinds, nodes. */
  List<String> allNames() {
    List<String> all = new ArrayList<>(points);
    all.addAll(new TreeSet<>(KERNEL_KINDS));
    all.addAll(nodes);
    return all;
  }

  /** Whether {@code what} names a node, a kind, or a prefix of kinds ({@code kafka.leader}). */
  boolean knows(String what, Set<String> alsoSeen) {
    if (nodes.contains(what) || KERNEL_KINDS.contains(what) || points.contains(what) || alsoSeen.contains(what)) return true;
    for (String p : points) if (NarrationFilter.kindMatches(p, what)) return true;
    for (String k : alsoSeen) if (NarrationFilter.kindMatches(k, what)) return true;
    return false;
  }

  /** Names close to {@code what}, for "did you mean …?". */
  List<String> closeTo(String what, Set<String> alsoSeen) {
    List<String> all = new ArrayList<>(allNames());
    all.addAll(alsoSeen);
    return Text.closeNames(what, all, 3);
  }
}
