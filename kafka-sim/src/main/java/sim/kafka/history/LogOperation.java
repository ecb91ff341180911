package sim.kafka.history;

/** What a client does to a partition's log, as the linearizability model sees it. */
public sealed interface LogOperation {
  String partition();

  /** The application sends {@code value}; the answer is the offset it got. */
  record Produce(String partition, String value) implements LogOperation {
    @Override
    public String toString() {
      return "produce(" + partition + ", " + value + ")";
    }
  }

  /** A consumer fetch from {@code fromOffset}; the answer is the values at fromOffset, fromOffset+1, ... */
  record Read(String partition, long fromOffset) implements LogOperation {
    @Override
    public String toString() {
      return "read(" + partition + " from " + fromOffset + ")";
    }
  }

  /**
   * The answer to a {@link Read} below the log start offset: OFFSET_OUT_OF_RANGE, with the leader's log start
   * offset then. Retention or DeleteRecords removed those records; no write is lost by it.
   */
  record OutOfRange(long logStartOffset) {
    @Override
    public String toString() {
      return "OFFSET_OUT_OF_RANGE (log start " + logStartOffset + ")";
    }
  }
}
