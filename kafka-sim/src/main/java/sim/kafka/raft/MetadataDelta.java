package sim.kafka.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.kafka.broker.MetadataImage;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.raft.MetadataCodec.Reader;
import sim.kafka.record.LogRecord;

/**
 * Committed metadata records replayed one at a time into the state they describe (Kafka's {@code MetadataDelta} on top of
 * a {@code MetadataImage}, and the controller's replay of the same records): brokers with their incarnation and fenced
 * flag, topics, partitions, the next producer id, and where each broker's RegisterBrokerRecord is (the offset a broker
 * must have replayed before the controller unfences it). A new active controller replays the whole committed log; a
 * broker's metadata loader replays each record as it becomes committed.
 */
public final class MetadataDelta {
  /** Where a broker incarnation's RegisterBrokerRecord sits in {@code __cluster_metadata-0}. */
  public record Registration(long incarnationId, long offset) {}

  private final TreeMap<NodeId, MetadataImage.BrokerEntry> brokers = new TreeMap<>();
  private final TreeMap<TopicPartition, PartitionState> partitions = new TreeMap<>();
  private final TreeMap<String, String> topicNames = new TreeMap<>();
  private final TreeMap<NodeId, Registration> registrations = new TreeMap<>();
  private long nextProducerId = MetadataImage.empty().nextProducerId();
  private long lastOffset = -1;

  /** Replays one committed record; returns the partition it changed, or null for any other record. */
  public TopicPartition replay(LogRecord r) {
    lastOffset = r.offset();
    Reader in = new Reader(r.value());
    switch (in.apiKey) {
      case MetadataCodec.REGISTER_BROKER -> {
        NodeId b = broker(in.int32());
        in.int64();
        in.int64();
        long epoch = in.int64();
        in.emptyArray();
        in.emptyArray();
        in.compactString();
        brokers.put(b, new MetadataImage.BrokerEntry(epoch, in.bool()));
        registrations.put(b, new Registration(epoch, r.offset()));
        return null;
      }
      case MetadataCodec.BROKER_REGISTRATION_CHANGE -> {
        NodeId b = broker(in.int32());
        long epoch = in.int64();
        boolean fenced = brokers.containsKey(b) && brokers.get(b).fenced();
        for (int[] t : in.taggedFields()) {
          in.at(t[1]);
          if (t[0] == 0) fenced = in.int8() == 1;
        }
        brokers.put(b, new MetadataImage.BrokerEntry(epoch, fenced));
        return null;
      }
      case MetadataCodec.TOPIC -> {
        String name = in.compactString();
        topicNames.put(in.int64() + ":" + in.int64(), name);
        return null;
      }
      case MetadataCodec.PARTITION -> {
        int p = in.int32();
        TopicPartition tp = new TopicPartition(topicNames.get(in.int64() + ":" + in.int64()), p);
        List<NodeId> replicas = brokers(in.compactInt32s());
        List<NodeId> isr = brokers(in.compactInt32s());
        in.compactInt32s();
        in.compactInt32s();
        NodeId leader = leader(in.int32());
        partitions.put(tp, new PartitionState(tp, replicas, leader, in.int32(), isr, in.int32()));
        return tp;
      }
      case MetadataCodec.PARTITION_CHANGE -> {
        int p = in.int32();
        TopicPartition tp = new TopicPartition(topicNames.get(in.int64() + ":" + in.int64()), p);
        partitions.put(tp, replayChange(partitions.get(tp), in));
        return tp;
      }
      case MetadataCodec.PRODUCER_IDS -> {
        in.int32();
        in.int64();
        nextProducerId = in.int64();
        return null;
      }
      default -> throw new IllegalStateException("unknown metadata record (api key " + in.apiKey + ") at offset " + r.offset());
    }
  }

  /** Kafka's PartitionRegistration.merge: a Leader field bumps the leader epoch, every record the partition epoch. */
  private static PartitionState replayChange(PartitionState s, Reader in) {
    List<NodeId> isr = s.isr();
    NodeId leader = s.leader();
    int leaderEpoch = s.leaderEpoch();
    for (int[] t : in.taggedFields()) {
      in.at(t[1]);
      if (t[0] == 0) isr = brokers(in.compactInt32s());
      if (t[0] == 1) {
        leader = leader(in.int32());
        leaderEpoch++;
      }
    }
    return new PartitionState(s.tp(), s.replicas(), leader, leaderEpoch, isr, s.partitionEpoch() + 1);
  }

  /** The image the records replayed so far describe (the metadata version restarts at 0). */
  public MetadataImage image() {
    return new MetadataImage(0, nextProducerId, 0, new TreeMap<>(brokers), new TreeMap<>(partitions));
  }

  public PartitionState partition(TopicPartition tp) {
    return partitions.get(tp);
  }

  /** The partitions, in partition order (a broker's metadata cache). */
  public List<PartitionState> partitions() {
    return new ArrayList<>(partitions.values());
  }

  /** The last RegisterBrokerRecord of {@code broker}, or null. */
  public Registration registration(NodeId broker) {
    return registrations.get(broker);
  }

  public TreeMap<NodeId, Registration> registrations() {
    return new TreeMap<>(registrations);
  }

  /** The offset of the last record replayed, -1 before any. */
  public long lastOffset() {
    return lastOffset;
  }

  // ---- ids: broker b<i>N</i> is Kafka broker id <i>N</i> ----

  private static NodeId broker(int id) {
    return NodeId.of("b" + id);
  }

  private static NodeId leader(int id) {
    return id < 0 ? null : broker(id);
  }

  private static List<NodeId> brokers(int[] ids) {
    List<NodeId> out = new ArrayList<>();
    for (int id : ids) out.add(broker(id));
    return out;
  }
}
