package sim.kafka.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeId;
import sim.kafka.broker.MetadataImage;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.raft.MetadataCodec.Reader;
import sim.kafka.raft.MetadataCodec.Writer;
import sim.kafka.record.FieldWriter;
import sim.kafka.record.LogRecord;

/**
 * The controller's decisions as KRaft metadata records, in Kafka's binary format (MetadataRecordSerde, every record
 * version 0): {@code RegisterBrokerRecord} (a broker's incarnation, its broker epoch), {@code BrokerRegistrationChangeRecord}
 * (fenced 1 / unfenced -1), {@code TopicRecord} and {@code PartitionRecord} (a new topic and partition),
 * {@code PartitionChangeRecord} (a new leader, which bumps the leader epoch on replay, and/or a new ISR; every change bumps
 * the partition epoch) and {@code ProducerIdsRecord} (the next producer id). {@link #delta} turns the change between two
 * images into records (decide, then write); {@link #replay} rebuilds the image from committed records, as a new active
 * controller does. Broker b<i>N</i> is Kafka broker id <i>N</i>.
 */
public final class MetadataRecords {
  private MetadataRecords() {}

  public static List<byte[]> delta(MetadataImage before, MetadataImage after) {
    List<byte[]> out = new ArrayList<>();
    for (Map.Entry<NodeId, MetadataImage.BrokerEntry> e : after.brokers().entrySet()) {
      MetadataImage.BrokerEntry old = before.brokers().get(e.getKey());
      MetadataImage.BrokerEntry now = e.getValue();
      int id = brokerId(e.getKey());
      if (old == null || old.incarnationId() != now.incarnationId()) {
        out.add(new Writer(MetadataCodec.REGISTER_BROKER).int32(id).uuid(0, now.incarnationId()).int64(now.incarnationId())
            .uvarint(1).uvarint(1).uvarint(0).int8(now.fenced() ? 1 : 0).uvarint(0).bytes());
      } else if (old.fenced() != now.fenced()) {
        out.add(new Writer(MetadataCodec.BROKER_REGISTRATION_CHANGE).int32(id).int64(now.incarnationId())
            .uvarint(1).tagged(0, new FieldWriter().int8(now.fenced() ? 1 : -1)).bytes());
      }
    }
    TreeSet<String> knownTopics = new TreeSet<>();
    for (TopicPartition tp : before.partitions().keySet()) knownTopics.add(tp.topic());
    for (PartitionState s : after.partitions().values()) {
      PartitionState old = before.partitions().get(s.tp());
      if (s.equals(old)) continue;
      if (old == null && knownTopics.add(s.tp().topic())) {
        out.add(new Writer(MetadataCodec.TOPIC).compactString(s.tp().topic()).uuid(topicIdMsb(s.tp().topic()), topicIdLsb(s.tp().topic())).uvarint(0).bytes());
      }
      out.add(oneStep(old, s) ? partitionChange(old, s) : partitionRecord(s));
    }
    if (after.nextProducerId() != before.nextProducerId()) {
      out.add(new Writer(MetadataCodec.PRODUCER_IDS).int32(-1).int64(-1).int64(after.nextProducerId()).uvarint(0).bytes());
    }
    return out;
  }

  /** A PartitionChangeRecord can say it: one change (partition epoch + 1), the leader epoch bumped only with a new leader. */
  private static boolean oneStep(PartitionState old, PartitionState s) {
    if (old == null || !old.replicas().equals(s.replicas()) || s.partitionEpoch() != old.partitionEpoch() + 1) return false;
    return s.leaderEpoch() == old.leaderEpoch() + 1 || (s.leaderEpoch() == old.leaderEpoch() && java.util.Objects.equals(s.leader(), old.leader()));
  }

  private static byte[] partitionRecord(PartitionState s) {
    return new Writer(MetadataCodec.PARTITION).int32(s.tp().partition()).uuid(topicIdMsb(s.tp().topic()), topicIdLsb(s.tp().topic()))
        .compactInt32s(ids(s.replicas())).compactInt32s(ids(s.isr())).compactInt32s(new int[0]).compactInt32s(new int[0]).int32(leaderId(s.leader()))
        .int32(s.leaderEpoch()).int32(s.partitionEpoch()).uvarint(0).bytes();
  }

  private static byte[] partitionChange(PartitionState old, PartitionState s) {
    boolean isr = !old.isr().equals(s.isr());
    boolean leader = s.leaderEpoch() != old.leaderEpoch();
    FieldWriter w = new Writer(MetadataCodec.PARTITION_CHANGE).int32(s.tp().partition()).uuid(topicIdMsb(s.tp().topic()), topicIdLsb(s.tp().topic()))
        .uvarint((isr ? 1 : 0) + (leader ? 1 : 0));
    if (isr) w.tagged(0, new FieldWriter().compactInt32s(ids(s.isr())));
    if (leader) w.tagged(1, new FieldWriter().int32(leaderId(s.leader())));
    return w.bytes();
  }

  /** The image the committed records describe (the metadata version restarts at 0; brokers compare epoch and version). */
  public static MetadataImage replay(List<LogRecord> records) {
    MetadataDelta delta = new MetadataDelta();
    for (LogRecord r : records) delta.replay(r);
    return delta.image();
  }

  /** The broker and incarnation a RegisterBrokerRecord registers, or null for any other record. */
  static MetadataDelta.Registration registration(byte[] value, long offset) {
    Reader in = new Reader(value);
    if (in.apiKey != MetadataCodec.REGISTER_BROKER) return null;
    in.int32();
    in.int64();
    return new MetadataDelta.Registration(in.int64(), offset);
  }

  /** The broker a RegisterBrokerRecord registers (call only for one). */
  static NodeId registeredBroker(byte[] value) {
    return broker(new Reader(value).int32());
  }

  // ---- ids ----

  static int brokerId(NodeId b) {
    return Integer.parseInt(b.name().substring(1));
  }

  private static NodeId broker(int id) {
    return NodeId.of("b" + id);
  }

  private static int leaderId(NodeId leader) {
    return leader == null ? -1 : brokerId(leader);
  }

  private static int[] ids(List<NodeId> nodes) {
    return nodes.stream().mapToInt(MetadataRecords::brokerId).toArray();
  }

  /** A topic's id, derived from its name (Kafka draws a random Uuid when the topic is created). */
  public static long topicIdMsb(String topic) {
    return 0x6b72616674L << 24 | (topic.hashCode() & 0xFFFFFFL);
  }

  public static long topicIdLsb(String topic) {
    return ((long) topic.hashCode() << 32) | topic.length();
  }
}
