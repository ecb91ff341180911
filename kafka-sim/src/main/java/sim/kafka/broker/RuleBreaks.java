package sim.kafka.broker;

import java.util.List;
import sim.core.check.BreakRule;

/**
 * The rules of Kafka's replication that {@code --break} can switch off, to show why each exists. Read once
 * when the cluster is built and handed to the nodes, so a run never changes its mind halfway.
 *
 * @param hwBeforeFollowerFetch the leader moves the high watermark to its own log end offset without waiting
 *     for the in-sync followers to fetch
 * @param electOutOfSyncReplica the controller prefers a live replica outside the ISR, as if
 *     {@code unclean.leader.election.enable} were on and the ISR did not matter
 * @param skipEpochTruncation a new follower fetches from its own log end offset without asking the leader
 *     where its last epoch ended (OffsetsForLeaderEpoch, KIP-101/279), keeping a diverged tail
 * @param ignoreMinInsync the leader accepts and acknowledges acks=all writes with an ISR smaller than
 *     {@code min.insync.replicas}
 * @param deleteAboveHighWatermark retention deletes segments whatever the high watermark, so the log start offset
 *     passes records the followers do not have yet
 * @param readCommittedIgnoresLso a read_committed fetch is served up to the high watermark instead of the last stable
 *     offset, so it returns records of transactions still open (which may yet abort)
 * @param skipTxnVerification partition leaders append a producer's first transactional batch without asking the
 *     transaction coordinator (KIP-890 verification skipped although {@code transaction.partition.verification.enable})
 */
