package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;

/**
 * What happened in a run, as a learner would read it from the narration: the write-path points, notes and
 * connection resets. Lesson checks ask it whether the scenario's story was told ("b1 truncated by
 * OffsetsForLeaderEpoch", "the ISR shrank to [b1]").
 */
public final class Story implements TraceListener {
  private final List<TraceEvent> events = new ArrayList<>();

  @Override
  public void onEvent(TraceEvent e) {
    if (e.kind().startsWith("kafka.") || e.kind().equals("note") || e.kind().equals("conn.reset")) events.add(e);
  }

  public List<TraceEvent> events() {
    return events;
  }

  /** The first event of {@code kind} (on {@code node}, if not null) whose detail contains {@code part}. */
  public TraceEvent first(String kind, String node, String part) {
    return first(e -> e.kind().equals(kind) && (node == null || e.node().equals(node)) && e.detail().contains(part));
  }

  public TraceEvent first(Predicate<TraceEvent> p) {
    for (TraceEvent e : events) if (p.test(e)) return e;
    return null;
  }

  public boolean saw(String kind, String part) {
    return first(kind, null, part) != null;
  }

  public int count(String kind, String part) {
    int n = 0;
    for (TraceEvent e : events) if (e.kind().equals(kind) && e.detail().contains(part)) n++;
    return n;
  }
}
