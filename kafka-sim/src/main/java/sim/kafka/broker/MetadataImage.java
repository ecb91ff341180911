package sim.kafka.broker;

import java.util.TreeMap;
import sim.core.NodeId;

/**
 * The controller's durable state as a value (KRaft's MetadataImage, trimmed): registered brokers with their
 * incarnation (broker epoch) and fenced flag, every partition's state, the next producer id block, and the metadata
 * version the controller had reached.
 */
public record MetadataImage(long version, long nextProducerId, int uncleanElections, TreeMap<NodeId, BrokerEntry> brokers,
    TreeMap<TopicPartition, PartitionState> partitions) {
  public record BrokerEntry(long incarnationId, boolean fenced) {}

  public static MetadataImage empty() {
    return new MetadataImage(0, 1000, 0, new TreeMap<>(), new TreeMap<>());
  }
}
