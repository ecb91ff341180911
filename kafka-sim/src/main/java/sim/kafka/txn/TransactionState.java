package sim.kafka.txn;

/**
 * A transactional id's state at its coordinator (Kafka's {@code TransactionState}), as written to
 * {@code __transaction_state}. A transaction goes Empty → Ongoing (first AddPartitionsToTxn) → PrepareCommit or
 * PrepareAbort (EndTxn: the decision is durable, markers go out) → CompleteCommit or CompleteAbort (every
 * partition has its marker). PrepareEpochFence is the step an InitProducerId takes when it finds a transaction
 * still Ongoing: the epoch is bumped first, so the old producer is fenced before the abort starts.
 */
public enum TransactionState {
  EMPTY("Empty"),
  ONGOING("Ongoing"),
  PREPARE_COMMIT("PrepareCommit"),
  PREPARE_ABORT("PrepareAbort"),
  COMPLETE_COMMIT("CompleteCommit"),
  COMPLETE_ABORT("CompleteAbort"),
  PREPARE_EPOCH_FENCE("PrepareEpochFence");

  /** Kafka's name, as `kafka-transactions.sh describe` prints it. */
  public final String kafkaName;

  TransactionState(String kafkaName) {
    this.kafkaName = kafkaName;
  }

  public boolean isComplete() {
    return this == EMPTY || this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
  }

  @Override
  public String toString() {
    return kafkaName;
  }
}
