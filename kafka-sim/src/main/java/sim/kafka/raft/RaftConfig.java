package sim.kafka.raft;

import java.util.List;
import sim.core.NodeId;
import sim.kafka.log.LogConfig;

/**
 * The KRaft quorum's settings, with Kafka's names and defaults.
 *
 * @param voters {@code controller.quorum.voters} (static voters, kraft.version 0): the controllers, in id order
 * @param electionTimeoutMs {@code controller.quorum.election.timeout.ms} (1000): how long an unattached voter or a
 *     candidate waits, plus a random jitter of up to as much again, before it (re)starts an election
 * @param fetchTimeoutMs {@code controller.quorum.fetch.timeout.ms} (2000): a follower that has not fetched from its
 *     leader successfully for this long becomes prospective; a leader not fetched from by a majority for 1.5 times
 *     this long resigns (check quorum)
 * @param electionBackoffMaxMs {@code controller.quorum.election.backoff.max.ms} (1000): the most a candidate that
 *     lost waits before trying again (exponential backoff with jitter)
 * @param requestTimeoutMs {@code controller.quorum.request.timeout.ms} (2000): a fetch or vote without an answer
 *     is sent again after this long
 * @param maxRecordBytesBetweenSnapshots {@code metadata.log.max.record.bytes.between.snapshots} (20 MiB): committed
 *     batch bytes after the latest snapshot that make a controller or broker write the next one (SnapshotGenerator)
 * @param maxSnapshotIntervalMs {@code metadata.log.max.snapshot.interval.ms} (3600000): committed records older than this
 *     past the latest snapshot make the next one even below the byte threshold
 * @param metadataMaxRetentionBytes {@code metadata.max.retention.bytes} (100 MiB): the log and snapshots together above
 *     this make the oldest snapshot and the segments below the next one go (KafkaMetadataLog.maybeClean)
 * @param metadataMaxRetentionMs {@code metadata.max.retention.ms} (604800000): a snapshot whose last record is older goes,
 *     with the segments below the next one
 * @param logSegmentBytes {@code metadata.log.segment.bytes} (1 GiB; 16 KiB here as for every kafka-sim log): the segment size; only whole
 *     segments below the log start are deleted
 * @param fetchSnapshotMaxBytes FetchSnapshot's MaxBytes, KafkaRaftClient's MAX_FETCH_SIZE_BYTES (8 MiB): the chunk a
 *     follower asks for
 * @param logCleanIntervalMs how often the raft client's log cleaner runs maybeClean: KafkaRaftClient hard-codes 60000
 *     (RaftMetadataLogCleanerManager); only the snapshot scenario lowers it, to keep the run short
 */
public record RaftConfig(List<NodeId> voters, long electionTimeoutMs, long fetchTimeoutMs, long electionBackoffMaxMs,
    long requestTimeoutMs, long maxRecordBytesBetweenSnapshots, long maxSnapshotIntervalMs, long metadataMaxRetentionBytes,
    long metadataMaxRetentionMs, int logSegmentBytes, int fetchSnapshotMaxBytes, long logCleanIntervalMs) {
  /** The leader parks a fetch with nothing to return for up to this long (KafkaRaftClient's fetch max wait, 500 ms). */
  public static final long FETCH_MAX_WAIT_MS = 500;

  public RaftConfig {
    voters = List.copyOf(voters);
  }

  public static RaftConfig defaults(List<NodeId> voters) {
    return new RaftConfig(voters, 1000, 2000, 1000, 2000, 20L << 20, 3_600_000, 100L << 20, 604_800_000, LogConfig.simulation().segmentBytes(), 8 << 20, 60_000);
  }

  public RaftConfig withMaxRecordBytesBetweenSnapshots(long bytes) {
    return new RaftConfig(voters, electionTimeoutMs, fetchTimeoutMs, electionBackoffMaxMs, requestTimeoutMs, bytes, maxSnapshotIntervalMs,
        metadataMaxRetentionBytes, metadataMaxRetentionMs, logSegmentBytes, fetchSnapshotMaxBytes, logCleanIntervalMs);
  }

  /** A scenario's lowered snapshot and retention settings (Kafka's names; the defaults are far beyond a short run). */
  public RaftConfig withSnapshotRetention(long retentionBytes, long retentionMs, int segmentBytes, int fetchSnapshotMaxBytes) {
    return new RaftConfig(voters, electionTimeoutMs, fetchTimeoutMs, electionBackoffMaxMs, requestTimeoutMs, maxRecordBytesBetweenSnapshots,
        maxSnapshotIntervalMs, retentionBytes, retentionMs, segmentBytes, fetchSnapshotMaxBytes, logCleanIntervalMs);
  }

  /** The log cleaner's interval lowered from KafkaRaftClient's fixed 60 s (a deviation the scenario states). */
  public RaftConfig withLogCleanIntervalMs(long ms) {
    return new RaftConfig(voters, electionTimeoutMs, fetchTimeoutMs, electionBackoffMaxMs, requestTimeoutMs, maxRecordBytesBetweenSnapshots,
        maxSnapshotIntervalMs, metadataMaxRetentionBytes, metadataMaxRetentionMs, logSegmentBytes, fetchSnapshotMaxBytes, ms);
  }

  public RaftConfig withVoters(List<NodeId> v) {
    return new RaftConfig(v, electionTimeoutMs, fetchTimeoutMs, electionBackoffMaxMs, requestTimeoutMs, maxRecordBytesBetweenSnapshots,
        maxSnapshotIntervalMs, metadataMaxRetentionBytes, metadataMaxRetentionMs, logSegmentBytes, fetchSnapshotMaxBytes, logCleanIntervalMs);
  }

  /** A majority of the voters. */
  public int majority() {
    return voters.size() / 2 + 1;
  }

  /** Kafka's integer node id of a voter: 3000 + its position (controller.quorum.voters=3001@ctl1:9093,...). */
  public int idOf(NodeId voter) {
    int i = voters.indexOf(voter);
    return i < 0 ? -1 : 3001 + i;
  }

  /** The voter with Kafka id {@code id}, or null. */
  public NodeId voterOf(int id) {
    int i = id - 3001;
    return i >= 0 && i < voters.size() ? voters.get(i) : null;
  }

  /** The value of {@code controller.quorum.voters}, as in the real configuration. */
  public String votersConfig() {
    StringBuilder b = new StringBuilder();
    for (NodeId v : voters) b.append(b.length() == 0 ? "" : ",").append(idOf(v)).append('@').append(v.name()).append(":9093");
    return b.toString();
  }
}
