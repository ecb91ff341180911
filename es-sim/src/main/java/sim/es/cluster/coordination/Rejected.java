package sim.es.cluster.coordination;

/** CoordinationStateRejectedException: the message breaks a rule of the algorithm and is ignored, with why. */
public final class Rejected extends RuntimeException {
  public Rejected(String message) {
    super(message, null, false, false);
  }
}
