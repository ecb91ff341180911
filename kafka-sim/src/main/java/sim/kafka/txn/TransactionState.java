package sim.kafka.txn;

/**
 * A transactional id's state at its coordinator (Kafka's {@code TransactionState}), as written to
 * {@code __transaction_state}. A transaction goes Empty → Ongoing (first AddPartitionsToTxn) → PrepareCommit or
 * PrepareAbort (EndTxn: the decision is durable, markers go out) → CompleteCommit or CompleteAbort (every
 * partition has its marker). PrepareEpochFence is the step an InitProducerId takes when it finds a transaction
 * still Ongoing: the epoch is bumped first, so the old producer is fenced before the abort starts.
 */
public enum TransactionState {
  EMPTY(0, "Empty"),
  ONGOING(1, "Ongoing"),
  PREPARE_COMMIT(2, "PrepareCommit"),
  PREPARE_ABORT(3, "PrepareAbort"),
  COMPLETE_COMMIT(4, "CompleteCommit"),
  COMPLETE_ABORT(5, "CompleteAbort"),
  PREPARE_EPOCH_FENCE(7, "PrepareEpochFence");

  /** The id in a {@code TransactionLogValue}'s TransactionStatus (6 is Dead, never written here). */
  public final byte id;
  /** Kafka's name, as `kafka-transactions.sh describe` prints it. */
  public final String kafkaName;

  TransactionState(int id, String kafkaName) {
    this.id = (byte) id;
    this.kafkaName = kafkaName;
  }

  public static TransactionState fromId(byte id) {
    for (TransactionState s : values()) if (s.id == id) return s;
    throw new IllegalArgumentException("unknown transaction state id " + id);
  }

  public boolean isComplete() {
    return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
  }

  @Override
  public String toString() {
    return kafkaName;
  }
}
