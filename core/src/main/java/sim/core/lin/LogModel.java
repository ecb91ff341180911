package sim.core.lin;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An append-only log with offsets, one per partition: Kafka's partition as a producer with {@code acks=all}
 * and a consumer fetching by offset see it. An append that returned was given the next offset; a fetch from
 * an offset returns the records from there on (at least one when there is one, as Kafka's fetch does since
 * KIP-74, never one that is not in the log yet), nothing at the log end, and "offset out of range" past it.
 * Partitions are independent (P-compositionality).
 */
public final class LogModel implements Model<LogModel.Log, LogModel.LogOp, Object> {
  /** An operation on one partition's log. */
  public sealed interface LogOp permits Append, Fetch {
    String partition();
  }

  /** Produce {@code value}; the output is the offset the log gave it (a {@code Long}). */
  public record Append(String partition, String value) implements LogOp {}

  /**
   * Fetch from {@code offset}; the output is the {@code List<String>} of values returned, empty at the log
   * end, or {@link #OUT_OF_RANGE} past it.
   */
  public record Fetch(String partition, long offset) implements LogOp {}

  /** A fetch's answer for an offset past the log end (Kafka's {@code OFFSET_OUT_OF_RANGE}). */
  public static final String OUT_OF_RANGE = "OFFSET_OUT_OF_RANGE";

  /**
   * The log: an immutable list that shares its prefix with the log it grew from (appending copies
   * nothing), with its size and hash cached, so the checker's memo compares logs cheaply.
   */
  public static final class Log {
    static final Log EMPTY = new Log(null, null, 0, 1);

    private final Log prefix;
    private final String last;
    private final int size;
    private final int hash;

    private Log(Log prefix, String last, int size, int hash) {
      this.prefix = prefix;
      this.last = last;
      this.size = size;
      this.hash = hash;
    }

    /** The empty log. */
    public static Log empty() {
      return EMPTY;
    }

    /** This log with {@code value} at its end; this one is unchanged (and shared as the new one's prefix). */
    public Log append(String value) {
      return new Log(this, value, size + 1, 31 * hash + Objects.hashCode(value));
    }

    public int size() {
      return size;
    }

    /** The value at {@code offset}, walking back from the end (recent offsets are near). */
    public String get(long offset) {
      Log at = this;
      for (long i = size - 1; i > offset; i--) at = at.prefix;
      return at.last;
    }

    /**
     * Whether {@code values} are the records at offsets {@code from, from + 1, ...}: one walk back from the
     * end. False if they would run past the end.
     */
    public boolean holdsAt(long from, List<?> values) {
      if (from < 0 || from + values.size() > size) return false;
      Log at = this;
      for (long i = size; i > from + values.size(); i--) at = at.prefix;
      for (int i = values.size() - 1; i >= 0; i--, at = at.prefix) {
        if (!Objects.equals(at.last, values.get(i))) return false;
      }
      return true;
    }

    /** The records, oldest first. */
    public List<String> values() {
      String[] values = new String[size];
      Log at = this;
      for (int i = size - 1; i >= 0; i--, at = at.prefix) values[i] = at.last;
      return Arrays.asList(values);
    }

    @Override
    public boolean equals(Object o) {
      if (this == o) return true;
      if (!(o instanceof Log other) || other.size != size || other.hash != hash) return false;
      Log a = this;
      Log b = other;
      while (a != b) {
        if (!Objects.equals(a.last, b.last)) return false;
        a = a.prefix;
        b = b.prefix;
      }
      return true;
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public String toString() {
      return values().toString();
    }
  }

  @Override
  public Log init() {
    return Log.EMPTY;
  }

  @Override
  public Optional<Log> step(Log log, LogOp op, Object output) {
    if (op instanceof Append a) {
      return output instanceof Number n && n.longValue() == log.size() ? Optional.of(log.append(a.value())) : Optional.empty();
    }
    Fetch f = (Fetch) op;
    return fetchAllowed(log, f.offset(), output) ? Optional.of(log) : Optional.empty();
  }

  private static boolean fetchAllowed(Log log, long offset, Object output) {
    if (offset > log.size()) return OUT_OF_RANGE.equals(output);
    if (!(output instanceof List<?> values)) return false;
    if (offset == log.size()) return values.isEmpty();
    if (values.isEmpty() || offset + values.size() > log.size()) return false; // at least one, none past the end
    for (int i = 0; i < values.size(); i++) if (!Objects.equals(values.get(i), log.get(offset + i))) return false;
    return true;
  }

  @Override
  public Log stepUnknown(Log log, LogOp op) {
    return op instanceof Append a ? log.append(a.value()) : log;
  }

  @Override
  public String partition(LogOp op) {
    return op.partition();
  }
}
