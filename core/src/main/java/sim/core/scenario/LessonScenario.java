package sim.core.scenario;

import sim.core.Check;

/** A scenario whose name, story, faults and timings come from a {@link Lesson}; subclasses write {@code setup}. */
public abstract class LessonScenario implements Scenario {
  private final Lesson lesson;

  protected LessonScenario(Lesson lesson) {
    this.lesson = Check.notNull(lesson, "lesson");
  }

  public final Lesson lesson() {
    return lesson;
  }

  @Override
  public final String name() {
    return lesson.name();
  }

  @Override
  public final String summary() {
    return lesson.summary();
  }

  @Override
  public final String explanation() {
    return lesson.explanation();
  }

  @Override
  public final String faultPlan() {
    return lesson.faultPlan();
  }

  @Override
  public final long durationNanos() {
    return lesson.durationNanos();
  }

  @Override
  public final long livenessNanos() {
    return lesson.livenessNanos();
  }

  @Override
  public String toString() {
    return lesson.name();
  }
}
