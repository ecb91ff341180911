package sim.core.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;

/**
 * Runs a scenario twice with the same options and compares the traces event by event. When they differ it
 * names the first differing event from each run: that is where hidden nondeterminism (a wall clock, an
 * identity hash, an unseeded random) entered.
 */
public final class DeterminismCheck {
  /** Same hash, or the first event where the runs part. */
  public record Outcome(boolean deterministic, String hashA, String hashB, long events, TraceEvent firstA,
      TraceEvent firstB) {
    public String describe() {
      if (deterministic) return "deterministic: " + events + " events, trace hash " + hashA + " both times";
      return "NOT deterministic: trace hashes " + hashA + " and " + hashB + " differ; first difference at event "
          + (firstA == null ? firstB.index() : firstA.index()) + ":\n  run 1: " + (firstA == null ? "(ended)" : firstA.narrate())
          + "\n  run 2: " + (firstB == null ? "(ended)" : firstB.narrate());
    }
  }

  private DeterminismCheck() {}

  public static Outcome check(Scenario scenario, RunOptions options) {
    HashRecorder first = new HashRecorder(null);
    RunResult a = ScenarioRunner.run(scenario, options.withListeners(append(options.listeners(), first)));
    HashRecorder second = new HashRecorder(first.hashes);
    RunResult b = ScenarioRunner.run(scenario, options.withListeners(append(options.listeners(), second)));
    if (a.traceHash().equals(b.traceHash()) && first.hashes.size() == second.count) {
      return new Outcome(true, a.traceHash(), b.traceHash(), a.events(), null, null);
    }
    long at = second.firstDifference >= 0 ? second.firstDifference : Math.min(first.hashes.size(), second.count);
    EventAt pick = new EventAt(at);
    ScenarioRunner.run(scenario, options.withListeners(append(options.listeners(), pick)));
    return new Outcome(false, a.traceHash(), b.traceHash(), a.events(), pick.event, second.firstDifferent);
  }

  private static List<TraceListener> append(List<TraceListener> base, TraceListener extra) {
    List<TraceListener> all = new ArrayList<>(base);
    all.add(extra);
    return all;
  }

  /** Records each event's hash (first run) or compares against them (second run). */
  private static final class HashRecorder implements TraceListener {
    final List<Long> hashes = new ArrayList<>();
    final List<Long> expected;
    long count;
    long firstDifference = -1;
    TraceEvent firstDifferent;

    HashRecorder(List<Long> expected) {
      this.expected = expected;
    }

    @Override
    public void onEvent(TraceEvent e) {
      if (expected == null) {
        hashes.add(e.contentHash());
      } else if (firstDifference < 0 && (count >= expected.size() || expected.get((int) count) != e.contentHash())) {
        firstDifference = count;
        firstDifferent = e;
      }
      count++;
    }
  }

  private static final class EventAt implements TraceListener {
    final long index;
    TraceEvent event;

    EventAt(long index) {
      this.index = index;
    }

    @Override
    public void onEvent(TraceEvent e) {
      if (e.index() == index) event = e;
    }
  }
}
