package sim.kafka.broker;

import java.util.List;
import sim.core.Message;
import sim.core.NodeId;

/** Every request and response of the model: Kafka's APIs by name, trimmed to the fields the mechanism uses. */
public sealed interface KafkaMessage extends Message {
  // ---- clients and brokers ----

  /** Produce (API 0) for one partition. acks: 0, 1 or -1 (all). */
  /** Produce; {@code transactionalId} is the producer's for transactional batches (null otherwise), as in Kafka's request. */
  record ProduceRequest(long correlationId, TopicPartition tp, short acks, int timeoutMs, Records records, String transactionalId)
      implements KafkaMessage {
    public ProduceRequest(long correlationId, TopicPartition tp, short acks, int timeoutMs, Records records) {
      this(correlationId, tp, acks, timeoutMs, records, null);
    }

    @Override
    public int sizeBytes() {
      return 64 + records.sizeInBytes();
    }
  }

  /**
   * The answer to a produce. {@code leaderEpoch} is the epoch of the leader that answered: not a field of
   * Kafka's response (the application learns only the offset); the producer keeps it in its ledger so the
   * checks can tell which leadership acknowledged a record a failover later took back.
   */
  record ProduceResponse(long correlationId, TopicPartition tp, Errors error, long baseOffset, int leaderEpoch)
      implements KafkaMessage {}

  /** {@code isolation.level}: read_uncommitted (0, the default) reads up to the high watermark; read_committed (1) up to the last stable offset. */
  byte READ_UNCOMMITTED = 0;
  byte READ_COMMITTED = 1;

  /**
   * Fetch (API 1). {@code replica} is the fetching follower, or null for a consumer (reads only below the HW, or
   * below the last stable offset with {@code isolationLevel} READ_COMMITTED). The trace shows the isolation level
   * only when it is read_committed, so runs without transactions trace as before.
   */
  record FetchRequest(long correlationId, NodeId replica, TopicPartition tp, long fetchOffset, int currentLeaderEpoch, int maxBytes,
      byte isolationLevel) implements KafkaMessage {
    public FetchRequest(long correlationId, NodeId replica, TopicPartition tp, long fetchOffset, int currentLeaderEpoch, int maxBytes) {
      this(correlationId, replica, tp, fetchOffset, currentLeaderEpoch, maxBytes, READ_UNCOMMITTED);
    }

    @Override
    public String toString() {
      return "FetchRequest[correlationId=" + correlationId + ", replica=" + replica + ", tp=" + tp + ", fetchOffset=" + fetchOffset
          + ", currentLeaderEpoch=" + currentLeaderEpoch + ", maxBytes=" + maxBytes + (isolationLevel == READ_COMMITTED ? ", read_committed" : "") + "]";
    }
  }

  /**
   * {@code logStartOffset}: the leader's, as Kafka's fetch response carries it (followers follow it; -1 unknown). A
   * read_committed answer also carries the last stable offset and the aborted transactions overlapping its batches
   * (from the {@code .txnindex}); -1 and none otherwise, and then the trace shows neither.
   */
  record FetchResponse(long correlationId, TopicPartition tp, Errors error, long highWatermark, int leaderEpoch, Records records,
      long logStartOffset, long lastStableOffset, List<sim.kafka.log.TransactionIndex.FetchAborted> abortedTransactions) implements KafkaMessage {
    public FetchResponse(long correlationId, TopicPartition tp, Errors error, long highWatermark, int leaderEpoch, Records records, long logStartOffset) {
      this(correlationId, tp, error, highWatermark, leaderEpoch, records, logStartOffset, -1, List.of());
    }

    @Override
    public int sizeBytes() {
      return 64 + records.sizeInBytes() + 16 * abortedTransactions.size();
    }

    @Override
    public String toString() {
      return "FetchResponse[correlationId=" + correlationId + ", tp=" + tp + ", error=" + error + ", highWatermark=" + highWatermark
          + ", leaderEpoch=" + leaderEpoch + ", records=" + records + ", logStartOffset=" + logStartOffset
          + (lastStableOffset < 0 ? "" : ", lastStableOffset=" + lastStableOffset + ", abortedTransactions=" + abortedTransactions) + "]";
    }
  }

  /** OffsetsForLeaderEpoch (API 23, KIP-101/279): where did {@code leaderEpoch} end in the leader's log? */
  record OffsetsForLeaderEpochRequest(TopicPartition tp, int currentLeaderEpoch, int leaderEpoch) implements KafkaMessage {}

  record OffsetsForLeaderEpochResponse(TopicPartition tp, Errors error, int currentLeaderEpoch, int leaderEpoch, long endOffset)
      implements KafkaMessage {}

  record MetadataRequest(long correlationId) implements KafkaMessage {}

