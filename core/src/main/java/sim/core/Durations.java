package sim.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** Simulated time is a {@code long} of nanoseconds; these name the units and parse "250ms", "5s", "2m". */
public final class Durations {
  public static final long NANOS_PER_MICRO = 1_000L;
  public static final long NANOS_PER_MILLI = 1_000_000L;
  public static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Durations() {}

  public static long micros(long micros) {
    return Math.multiplyExact(micros, NANOS_PER_MICRO);
  }

  public static long millis(long millis) {
    return Math.multiplyExact(millis, NANOS_PER_MILLI);
  }

  public static long seconds(long seconds) {
    return Math.multiplyExact(seconds, NANOS_PER_SECOND);
  }

  /**
   * Parses a duration: a non-negative decimal number followed by a unit (ns, us, ms, s, m, h).
   *
   * @throws IllegalArgumentException naming the text and what was expected
   */
  public static long parse(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
    if (i == 0 || i == t.length()) {
      throw new IllegalArgumentException("bad duration '" + text + "': expected a number and a unit (ns, us, ms, s, m, h), e.g. 250ms or 5s");
    }
    BigDecimal value;
    try {
      value = new BigDecimal(t.substring(0, i)); // exact: "1.000000001s" is one nanosecond past a second
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad duration '" + text + "': '" + t.substring(0, i) + "' is not a number");
    }
    long unit = switch (t.substring(i)) {
      case "ns" -> 1L;
      case "us" -> NANOS_PER_MICRO;
      case "ms" -> NANOS_PER_MILLI;
      case "s" -> NANOS_PER_SECOND;
      case "m", "min" -> 60 * NANOS_PER_SECOND;
      case "h" -> 3600 * NANOS_PER_SECOND;
      default -> throw new IllegalArgumentException(
          "bad duration '" + text + "': unknown unit '" + t.substring(i) + "' (use ns, us, ms, s, m or h)");
    };
    try {
      return value.multiply(BigDecimal.valueOf(unit)).setScale(0, RoundingMode.HALF_UP).longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("bad duration '" + text + "': too long");
    }
  }

  /**
   * Exact and as short as exactness allows, in the largest unit it fits: "3s", "3.5s", "2.000000001s",
   * "250ms", "1.25ms", "40us", "7ns" — the way a scenario's own plan is written. {@link #parse} reads it back
   * to the same nanoseconds, so fault plans printed with it (a swarm's strikes, a shrunk plan) replay exactly.
   */
  public static String formatExact(long nanos) {
    if (nanos == 0) return "0s";
    long abs = Math.abs(nanos);
    long unit = abs >= NANOS_PER_SECOND ? NANOS_PER_SECOND : abs >= NANOS_PER_MILLI ? NANOS_PER_MILLI
        : abs >= NANOS_PER_MICRO ? NANOS_PER_MICRO : 1;
    String suffix = unit == NANOS_PER_SECOND ? "s" : unit == NANOS_PER_MILLI ? "ms" : unit == NANOS_PER_MICRO ? "us" : "ns";
    BigDecimal value = BigDecimal.valueOf(nanos).divide(BigDecimal.valueOf(unit)).stripTrailingZeros();
    return value.toPlainString() + suffix;
  }

  /** "1.250s", "12ms", "0s": short and exact enough for traces and narration. */
  public static String format(long nanos) {
    if (nanos == 0) return "0s";
    if (nanos % NANOS_PER_SECOND == 0) return nanos / NANOS_PER_SECOND + "s";
    if (nanos % NANOS_PER_MILLI == 0 && Math.abs(nanos) < NANOS_PER_SECOND) return nanos / NANOS_PER_MILLI + "ms";
    if (Math.abs(nanos) >= NANOS_PER_SECOND) {
      return String.format(Locale.ROOT, "%.3fs", nanos / (double) NANOS_PER_SECOND);
    }
    if (Math.abs(nanos) >= NANOS_PER_MILLI) {
      return String.format(Locale.ROOT, "%.3fms", nanos / (double) NANOS_PER_MILLI);
    }
    return nanos / NANOS_PER_MICRO + "us";
  }
}
