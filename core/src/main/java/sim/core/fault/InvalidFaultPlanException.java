package sim.core.fault;

/** A fault plan that cannot run: bad syntax, or a node the scenario does not have. A usage error. */
public class InvalidFaultPlanException extends IllegalArgumentException {
  public InvalidFaultPlanException(String message) {
    super(message);
  }
}
