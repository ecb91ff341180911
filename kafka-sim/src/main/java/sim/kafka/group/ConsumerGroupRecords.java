package sim.kafka.group;

import sim.kafka.record.FieldReader;
import sim.kafka.record.FieldWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.kafka.broker.TopicPartition;
import sim.kafka.raft.MetadataRecords;
import sim.kafka.record.CorruptRecordException;

/**
 * The records a consumer-protocol group leaves in {@code __consumer_offsets}, in Kafka's schemas: keys are
 * non-flexible (an int16 version that names the record type, then int16-length strings), values flexible (an int16
 * version 0, compact strings and arrays as unsigned varint length + 1, uuids as two int64s, an empty tagged-field
 * section per struct). A tombstone (null value) deletes. Topics are named by topic id, derived from the name here
 * ({@link MetadataRecords#topicIdMsb}) where Kafka draws a random one at creation.
 */
public final class ConsumerGroupRecords {
  static final short METADATA = 3;
  static final short MEMBER_METADATA = 5;
  static final short TARGET_ASSIGNMENT_METADATA = 6;
  static final short TARGET_ASSIGNMENT_MEMBER = 7;
  static final short CURRENT_MEMBER_ASSIGNMENT = 8;

  private ConsumerGroupRecords() {}

  /** A consumer group record's key: its type (the key version), the group, the member for per-member records. */
  public record Key(short type, String group, String memberId) implements GroupRecords.Key {}

  public record MemberMetadata(String instanceId, String clientId, String clientHost, List<String> subscribedTopicNames, int rebalanceTimeoutMs,
      String serverAssignor) {}

  public record CurrentAssignment(int memberEpoch, int previousMemberEpoch, byte state, SortedSet<TopicPartition> assigned,
      SortedSet<TopicPartition> pendingRevocation) {}

  static boolean isConsumerGroupKey(short version) {
    return version >= METADATA && version <= CURRENT_MEMBER_ASSIGNMENT && version != 4;
  }

  // ---- keys ----

  public static byte[] key(short type, String group, String memberId) {
    FieldWriter w = new FieldWriter().int16(type).string(group);
    if (memberId != null) w.string(memberId);
    return w.bytes();
  }

  public static Key key(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "consumer group record key");
    short type = r.int16();
    if (!isConsumerGroupKey(type)) throw new CorruptRecordException("not a consumer group record key: version " + type);
    String group = r.string();
    boolean perMember = type == MEMBER_METADATA || type == TARGET_ASSIGNMENT_MEMBER || type == CURRENT_MEMBER_ASSIGNMENT;
    return new Key(type, group, perMember ? r.string() : null);
  }

  // ---- values ----

  /** ConsumerGroupMetadataValue: the group epoch. */
  public static byte[] groupEpoch(int epoch) {
    return new FieldWriter().int16((short) 0).int32(epoch).noTags().bytes();
  }

  /** ConsumerGroupTargetAssignmentMetadataValue: the epoch the target assignment was computed at. */
  public static byte[] targetAssignmentEpoch(int epoch) {
    return new FieldWriter().int16((short) 0).int32(epoch).noTags().bytes();
  }

  public static int epochValue(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "consumer group epoch value");
    version0(r);
    return r.int32();
  }

  public static byte[] memberMetadata(MemberMetadata m) {
    FieldWriter w = new FieldWriter().int16((short) 0).compactString(m.instanceId()).compactString(null).compactString(m.clientId())
        .compactString(m.clientHost()).uvarint(m.subscribedTopicNames().size() + 1);
    for (String t : m.subscribedTopicNames()) w.compactString(t);
    return w.compactString(null).int32(m.rebalanceTimeoutMs()).compactString(m.serverAssignor()).noTags().bytes();
  }

  public static MemberMetadata memberMetadata(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "ConsumerGroupMemberMetadataValue");
    version0(r);
    String instanceId = r.compactString();
    r.compactString(); // rack id
    String clientId = r.compactString();
    String clientHost = r.compactString();
    List<String> topics = new ArrayList<>();
    for (int i = 0, n = r.compactCount(); i < n; i++) topics.add(r.compactString());
    r.compactString(); // subscribed topic regex
    int rebalanceTimeoutMs = r.int32();
    String assignor = r.compactString();
    r.skipTags();
    return new MemberMetadata(instanceId, clientId, clientHost, topics, rebalanceTimeoutMs, assignor);
  }

  /** ConsumerGroupTargetAssignmentMemberValue: the member's partitions in the target assignment. */
  public static byte[] targetAssignmentMember(SortedSet<TopicPartition> partitions) {
    FieldWriter w = new FieldWriter().int16((short) 0);
    topicPartitions(w, partitions);
    return w.noTags().bytes();
  }

  public static SortedSet<TopicPartition> targetAssignmentMember(byte[] bytes, Map<String, String> topicNames) {
    FieldReader r = new FieldReader(bytes, "ConsumerGroupTargetAssignmentMemberValue");
    version0(r);
    SortedSet<TopicPartition> out = topicPartitions(r, topicNames);
    r.skipTags();
    return out;
  }

  public static byte[] currentAssignment(CurrentAssignment a) {
    FieldWriter w = new FieldWriter().int16((short) 0).int32(a.memberEpoch()).int32(a.previousMemberEpoch()).int8(a.state());
    topicPartitions(w, a.assigned());
    topicPartitions(w, a.pendingRevocation());
    return w.noTags().bytes();
  }

  public static CurrentAssignment currentAssignment(byte[] bytes, Map<String, String> topicNames) {
    FieldReader r = new FieldReader(bytes, "ConsumerGroupCurrentMemberAssignmentValue");
    version0(r);
    int epoch = r.int32();
    int previous = r.int32();
    byte state = r.int8();
    SortedSet<TopicPartition> assigned = topicPartitions(r, topicNames);
    SortedSet<TopicPartition> pending = topicPartitions(r, topicNames);
    r.skipTags();
    return new CurrentAssignment(epoch, previous, state, assigned, pending);
  }

  /** The topic id Kafka would name {@code topic} by here, as a key for reading ids back: "msb:lsb". */
  static String topicIdKey(String topic) {
    return MetadataRecords.topicIdMsb(topic) + ":" + MetadataRecords.topicIdLsb(topic);
  }

  private static void version0(FieldReader r) {
    short v = r.int16();
    if (v != 0) throw new CorruptRecordException(r.what() + " version " + v + " is not read here (version 0 is written)");
  }

  /** [] TopicPartitions: topic id, then the partitions as a compact int32 array, each struct with its tag section. */
  private static void topicPartitions(FieldWriter w, SortedSet<TopicPartition> tps) {
    TreeMap<String, List<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : tps) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    w.uvarint(byTopic.size() + 1);
    byTopic.forEach((topic, ps) -> {
      w.int64(MetadataRecords.topicIdMsb(topic)).int64(MetadataRecords.topicIdLsb(topic)).uvarint(ps.size() + 1);
      for (int p : ps) w.int32(p);
      w.noTags();
    });
  }

  private static SortedSet<TopicPartition> topicPartitions(FieldReader r, Map<String, String> topicNames) {
    TreeSet<TopicPartition> out = new TreeSet<>();
    for (int i = 0, n = r.compactCount(); i < n; i++) {
      String id = r.int64() + ":" + r.int64();
      String topic = topicNames.get(id);
      if (topic == null) throw new CorruptRecordException(r.what() + " names topic id " + id + ", which no member subscribes to");
      for (int k = 0, m = r.compactCount(); k < m; k++) out.add(new TopicPartition(topic, r.int32()));
      r.skipTags();
    }
    return out;
  }
}
