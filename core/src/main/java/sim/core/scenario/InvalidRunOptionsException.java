package sim.core.scenario;

/** Options that cannot apply to this scenario (a {@code --break} it never consults): a usage error, not a bug. */
public final class InvalidRunOptionsException extends IllegalArgumentException {
  public InvalidRunOptionsException(String message) {
    super(message);
  }
}
