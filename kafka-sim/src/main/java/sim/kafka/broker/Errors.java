package sim.kafka.broker;

/** The Kafka protocol errors this model returns, with Kafka's codes and whether the client retries them. */
public enum Errors {
  NONE(0, false),
  OFFSET_OUT_OF_RANGE(1, false),
  CORRUPT_MESSAGE(2, true),
  NOT_LEADER_OR_FOLLOWER(6, true),
  REQUEST_TIMED_OUT(7, true),
  NETWORK_EXCEPTION(13, true),
  COORDINATOR_LOAD_IN_PROGRESS(14, true),
  COORDINATOR_NOT_AVAILABLE(15, true),
  NOT_COORDINATOR(16, true),
  NOT_ENOUGH_REPLICAS(19, true),
  NOT_ENOUGH_REPLICAS_AFTER_APPEND(20, true),
  ILLEGAL_GENERATION(22, false),
  INCONSISTENT_GROUP_PROTOCOL(23, false),
  UNKNOWN_MEMBER_ID(25, false),
  REBALANCE_IN_PROGRESS(27, false),
  NOT_CONTROLLER(41, true),
  OUT_OF_ORDER_SEQUENCE_NUMBER(45, false),
  INVALID_PRODUCER_EPOCH(47, false),
  INVALID_TXN_STATE(48, false),
  INVALID_PRODUCER_ID_MAPPING(49, false),
  INVALID_TRANSACTION_TIMEOUT(50, false),
  CONCURRENT_TRANSACTIONS(51, true),
  TRANSACTION_COORDINATOR_FENCED(52, false),
  KAFKA_STORAGE_ERROR(56, true),
  GROUP_ID_NOT_FOUND(69, false),
  FENCED_LEADER_EPOCH(74, true),
  UNKNOWN_LEADER_EPOCH(75, true),
  STALE_BROKER_EPOCH(77, false),
  MEMBER_ID_REQUIRED(79, false),
  FENCED_INSTANCE_ID(82, false),
  UNSTABLE_OFFSET_COMMIT(88, true),

  PRODUCER_FENCED(90, false),
  INVALID_UPDATE_VERSION(95, false),
  /** KIP-848: the member's epoch is not the coordinator's; it must give up its partitions and rejoin with epoch 0. */
  FENCED_MEMBER_EPOCH(110, false),
  UNSUPPORTED_ASSIGNOR(112, false),
  /** KIP-848: an OffsetCommit from an older member epoch (its member has moved on). */
  STALE_MEMBER_EPOCH(113, false),
  /** KIP-890: the partition is not in the producer's ongoing transaction; the client can abort and go on. */
  TRANSACTION_ABORTABLE(120, false);

  public final int code;
  public final boolean retriable;

  Errors(int code, boolean retriable) {
    this.code = code;
    this.retriable = retriable;
  }
}
