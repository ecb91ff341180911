package sim.core.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sums over explored seeds, added in seed order: how many held, the events they ran, and per lesson how
 * often the faults kept it from happening, per excuse rule how often it allowed an anomaly. Renders the
 * same lines whatever order or thread the seeds ran in.
 */
public final class Tally {
  private int seeds;
  private long events;
  private int runsWithAnomalies;
  private final TreeMap<String, Integer> notDemonstrated = new TreeMap<>();
  private final TreeMap<String, Integer> excuses = new TreeMap<>();

  public void add(SeedOutcome o) {
    seeds++;
    events += o.events();
    if (!o.excuses().isEmpty()) runsWithAnomalies++;
    for (String l : o.notDemonstrated()) notDemonstrated.merge(l, 1, Integer::sum);
    for (String e : o.excuses()) excuses.merge(e, 1, Integer::sum);
  }

  public int seeds() {
    return seeds;
  }

  public long events() {
    return events;
  }

  public int runsWithAnomalies() {
    return runsWithAnomalies;
  }

  /** Lesson name → in how many seeds it was not demonstrated. */
  public Map<String, Integer> notDemonstrated() {
    return java.util.Collections.unmodifiableMap(notDemonstrated);
  }

  /** "check: rule" → in how many seeds that rule excused an anomaly. */
  public Map<String, Integer> excuses() {
    return java.util.Collections.unmodifiableMap(excuses);
  }

  /** "lesson zk.saw-trunc not demonstrated in 712 of 1000 seeds", then "anomaly allowed by …" lines. */
  public List<String> render() {
    List<String> out = new ArrayList<>();
    for (var e : notDemonstrated.entrySet()) {
      out.add("lesson " + e.getKey() + " not demonstrated in " + e.getValue() + " of " + seeds + " seeds");
    }
    for (var e : excuses.entrySet()) {
      out.add("expected anomaly " + e.getKey() + " in " + e.getValue() + " of " + seeds + " seeds");
    }
    return out;
  }
}
