package sim.kafka.broker;

import java.util.List;
import sim.core.NodeId;

/**
 * The partitions a broker knows (Kafka's MetadataCache): what the last LeaderAndIsr or, in KRaft mode, the published
 * metadata log told it. It answers clients' MetadataRequest and FindCoordinator and tells the coordinators where their
 * partitions lead.
 */
final class MetadataCache {
  private List<PartitionState> partitions = List.of();

  void update(List<PartitionState> latest) {
    partitions = latest;
  }

  List<PartitionState> partitions() {
    return partitions;
  }

  NodeId leaderOf(TopicPartition tp) {
    for (PartitionState s : partitions) if (s.tp().equals(tp)) return s.leader();
    return null;
  }

  /** The partition count of {@code topic}, at least 1 (a topic not known yet hashes to partition 0). */
  int partitionsOf(String topic) {
    int n = 0;
    for (PartitionState s : partitions) if (s.tp().topic().equals(topic)) n++;
    return Math.max(n, 1);
  }
}
