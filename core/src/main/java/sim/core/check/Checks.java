package sim.core.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Check;

/**
 * The checks registered on one simulation: safety invariants (after every k-th event; a violation stops the
 * run), lesson invariants (their first departure is remembered, the run goes on), and the final checks, each
 * a safety check or a lesson. Whether a failed lesson is a failure or only "not demonstrated" depends on
 * whether the run used the scenario's own faults ({@link #setScripted}).
 */
public final class Checks {
  /** A violated safety invariant, as the kernel reports it. */
  public record Violation(String invariant, String detail) {}

  private final Map<String, Invariant> invariants = new LinkedHashMap<>();
  private final Map<String, LessonInvariant> lessonInvariants = new LinkedHashMap<>();
  private final Map<String, String> departures = new LinkedHashMap<>();
  private final Map<String, FinalCheck> finals = new LinkedHashMap<>();
  private final Map<String, CheckResult.Kind> kinds = new LinkedHashMap<>();
  private boolean scripted = true;

  public void addInvariant(String name, Invariant invariant) {
    claim(name, CheckResult.Kind.SAFETY);
    invariants.put(name, invariant);
  }

  public void addLessonInvariant(String name, LessonInvariant invariant) {
    claim(name, CheckResult.Kind.LESSON);
    lessonInvariants.put(name, invariant);
  }

  public void addFinalCheck(String name, FinalCheck check) {
    claim(name, CheckResult.Kind.SAFETY);
    finals.put(name, check);
  }

  public void addLessonCheck(String name, FinalCheck check) {
    claim(name, CheckResult.Kind.LESSON);
    finals.put(name, check);
  }

  private void claim(String name, CheckResult.Kind kind) {
    Check.argument(!kinds.containsKey(name), "check %s already added", name);
    kinds.put(name, kind);
  }

  /** True (the default) when the run uses the scenario's own faults, so its lessons must hold. */
  public void setScripted(boolean scripted) {
    this.scripted = scripted;
  }

  public boolean scripted() {
    return scripted;
  }

  /** Runs the safety invariants; returns the first violation, or null. */
  public Violation firstViolation() {
    for (Map.Entry<String, Invariant> e : invariants.entrySet()) {
      String v = e.getValue().violation();
      if (v != null) return new Violation(e.getKey(), v);
    }
    return null;
  }

  /** Runs the lesson invariants that have not departed yet; returns the names that departed now. */
  public List<String> newDepartures() {
    if (lessonInvariants.size() == departures.size()) return List.of();
    List<String> now = new ArrayList<>();
    for (Map.Entry<String, LessonInvariant> e : lessonInvariants.entrySet()) {
      if (departures.containsKey(e.getKey())) continue;
      String d = e.getValue().departure();
      if (d != null) {
        departures.put(e.getKey(), d);
        now.add(e.getKey());
      }
    }
    return now;
  }

  public String departure(String lessonInvariant) {
    return departures.get(lessonInvariant);
  }

  /** Every final verdict, in registration order: lesson invariants first, then the final checks. */
  public List<CheckResult> finalVerdicts() {
    List<CheckResult> out = new ArrayList<>();
    for (String name : lessonInvariants.keySet()) {
      String d = departures.get(name);
      out.add(judge(d == null ? CheckResult.ok(name, "held after every event") : CheckResult.failed(name, d), CheckResult.Kind.LESSON));
    }
    for (Map.Entry<String, FinalCheck> e : finals.entrySet()) {
      CheckResult r;
      try {
        r = e.getValue().check();
      } catch (RuntimeException ex) { // a check that cannot judge the end state is a failure, not a crash of the run
        r = CheckResult.failed(e.getKey(), "the check threw " + ex);
      }
      Check.state(r != null, "final check %s returned null", e.getKey());
      out.add(judge(r, kinds.get(e.getKey())));
    }
    return out;
  }

  private CheckResult judge(CheckResult r, CheckResult.Kind kind) {
    if (kind == CheckResult.Kind.SAFETY) return r;
    CheckResult lesson = r.asLesson();
    return scripted ? lesson : lesson.notDemonstrated();
  }

  public boolean hasInvariants() {
    return !invariants.isEmpty() || lessonInvariants.size() > departures.size();
  }

  public List<String> names() {
    return List.copyOf(kinds.keySet());
  }

  public CheckResult.Kind kind(String name) {
    return kinds.get(name);
  }
}