public record RuleBreaks(boolean hwBeforeFollowerFetch, boolean electOutOfSyncReplica, boolean skipEpochTruncation,
    boolean ignoreMinInsync, boolean deleteAboveHighWatermark, boolean readCommittedIgnoresLso, boolean skipTxnVerification) {
  public RuleBreaks(boolean hwBeforeFollowerFetch, boolean electOutOfSyncReplica, boolean skipEpochTruncation,
      boolean ignoreMinInsync, boolean deleteAboveHighWatermark, boolean readCommittedIgnoresLso) {
    this(hwBeforeFollowerFetch, electOutOfSyncReplica, skipEpochTruncation, ignoreMinInsync, deleteAboveHighWatermark, readCommittedIgnoresLso, false);
  }

  public static final String HW_BEFORE_FOLLOWER_FETCH = "kafka.hw-before-follower-fetch";
  public static final String ELECT_OUT_OF_SYNC_REPLICA = "kafka.elect-out-of-sync-replica";
  public static final String SKIP_EPOCH_TRUNCATION = "kafka.skip-epoch-truncation";
  public static final String IGNORE_MIN_INSYNC = "kafka.ignore-min-insync-replicas";

  public static final String DELETE_ABOVE_HIGH_WATERMARK = "kafka.delete-above-high-watermark";

  public static final String READ_COMMITTED_IGNORES_LSO = "kafka.read-committed-ignores-lso";

  /** A client's rule (read by the scenario, not the brokers): the transformer commits its offsets outside its transactions. */
  public static final String TXN_OFFSETS_OUTSIDE_TRANSACTION = "kafka.txn-offsets-committed-outside-transaction";

  public static final String TXN_VERIFICATION_SKIPPED = "kafka.txn-verification-skipped";

  public static final RuleBreaks NONE = new RuleBreaks(false, false, false, false, false, false);

  /** One line per rule: the scenario that shows it best and the invariant that catches it. */
  public static List<BreakRule> rules() {
    return List.of(
        new BreakRule(HW_BEFORE_FOLLOWER_FETCH, "kafka.failover-leader-crash",
            "the leader's high watermark runs ahead of its in-sync followers: consumers read and producers get acks=all "
                + "for records only the leader has (kafka.hw-within-isr-leo)"),
        new BreakRule(ELECT_OUT_OF_SYNC_REPLICA, "kafka.offline-partition-clean-election",
            "with unclean.leader.election.enable=false an out-of-sync replica still becomes leader and acknowledged "
                + "records vanish (kafka.leader-from-isr, kafka.acked-records-kept)"),
        new BreakRule(SKIP_EPOCH_TRUNCATION, "kafka.epoch-divergence-kip101",
            "a returning leader keeps the tail it wrote alone and appends the new leader's records after it: replicas "
                + "disagree below the high watermark (kafka.replicas-agree-below-hw)"),
        new BreakRule(IGNORE_MIN_INSYNC, "kafka.consistency-slow-followers-min-insync",
            "the leader acknowledges acks=all writes with only itself in the ISR, below min.insync.replicas=2 "
                + "(kafka.acks-all-on-min-insync)"),
        new BreakRule(DELETE_ABOVE_HIGH_WATERMARK, "kafka.retention",
            "retention deletes segments the high watermark has not reached: the log start offset passes records "
                + "followers and consumers have not read yet (kafka.log-start-within-hw)"),
        new BreakRule(READ_COMMITTED_IGNORES_LSO, "kafka.eos-transactions",
            "a read_committed fetch is served up to the high watermark, not the last stable offset: the consumer returns records "
                + "of transactions still open, and some of them abort (kafka.read-committed-sees-only-committed)"),
        new BreakRule(TXN_OFFSETS_OUTSIDE_TRANSACTION, "kafka.eos-consume-transform-produce",
            "the transformer leaves its input offsets to the consumer's auto-commit (every auto.commit.interval.ms, a plain "
                + "OffsetCommit) instead of sendOffsetsToTransaction: after a crash it reprocesses input whose output was "
                + "already committed, and read_committed sees it twice (kafka.eos-output-exactly-once)"),
        new BreakRule(TXN_VERIFICATION_SKIPPED, "kafka.eos-verification-prevents-hanging",
            "partition leaders append a producer's first transactional batch without asking the transaction coordinator "
                + "(KIP-890 verification skipped): a produce request that arrives after its transaction was aborted opens a "
                + "transaction the coordinator no longer knows, holding the partition's LSO for good (kafka.no-hanging-transaction)"),
        new BreakRule(sim.kafka.group.ConsumerGroupConfig.ASSIGN_BEFORE_REVOCATION, "kafka.consumer-protocol-rebalance",
            "the KIP-848 coordinator hands a partition to its new owner in the same heartbeat that asks the old owner to revoke it, "
                + "instead of waiting until the old owner's heartbeat no longer lists it: two members hold it at once "
                + "(kafka.consumer-group-one-holder-at-a-time)"),
        new BreakRule(sim.kafka.raft.RaftNode.VOTE_TWICE, "kafka.kraft-controller-failover",
            "a KRaft voter grants every up-to-date candidate of an epoch, forgetting the vote it already cast (even for itself): two "
                + "controllers that time out together both win the same epoch (kafka.kraft-one-leader-per-epoch)"),
        new BreakRule(Controller.PRODUCER_ID_BLOCK_NOT_COMMITTED, "kafka.kraft-controller-failover",
            "the active controller answers AllocateProducerIds before its ProducerIdsRecord is committed: a broker hands out ids "
                + "from a block a controller failover can lose and give to another broker (kafka.producer-id-block-committed)"),
        new BreakRule(MetadataLoader.APPLY_UNCOMMITTED, "kafka.kraft-controller-failover",
            "a broker's metadata loader replays every record it fetched from __cluster_metadata, not only those below the high "
                + "watermark: it leads a partition in a leader epoch the quorum has not committed and a failover may give to "
                + "another broker (kafka.kraft-broker-acts-on-committed-metadata-only)"),
        new BreakRule(MetadataLoader.IGNORE_SNAPSHOT, "kafka.kraft-metadata-snapshot",
            "a broker's metadata loader never loads a snapshot: after its copy of __cluster_metadata was replaced by a snapshot "
                + "fetched from the leader (or starts past one), it replays only the log after it onto the image it had, missing "
                + "what the snapshot holds (kafka.kraft-broker-image-is-committed-image)"),
        new BreakRule(sim.kafka.raft.RaftNode.LEADER_WITHOUT_MAJORITY, "kafka.kraft-partitioned-controller",
            "the KRaft leader moves its high watermark to its own log end without a majority: a leader cut off from the other "
                + "controllers commits metadata the next leader never had (kafka.kraft-committed-metadata-kept)"));
  }
}
