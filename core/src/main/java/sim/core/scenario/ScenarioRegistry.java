package sim.core.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import sim.core.check.BreakRule;

/** Every scenario of every module on the class path, found through {@link ScenarioProvider}, by name. */
public final class ScenarioRegistry {
  private final TreeMap<String, Scenario> byName = new TreeMap<>();
  private final TreeMap<String, BreakRule> breaksByName = new TreeMap<>();

  private ScenarioRegistry(List<Scenario> scenarios, List<BreakRule> breaks) {
    for (Scenario s : scenarios) {
      Scenario previous = byName.put(s.name(), s);
      if (previous != null) throw new IllegalStateException("two scenarios are named " + s.name());
    }
    for (BreakRule b : breaks) {
      if (breaksByName.put(b.name(), b) != null) throw new IllegalStateException("two break rules are named " + b.name());
      if (!byName.containsKey(b.scenario())) {
        throw new IllegalStateException("break rule " + b.name() + " names scenario " + b.scenario() + ", which does not exist");
      }
    }
  }

  public static ScenarioRegistry load() {
    List<Scenario> all = new ArrayList<>();
    List<BreakRule> breaks = new ArrayList<>();
    for (ScenarioProvider p : ServiceLoader.load(ScenarioProvider.class)) {
      all.addAll(p.scenarios());
      breaks.addAll(p.breakRules());
    }
    return new ScenarioRegistry(all, breaks);
  }

  public static ScenarioRegistry of(List<Scenario> scenarios) {
    return new ScenarioRegistry(scenarios, List.of());
  }

  public static ScenarioRegistry of(List<Scenario> scenarios, List<BreakRule> breaks) {
    return new ScenarioRegistry(scenarios, breaks);
  }

  /** Every rule a model can switch off with {@code --break}, by name. */
  public List<BreakRule> breakRules() {
    return List.copyOf(breaksByName.values());
  }

  public Optional<BreakRule> findBreak(String name) {
    return Optional.ofNullable(breaksByName.get(name));
  }

  public List<Scenario> all() {
    return List.copyOf(byName.values());
  }

  public Optional<Scenario> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Up to three names close to a mistyped one (edit distance, or containing it). */
  public List<String> suggest(String name) {
    return byName.keySet().stream()
        .filter(n -> n.contains(name) || editDistance(n, name) <= Math.max(2, name.length() / 3))
        .sorted(Comparator.comparingInt((String n) -> editDistance(n, name)).thenComparing(n -> n))
        .limit(3)
        .toList();
  }

  public static int editDistance(String a, String b) {
    return sim.core.trace.Text.editDistance(a, b);
  }
}