  record MetadataResponse(long correlationId, List<PartitionState> partitions) implements KafkaMessage {}

  /**
   * InitProducerId (API 22): a producer id and epoch for the idempotent producer; with a current id and epoch
   * (KIP-360) it asks for the same id with the epoch bumped, so sequence numbers can start again at 0.
   */
  record InitProducerIdRequest(long correlationId, long producerId, short producerEpoch) implements KafkaMessage {}

  record InitProducerIdResponse(long correlationId, long producerId, short producerEpoch) implements KafkaMessage {}

  /**
   * AllocateProducerIds (API 67, KIP-730): a broker asks the active controller for a block of producer ids; the controller
   * answers once its ProducerIdsRecord (the next id after the block) is committed to the metadata log.
   */
  record AllocateProducerIdsRequest(NodeId broker, long brokerEpoch) implements KafkaMessage {}

  record AllocateProducerIdsResponse(Errors error, long producerIdStart, int producerIdLen) implements KafkaMessage {}

  // ---- brokers and the controller ----

  record BrokerRegistration(NodeId broker, long incarnationId) implements KafkaMessage {}

  /** NOT_CONTROLLER: this controller is not the active one; {@code leader} is the quorum leader it knows (null: none). */
  record NotController(NodeId leader) implements KafkaMessage {}

  /** A client's request an inactive controller passes to the active one; the answer goes straight to {@code origin}. */
  record Forwarded(NodeId origin, Message message) implements KafkaMessage {}

  record BrokerHeartbeat(NodeId broker, long incarnationId, long metadataVersion) implements KafkaMessage {}

  /** The heartbeat answer to one incarnation; {@code registered} false asks it to register (again). */
  record BrokerHeartbeatResponse(long incarnationId, boolean registered, boolean fenced) implements KafkaMessage {}

  /**
   * A KRaft broker's BrokerHeartbeat (API 63): {@code currentMetadataOffset} is the last committed metadata offset its
   * loader replayed; {@code wantFence} stays true until it has caught up with the log (BrokerLifecycleManager's
   * readyToUnfence). The controller unfences it only once the offset reached its RegisterBrokerRecord.
   */
  record KraftBrokerHeartbeat(NodeId broker, long incarnationId, long currentMetadataOffset, boolean wantFence) implements KafkaMessage {}

  /** The answer to a KRaft registration or heartbeat: {@code isCaughtUp} once the broker replayed its own RegisterBrokerRecord. */
  record KraftBrokerHeartbeatResponse(long incarnationId, boolean registered, boolean isCaughtUp, boolean isFenced) implements KafkaMessage {}

  /**
   * The controller's decisions, pushed (KRaft brokers pull them from the metadata log). Addressed to the
   * incarnation the controller registered, like the broker epoch of KIP-380: a restarted broker that has not
   * registered yet ignores it, so it never acts as the leader its previous life was.
   */
  record LeaderAndIsr(long metadataVersion, long brokerIncarnation, List<PartitionState> partitions) implements KafkaMessage {}

  /** AlterPartition (API 56): the leader asks the controller to shrink or expand the ISR; carries its broker epoch. */
  record AlterPartition(long requestId, NodeId leader, long leaderIncarnation, PartitionState proposed) implements KafkaMessage {}

  record AlterPartitionResponse(long requestId, TopicPartition tp, Errors error, PartitionState current) implements KafkaMessage {}

  /** ControlledShutdown: move my leaderships away before I stop. */
  record ControlledShutdownRequest(NodeId broker) implements KafkaMessage {}

  record ControlledShutdownResponse(int remainingLeaderships) implements KafkaMessage {}

  /** Operator command to a broker (from a scenario): begin a controlled shutdown. */
  record BeginControlledShutdown() implements KafkaMessage {}

  /** ListOffsets (API 2) for one partition: timestamp -2 the earliest offset, -1 the latest (the HW for a consumer). */
  record ListOffsetsRequest(long correlationId, TopicPartition tp, long timestamp) implements KafkaMessage {}

  record ListOffsetsResponse(long correlationId, TopicPartition tp, Errors error, long offset) implements KafkaMessage {}

  /**
   * DeleteRecords (API 21) for one partition, from an admin client: move the log start offset to {@code offset}
   * (-1: the high watermark); the segments below it go at the next retention check.
   */
  record DeleteRecordsRequest(long correlationId, TopicPartition tp, long offset) implements KafkaMessage {}

  /** {@code lowWatermark}: the log start offset now (the leader's; Kafka waits for every replica's). */
  record DeleteRecordsResponse(long correlationId, TopicPartition tp, Errors error, long lowWatermark) implements KafkaMessage {}

  // ---- consumer groups (the classic protocol) ----

