package sim.core.scenario;

import sim.core.Check;

/**
 * The words and timings of a scenario: what it is called, what it teaches, which faults it injects and how
 * long each phase runs. A {@link LessonScenario} built from one only has to say how to set the cluster up.
 */
public record Lesson(String name, String summary, String explanation, String faultPlan, long durationNanos,
    long livenessNanos) {
  public Lesson {
    Check.argument(name != null && name.matches("[a-z0-9]+(\\.[a-z0-9-]+)+"),
        "scenario name '%s' should look like 'system.what-it-shows'", name);
    Check.argument(summary != null && !summary.isBlank(), "scenario %s needs a summary", name);
    Check.argument(explanation != null && !explanation.isBlank(), "scenario %s needs an explanation", name);
    Check.argument(durationNanos > 0 && livenessNanos >= 0, "scenario %s needs a positive duration", name);
    faultPlan = faultPlan == null ? "" : faultPlan;
  }
}
