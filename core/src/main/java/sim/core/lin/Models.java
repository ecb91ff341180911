package sim.core.lin;

import java.util.Objects;
import java.util.Optional;

/**
 * Ready-made sequential specifications: a register, a key-value map of registers, a partitioned
 * append-only log ({@link LogModel}: Kafka produce with acks=all, fetch by offset) and versioned znodes
 * ({@link ZnodeModel}: ZooKeeper create, setData and delete with versions, getData).
 */
public final class Models {
  private Models() {}

  /** Partitioned append-only logs with offsets: see {@link LogModel}. */
  public static LogModel log() {
    return new LogModel();
  }

  /** ZooKeeper znodes with versions: see {@link ZnodeModel}. */
  public static ZnodeModel znodes() {
    return new ZnodeModel();
  }

  /** A register operation: read, write, or compare-and-set. */
  public sealed interface RegisterOp permits Read, Write, Cas {}

  public record Read() implements RegisterOp {}

  public record Write(String value) implements RegisterOp {}

  /** Sets {@code to} if the value is {@code expect}; its output says whether it did. */
  public record Cas(String expect, String to) implements RegisterOp {}

  /**
   * A single register holding a string (null: never written). Read outputs the value; write outputs
   * nothing meaningful; cas outputs {@code Boolean}.
   */
  public static Model<Optional<String>, RegisterOp, Object> register() {
    return new Model<>() {
      @Override
      public Optional<String> init() {
        return Optional.empty();
      }

      @Override
      public Optional<Optional<String>> step(Optional<String> state, RegisterOp op, Object output) {
        return apply(state, op, output);
      }

      @Override
      public Optional<String> stepUnknown(Optional<String> state, RegisterOp op) {
        return applyUnknown(state, op);
      }
    };
  }

  /** A key-value operation: a register operation on one key. Keys are independent partitions. */
  public record KeyOp(String key, RegisterOp op) {}

  /** A map of independent registers, checked key by key (P-compositionality). */
  public static Model<Optional<String>, KeyOp, Object> kv() {
    return new Model<>() {
      @Override
      public Optional<String> init() {
        return Optional.empty();
      }

      @Override
      public Optional<Optional<String>> step(Optional<String> state, KeyOp op, Object output) {
        return apply(state, op.op(), output);
      }

      @Override
      public Optional<String> stepUnknown(Optional<String> state, KeyOp op) {
        return applyUnknown(state, op.op());
      }

      @Override
      public String partition(KeyOp op) {
        return op.key();
      }
    };
  }

  private static Optional<String> applyUnknown(Optional<String> state, RegisterOp op) {
    if (op instanceof Read) return state;
    if (op instanceof Write w) return Optional.ofNullable(w.value());
    Cas c = (Cas) op;
    return Objects.equals(state.orElse(null), c.expect()) ? Optional.ofNullable(c.to()) : state;
  }

  private static Optional<Optional<String>> apply(Optional<String> state, RegisterOp op, Object output) {
    if (op instanceof Read) return Objects.equals(state.orElse(null), output) ? Optional.of(state) : Optional.empty();
    if (op instanceof Write w) return Optional.of(Optional.ofNullable(w.value()));
    Cas c = (Cas) op;
    boolean matches = Objects.equals(state.orElse(null), c.expect());
    boolean applied = (Boolean) output;
    if (applied != matches) return Optional.empty();
    return Optional.of(applied ? Optional.ofNullable(c.to()) : state);
  }
}