  /** FindCoordinator (API 10): which broker coordinates {@code groupId}? Any broker answers from its metadata. */
  record FindCoordinatorRequest(long correlationId, String groupId, byte keyType) implements KafkaMessage {
    /** {@code key_type} 0: a group id (the offsets topic's coordinator); 1: a transactional id ({@code __transaction_state}'s). */
    public static final byte GROUP = 0;
    public static final byte TRANSACTION = 1;

    public FindCoordinatorRequest(long correlationId, String groupId) {
      this(correlationId, groupId, GROUP);
    }

    /** The key: a group id, or a transactional id; the trace names the key type only for transactions. */
    @Override
    public String toString() {
      return "FindCoordinatorRequest[correlationId=" + correlationId + ", groupId=" + groupId + (keyType == TRANSACTION ? ", keyType=TRANSACTION" : "") + "]";
    }
  }

  record FindCoordinatorResponse(long correlationId, String groupId, Errors error, NodeId coordinator) implements KafkaMessage {}

  /** One protocol a member supports, in preference order: the assignor's name and the member's subscription. */
  record JoinProtocol(String name, sim.kafka.group.Subscription subscription) {}

  /** JoinGroup (API 11). An empty {@code memberId} asks for one (KIP-394: the answer is MEMBER_ID_REQUIRED with it). */
  record JoinGroupRequest(long correlationId, String groupId, String memberId, String groupInstanceId, int sessionTimeoutMs,
      int rebalanceTimeoutMs, List<JoinProtocol> protocols) implements KafkaMessage {}

  /** A member as the leader sees it in its JoinGroup answer. */
  record JoinedMember(String memberId, String groupInstanceId, sim.kafka.group.Subscription subscription) {}

  /** The leader gets every member; the others an empty list. */
  record JoinGroupResponse(long correlationId, Errors error, int generationId, String protocolName, String leader, String memberId,
      List<JoinedMember> members) implements KafkaMessage {}

  /** SyncGroup (API 14): the leader brings the assignment, everyone gets their share. */
  record SyncGroupRequest(long correlationId, String groupId, int generationId, String memberId, String groupInstanceId,
      java.util.Map<String, List<TopicPartition>> assignments) implements KafkaMessage {}

  record SyncGroupResponse(long correlationId, Errors error, List<TopicPartition> assignment) implements KafkaMessage {}

  /** Heartbeat (API 12): I am alive, in this generation; the answer tells me when to rejoin. */
  record HeartbeatRequest(long correlationId, String groupId, int generationId, String memberId, String groupInstanceId) implements KafkaMessage {}

  record HeartbeatResponse(long correlationId, Errors error) implements KafkaMessage {}

  /**
   * ConsumerGroupHeartbeat (API 68, KIP-848's consumer protocol): join (member epoch 0), stay (the current epoch),
   * leave (-1). The member id is the client's own UUID; {@code ownedTopicPartitions} tells the coordinator what the
   * member still owns, which is how it acknowledges a revocation. Every request here is a full one (subscription and
   * owned partitions always set; Kafka sends unchanged fields as null).
   */
  record ConsumerGroupHeartbeatRequest(long correlationId, String groupId, String memberId, int memberEpoch, String instanceId,
      int rebalanceTimeoutMs, List<String> subscribedTopicNames, String serverAssignor, List<TopicPartition> ownedTopicPartitions)
      implements KafkaMessage {}

  /** The member's epoch, the heartbeat interval, and (null when unchanged) the partitions the member may own now. */
  record ConsumerGroupHeartbeatResponse(long correlationId, Errors error, String errorMessage, String memberId, int memberEpoch,
      int heartbeatIntervalMs, List<TopicPartition> assignment) implements KafkaMessage {}

  /** LeaveGroup (API 13): a dynamic member leaving on close; the group rebalances at once. */
  record LeaveGroupRequest(long correlationId, String groupId, String memberId) implements KafkaMessage {}

  record LeaveGroupResponse(long correlationId, Errors error) implements KafkaMessage {}

  /** OffsetCommit (API 8) for one generation's member: next offset to read, per partition. */
  record OffsetCommitRequest(long correlationId, String groupId, int generationId, String memberId, String groupInstanceId,
      java.util.Map<TopicPartition, Long> offsets) implements KafkaMessage {}

  record OffsetCommitResponse(long correlationId, Errors error, java.util.Map<TopicPartition, Long> offsets) implements KafkaMessage {}

  /**
   * OffsetFetch (API 9): the committed offsets of {@code partitions} (-1: none). {@code requireStable} (KIP-447, sent by
   * a read_committed consumer): a partition with a transactional commit still pending is answered
   * {@code UNSTABLE_OFFSET_COMMIT} instead of an offset the transaction may be about to replace.
   */
  record OffsetFetchRequest(long correlationId, String groupId, List<TopicPartition> partitions, boolean requireStable) implements KafkaMessage {
    public OffsetFetchRequest(long correlationId, String groupId, List<TopicPartition> partitions) {
      this(correlationId, groupId, partitions, false);
    }
  }

