package sim.es.cluster.coordination;

import sim.core.Timer;

/** The coordinator's schedule: election attempts, fault-detection checks and their timeouts, publications, persistence. */
public sealed interface CoordinationTimer extends Timer {
  /** ElectionScheduler: the next election attempt. */
  record ElectionAttempt(long attempt) implements CoordinationTimer {}

  /** PeerFinder: probe the seed nodes ({@code discovery.find_peers_interval} 1s). */
  record FindPeers() implements CoordinationTimer {}

  record LeaderCheckTick(long epoch) implements CoordinationTimer {}

  record LeaderCheckTimeout(long requestId) implements CoordinationTimer {}

  record FollowerCheckTick(String node, long epoch) implements CoordinationTimer {}

  record FollowerCheckTimeout(String node, long requestId) implements CoordinationTimer {}

  /** {@code cluster.publish.timeout}: the publication of this version gives up. */
  record PublishTimeout(long term, long version) implements CoordinationTimer {}

  /** Resend the publication's requests that were not answered (what TCP retransmission does). */
  record PublishRetry(long term, long version) implements CoordinationTimer {}

  /** The persisted coordination state of write {@code id} is durable. */
  record Persisted(long id) implements CoordinationTimer {}
}
