package sim.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The real-system rules a run switches off ({@code --break}), and which of them a model or scenario asked
 * about: a requested break nobody consults would silently do nothing, so the runner refuses it.
 */
final class BrokenRules {
  private final TreeSet<String> broken = new TreeSet<>();
  private final TreeSet<String> consulted = new TreeSet<>();

  /** Replaces the set; returns it in name order, for the trace. */
  List<String> set(Set<String> rules) {
    broken.clear();
    broken.addAll(rules);
    return List.copyOf(broken);
  }

  boolean isBroken(String rule) {
    consulted.add(rule);
    return broken.contains(rule);
  }

  List<String> unconsulted() {
    List<String> out = new ArrayList<>();
    for (String r : broken) if (!consulted.contains(r)) out.add(r);
    return out;
  }
}
