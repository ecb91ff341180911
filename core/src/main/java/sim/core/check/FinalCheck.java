package sim.core.check;

/** A check run once when the run ends (after the liveness phase): durability, convergence, progress. */
@FunctionalInterface
public interface FinalCheck {
  CheckResult check();
}
