package sim.redis.sentinel;

import sim.core.NodeId;

/** Another sentinel monitoring the same master: its last is-master-down-by-addr answer and vote. */
final class PeerSentinel {
  final NodeId id;
  boolean masterDown;
  long lastMasterDownReplyTime;
  String leader;
  long leaderEpoch;

  PeerSentinel(NodeId id) {
    this.id = id;
  }
}
