package sim.cassandra.schema;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sim.cassandra.metrics.DecayingHistogram;

/**
 * The table option {@code speculative_retry} (Cassandra 5.0's {@code SpeculativeRetryPolicy}): when a read's
 * replicas have not all answered by a threshold, the coordinator asks one more. {@code 99p} (the default) takes
 * the threshold from the table's coordinator read latency; {@code 50ms} fixes it; {@code ALWAYS} contacts one
 * replica more from the start; {@code NONE} (or {@code NEVER}) never speculates; {@code MIN(99p,50ms)} and
 * {@code MAX(…)} take the smaller or greater of a percentile and a fixed wait.
 */
public sealed interface SpeculativeRetryPolicy {
  SpeculativeRetryPolicy DEFAULT = new Percentile(99.0);

  /** The threshold in microseconds given the latency so far; {@code existingMicros} when there is nothing to go by. */
  long thresholdMicros(DecayingHistogram latency, long nowNanos, long existingMicros);

  /** Never speculate: the coordinator waits for the replicas it first contacted. */
  record Never() implements SpeculativeRetryPolicy {
    @Override
    public long thresholdMicros(DecayingHistogram latency, long nowNanos, long existingMicros) {
      return Long.MAX_VALUE;
    }

    @Override
    public String toString() {
      return "NEVER";
    }
  }

  /** Contact blockFor + 1 replicas from the start (two of them for data). */
  record Always() implements SpeculativeRetryPolicy {
    @Override
    public long thresholdMicros(DecayingHistogram latency, long nowNanos, long existingMicros) {
      return 0;
    }

    @Override
    public String toString() {
      return "ALWAYS";
    }
  }

  /** A fixed wait, {@code Nms}. */
  record Fixed(int speculateAtMs) implements SpeculativeRetryPolicy {
    @Override
    public long thresholdMicros(DecayingHistogram latency, long nowNanos, long existingMicros) {
      return speculateAtMs * 1000L;
    }

    @Override
    public String toString() {
      return speculateAtMs + "ms";
    }
  }

  /** The given percentile of the table's coordinator read latency, {@code Np}. */
  record Percentile(double percentile) implements SpeculativeRetryPolicy {
    @Override
    public long thresholdMicros(DecayingHistogram latency, long nowNanos, long existingMicros) {
      if (latency.size(nowNanos) <= 0) return existingMicros;
      long v = latency.value(percentile / 100, nowNanos);
      return v < 0 ? existingMicros : v;
    }

    @Override
    public String toString() {
      return new DecimalFormat("#.####", DecimalFormatSymbols.getInstance(Locale.ENGLISH)).format(percentile) + "p";
    }
  }

  /** {@code MIN(99p,50ms)} or {@code MAX(…)}: the smaller or greater of a percentile and a fixed wait. */
  record Hybrid(Percentile percentile, Fixed fixed, boolean min) implements SpeculativeRetryPolicy {
    @Override
    public long thresholdMicros(DecayingHistogram latency, long nowNanos, long existingMicros) {
      if (latency.size(nowNanos) <= 0) return existingMicros;
      long p = percentile.thresholdMicros(latency, nowNanos, existingMicros);
      long f = fixed.thresholdMicros(latency, nowNanos, existingMicros);
      return min ? Math.min(p, f) : Math.max(p, f);
    }

    @Override
    public String toString() {
      return (min ? "MIN" : "MAX") + "(" + percentile + "," + fixed + ")";
    }
  }

  Pattern PERCENTILE = Pattern.compile("^(?<val>[0-9.]+)p(ercentile)?$", Pattern.CASE_INSENSITIVE);
  Pattern FIXED = Pattern.compile("^(?<val>[0-9.]+)ms$", Pattern.CASE_INSENSITIVE);
  Pattern HYBRID = Pattern.compile("^(?<fun>MIN|MAX)\\((?<val1>[0-9.]+[a-z]+)\\s*,\\s*(?<val2>[0-9.]+[a-z]+)\\)$", Pattern.CASE_INSENSITIVE);

  /** SpeculativeRetryPolicy.fromString: ALWAYS, NEVER/NONE, a percentile, a fixed wait, or MIN/MAX of the last two. */
  static SpeculativeRetryPolicy parse(String str) {
    String invalid = String.format("Invalid value %s for option '%s'", str, "speculative_retry");
    if (str.equalsIgnoreCase("ALWAYS")) return new Always();
    if (str.equalsIgnoreCase("NEVER") || str.equalsIgnoreCase("NONE")) return new Never();
    Matcher p = PERCENTILE.matcher(str);
    if (p.matches()) {
      double percentile;
      try {
        percentile = Double.parseDouble(p.group("val"));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(invalid);
      }
      if (percentile <= 0.0 || percentile >= 100.0) {
        throw new IllegalArgumentException(String.format("Invalid value %s for PERCENTILE option '%s': must be between (0.0 and 100.0)",
            str, "speculative_retry"));
      }
      return new Percentile(percentile);
    }
    Matcher f = FIXED.matcher(str);
    if (f.matches()) {
      try {
        return new Fixed((int) Double.parseDouble(f.group("val")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(invalid);
      }
    }
    Matcher h = HYBRID.matcher(str);
    if (h.matches()) return hybrid(str, h, invalid);
    throw new IllegalArgumentException(invalid);
  }

  /** HybridSpeculativeRetryPolicy.fromString: a bad argument makes the whole value invalid; both of one kind is refused. */
  private static SpeculativeRetryPolicy hybrid(String str, Matcher h, String invalid) {
    SpeculativeRetryPolicy a;
    SpeculativeRetryPolicy b;
    try {
      a = parse(h.group("val1"));
      b = parse(h.group("val2"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(invalid);
    }
    if (a.getClass() == b.getClass()) {
      throw new IllegalArgumentException(String.format("Invalid value %s for option '%s': MIN()/MAX() arguments should be of different types, "
          + "but both are of type %s", str, "speculative_retry", a instanceof Percentile ? "PERCENTILE" : "FIXED"));
    }
    Percentile p = (Percentile) (a instanceof Percentile ? a : b);
    Fixed fixed = (Fixed) (a instanceof Fixed ? a : b);
    return new Hybrid(p, fixed, h.group("fun").equalsIgnoreCase("MIN"));
  }
}
