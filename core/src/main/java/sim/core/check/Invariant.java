package sim.core.check;

/** A property that must hold after every event. Returns null when it holds, else what is wrong. */
@FunctionalInterface
public interface Invariant {
  String violation();
}
