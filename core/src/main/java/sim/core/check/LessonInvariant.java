package sim.core.check;

/**
 * A property of the scenario's story that should hold after every event of its scripted run ("the most
 * up-to-date server leads"). Unlike an {@link Invariant} it never stops a run: its first violation is
 * recorded and judged at the end like a lesson check (a failure under the scenario's own plan, "not
 * demonstrated" under other faults).
 */
@FunctionalInterface
public interface LessonInvariant {
  /** Null while the story holds, else what departed from it. */
  String departure();
}
