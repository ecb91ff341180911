package sim.core.scenario;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Every scenario of every module on the class path, found through {@link ScenarioProvider}, by name. */
public final class ScenarioRegistry {
  private final TreeMap<String, Scenario> byName = new TreeMap<>();

  private ScenarioRegistry(List<Scenario> scenarios) {
    for (Scenario s : scenarios) {
      Scenario previous = byName.put(s.name(), s);
      if (previous != null) throw new IllegalStateException("two scenarios are named " + s.name());
    }
  }

  public static ScenarioRegistry load() {
    List<Scenario> all = new ArrayList<>();
    for (ScenarioProvider p : ServiceLoader.load(ScenarioProvider.class)) all.addAll(p.scenarios());
    return new ScenarioRegistry(all);
  }

  public static ScenarioRegistry of(List<Scenario> scenarios) {
    return new ScenarioRegistry(scenarios);
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

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