  /** The offsets, and the partitions answered with an error of their own ({@code UNSTABLE_OFFSET_COMMIT}). */
  record OffsetFetchResponse(long correlationId, Errors error, java.util.Map<TopicPartition, Long> offsets,
      java.util.Map<TopicPartition, Errors> partitionErrors) implements KafkaMessage {
    public OffsetFetchResponse(long correlationId, Errors error, java.util.Map<TopicPartition, Long> offsets) {
      this(correlationId, error, offsets, java.util.Map.of());
    }
  }

  // ---- transactions (transaction.version 1: explicit AddPartitionsToTxn) ----

  /**
   * InitProducerId (API 22) with a transactional id, to its transaction coordinator: the id's producer id and a bumped
   * epoch that fences every older instance. (Without a transactional id, the idempotent producer's
   * {@link InitProducerIdRequest} above goes to the controller.)
   */
  record TxnInitProducerIdRequest(long correlationId, String transactionalId, int transactionTimeoutMs) implements KafkaMessage {}

  record TxnInitProducerIdResponse(long correlationId, Errors error, long producerId, short producerEpoch) implements KafkaMessage {}

  /** AddPartitionsToTxn (API 24): the partitions the open transaction will write to (the ones that need a marker). */
  record AddPartitionsToTxnRequest(long correlationId, String transactionalId, long producerId, short producerEpoch,
      java.util.Set<TopicPartition> partitions) implements KafkaMessage {}

  record AddPartitionsToTxnResponse(long correlationId, Errors error) implements KafkaMessage {}

  /** One transaction of an AddPartitionsToTxn v4+ request from a broker ({@code AddPartitionsToTxnTransaction}). */
  record AddPartitionsToTxnTransaction(String transactionalId, long producerId, short producerEpoch, boolean verifyOnly,
      java.util.Set<TopicPartition> partitions) {}

  /**
   * AddPartitionsToTxn v4+ as a partition leader sends it ({@code AddPartitionsToTxnRequest.Builder.forBroker}, KIP-890):
   * the transactions to verify for one coordinator, batched.
   */
  record AddPartitionsToTxnBrokerRequest(long correlationId, java.util.List<AddPartitionsToTxnTransaction> transactions)
      implements KafkaMessage {}

  /** Its answer: a top-level error, else per transaction per partition ({@code resultsByTransaction}). */
  record AddPartitionsToTxnBrokerResponse(long correlationId, Errors error,
      java.util.Map<String, java.util.Map<TopicPartition, Errors>> resultsByTransaction) implements KafkaMessage {}

  /**
   * AddOffsetsToTxn (API 25), to the transaction coordinator: the open transaction will commit offsets of
   * {@code groupId}, so the group's {@code __consumer_offsets} partition needs its marker too.
   */
  record AddOffsetsToTxnRequest(long correlationId, String transactionalId, long producerId, short producerEpoch, String groupId)
      implements KafkaMessage {}

  record AddOffsetsToTxnResponse(long correlationId, Errors error) implements KafkaMessage {}

  /**
   * TxnOffsetCommit (API 28), to the group coordinator: offsets committed inside the producer's transaction, pending
   * until its marker reaches the offsets partition. {@code generationId} -1 and an empty {@code memberId}: a consumer
   * outside group management (assign()), as {@code sendOffsetsToTransaction(offsets, new ConsumerGroupMetadata(groupId))}.
   */
  record TxnOffsetCommitRequest(long correlationId, String transactionalId, String groupId, long producerId, short producerEpoch,
      int generationId, String memberId, java.util.Map<TopicPartition, Long> offsets) implements KafkaMessage {}

  /** One error per partition, as Kafka answers it (here all partitions share it). */
  record TxnOffsetCommitResponse(long correlationId, Errors error, java.util.Map<TopicPartition, Long> offsets) implements KafkaMessage {}

  /** EndTxn (API 26): commit (true) or abort the open transaction. */
  record EndTxnRequest(long correlationId, String transactionalId, long producerId, short producerEpoch, boolean committed) implements KafkaMessage {}

  record EndTxnResponse(long correlationId, Errors error) implements KafkaMessage {}

  /** WriteTxnMarkers (API 27), coordinator to a partition leader: append the COMMIT or ABORT marker of one transaction. */
  record WriteTxnMarkersRequest(long correlationId, long producerId, short producerEpoch, int coordinatorEpoch,
      sim.kafka.record.ControlRecordType result, TopicPartition tp) implements KafkaMessage {}

  record WriteTxnMarkersResponse(long correlationId, long producerId, TopicPartition tp, Errors error) implements KafkaMessage {}
}
