package sim.kafka.raft;

import java.util.List;
import sim.core.NodeId;

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
 *     batch bytes after the latest snapshot that make a controller write the next one
 */
public record RaftConfig(List<NodeId> voters, long electionTimeoutMs, long fetchTimeoutMs, long electionBackoffMaxMs,
    long requestTimeoutMs, long maxRecordBytesBetweenSnapshots) {
  /** The leader parks a fetch with nothing to return for up to this long (KafkaRaftClient's fetch max wait, 500 ms). */
  public static final long FETCH_MAX_WAIT_MS = 500;

  public RaftConfig {
    voters = List.copyOf(voters);
  }

  public static RaftConfig defaults(List<NodeId> voters) {
    return new RaftConfig(voters, 1000, 2000, 1000, 2000, 20L << 20);
  }

  public RaftConfig withMaxRecordBytesBetweenSnapshots(long bytes) {
    return new RaftConfig(voters, electionTimeoutMs, fetchTimeoutMs, electionBackoffMaxMs, requestTimeoutMs, bytes);
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
