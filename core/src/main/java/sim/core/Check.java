package sim.core;

/**
 * Checks that stay on in production, unlike {@code assert}. A failed check is a bug in a model or in the
 * kernel, never an expected outcome, so it throws {@link IllegalStateException} (or
 * {@link IllegalArgumentException} for a caller's mistake) with the reason.
 */
public final class Check {
  private Check() {}

  public static void state(boolean condition, String why) {
    if (!condition) throw new IllegalStateException(why);
  }

  // One- and two-argument forms: the varargs ones allocate their array on every call, failed or not, and some
  // checks sit on paths taken after every event (a node lookup).
  public static void state(boolean condition, String format, Object arg) {
    if (!condition) throw new IllegalStateException(String.format(format, arg));
  }

  public static void state(boolean condition, String format, Object arg1, Object arg2) {
    if (!condition) throw new IllegalStateException(String.format(format, arg1, arg2));
  }

  public static void state(boolean condition, String format, Object... args) {
    if (!condition) throw new IllegalStateException(String.format(format, args));
  }

  public static void argument(boolean condition, String why) {
    if (!condition) throw new IllegalArgumentException(why);
  }

  public static void argument(boolean condition, String format, Object arg) {
    if (!condition) throw new IllegalArgumentException(String.format(format, arg));
  }

  public static void argument(boolean condition, String format, Object arg1, Object arg2) {
    if (!condition) throw new IllegalArgumentException(String.format(format, arg1, arg2));
  }

  public static void argument(boolean condition, String format, Object... args) {
    if (!condition) throw new IllegalArgumentException(String.format(format, args));
  }

  public static <T> T notNull(T value, String what) {
    if (value == null) throw new IllegalArgumentException(what + " must not be null");
    return value;
  }
}
