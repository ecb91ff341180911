package sim.kafka.group;

import sim.kafka.record.FieldReader;
import sim.kafka.record.FieldWriter;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.CorruptRecordException;

/**
 * The records a group coordinator writes to {@code __consumer_offsets}, in Kafka's own schemas (the
 * group-coordinator's {@code OffsetCommitKey}/{@code OffsetCommitValue}, {@code GroupMetadataKey}/
 * {@code GroupMetadataValue}): a big-endian int16 version, then the fields in order; strings are int16
 * length + UTF-8, bytes int32 length, arrays int32 count (version 3 values are not flexible). The key's
 * version tells the record type: 0 or 1 an offset commit, 2 a group's metadata. Inside the group metadata,
 * each member's subscription and assignment are the consumer protocol's own bytes
 * ({@code ConsumerProtocolSubscription} v3, {@code ConsumerProtocolAssignment} v3). The topic is compacted:
 * the last value per key is the state, a null value (tombstone) deletes it.
 */
public final class GroupRecords {
  public static final short OFFSET_COMMIT_KEY_VERSION = 1;
  public static final short OFFSET_COMMIT_VALUE_VERSION = 3;
  public static final short GROUP_METADATA_KEY_VERSION = 2;
  public static final short GROUP_METADATA_VALUE_VERSION = 3;
  public static final short CONSUMER_PROTOCOL_VERSION = 3;

  private GroupRecords() {}

  /** A key of the offsets topic, decoded. */
  public sealed interface Key permits OffsetKey, GroupKey, ConsumerGroupRecords.Key {}

  public record OffsetKey(String group, String topic, int partition) implements Key {}

  public record GroupKey(String group) implements Key {}

  public record OffsetValue(long offset, int leaderEpoch, String metadata, long commitTimestamp) {}

  /** A member as the group metadata record keeps it. */
  public record MemberMetadata(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
      int sessionTimeoutMs, Subscription subscription, List<TopicPartition> assignment) {}

  public record GroupValue(String protocolType, int generation, String protocol, String leader, long currentStateTimestamp,
      List<MemberMetadata> members) {}

  // ---- encoding ----

  public static byte[] offsetKey(String group, TopicPartition tp) {
    FieldWriter w = new FieldWriter().int16(OFFSET_COMMIT_KEY_VERSION);
    return w.string(group).string(tp.topic()).int32(tp.partition()).bytes();
  }

  public static byte[] offsetValue(OffsetValue v) {
    return new FieldWriter().int16(OFFSET_COMMIT_VALUE_VERSION).int64(v.offset()).int32(v.leaderEpoch()).string(v.metadata())
        .int64(v.commitTimestamp()).bytes();
  }

  public static byte[] groupKey(String group) {
    return new FieldWriter().int16(GROUP_METADATA_KEY_VERSION).string(group).bytes();
  }

  public static byte[] groupValue(GroupValue v) {
    FieldWriter w = new FieldWriter().int16(GROUP_METADATA_VALUE_VERSION).string(v.protocolType()).int32(v.generation())
        .nullableString(v.protocol()).nullableString(v.leader()).int64(v.currentStateTimestamp()).int32(v.members().size());
    for (MemberMetadata m : v.members()) {
      w.string(m.memberId()).nullableString(m.groupInstanceId()).string(m.clientId()).string(m.clientHost())
          .int32(m.rebalanceTimeoutMs()).int32(m.sessionTimeoutMs()).blob(subscription(m.subscription())).blob(assignment(m.assignment()));
    }
    return w.bytes();
  }

  /** {@code ConsumerProtocolSubscription} v3: topics, user data, owned partitions, generation, rack. */
  public static byte[] subscription(Subscription s) {
    FieldWriter w = new FieldWriter().int16(CONSUMER_PROTOCOL_VERSION).int32(s.topics().size());
    for (String t : s.topics()) w.string(t);
    w.nullableBlob(s.stickyUserData().map(GroupRecords::stickyUserData).orElse(null));
    partitionsByTopic(w, s.ownedPartitions());
    return w.int32(s.generationId().orElse(-1)).nullableString(null).bytes();
  }

  /** {@code ConsumerProtocolAssignment} v3: assigned partitions by topic, no user data. */
  public static byte[] assignment(List<TopicPartition> assigned) {
    FieldWriter w = new FieldWriter().int16(CONSUMER_PROTOCOL_VERSION);
    partitionsByTopic(w, assigned);
    return w.nullableBlob(null).bytes();
  }

  /** The sticky assignor's user data, its {@code STICKY_ASSIGNOR_USER_DATA_V1} struct: previous assignment, generation. */
  public static byte[] stickyUserData(Subscription.StickyUserData d) {
    FieldWriter w = new FieldWriter();
    partitionsByTopic(w, d.partitions());
    return w.int32(d.generation().orElse(-1)).bytes();
  }

  private static void partitionsByTopic(FieldWriter w, List<TopicPartition> tps) {
    Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
    for (TopicPartition tp : tps) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    w.int32(byTopic.size());
    byTopic.forEach((topic, ps) -> {
      w.string(topic).int32(ps.size());
      for (int p : ps) w.int32(p);
    });
  }

  // ---- decoding ----

  public static Key key(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "offsets topic key");
    short version = r.int16();
    return switch (version) {
      case 0, 1 -> new OffsetKey(r.string(), r.string(), r.int32());
      case 2 -> new GroupKey(r.string());
      case 3, 5, 6, 7, 8 -> ConsumerGroupRecords.key(bytes);
      default -> throw new CorruptRecordException("offsets topic key has unknown version " + version);
    };
  }

  public static OffsetValue offsetValue(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "OffsetCommitValue");
    short version = r.int16();
    if (version != 3) throw new CorruptRecordException("OffsetCommitValue version " + version + " is not read here (version 3 is written)");
    return new OffsetValue(r.int64(), r.int32(), r.string(), r.int64());
  }

  public static GroupValue groupValue(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "GroupMetadataValue");
    short version = r.int16();
    if (version != 3) throw new CorruptRecordException("GroupMetadataValue version " + version + " is not read here (version 3 is written)");
    String type = r.string();
    int generation = r.int32();
    String protocol = r.nullableString();
    String leader = r.nullableString();
    long timestamp = r.int64();
    int n = r.count();
    List<MemberMetadata> members = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      members.add(new MemberMetadata(r.string(), r.nullableString(), r.string(), r.string(), r.int32(), r.int32(),
          subscription(r.blob()), assignmentOf(r.blob())));
    }
    return new GroupValue(type, generation, protocol, leader, timestamp, members);
  }

  public static Subscription subscription(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "ConsumerProtocolSubscription");
    short version = r.int16();
    int n = r.count();
    List<String> topics = new ArrayList<>(n);
    for (int i = 0; i < n; i++) topics.add(r.string());
    byte[] userData = r.nullableBlob();
    List<TopicPartition> owned = version >= 1 ? partitionsByTopic(r) : List.of();
    int generation = version >= 2 ? r.int32() : -1;
    if (version >= 3) r.nullableString();
    Optional<Subscription.StickyUserData> sticky = userData == null || userData.length == 0 ? Optional.empty() : Optional.of(stickyUserData(userData));
    return new Subscription(topics, owned, generation < 0 ? Optional.empty() : Optional.of(generation), Optional.empty(), sticky);
  }

  public static List<TopicPartition> assignmentOf(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "ConsumerProtocolAssignment");
    r.int16();
    return partitionsByTopic(r);
  }

  static Subscription.StickyUserData stickyUserData(byte[] bytes) {
    FieldReader r = new FieldReader(bytes, "sticky assignor user data");
    List<TopicPartition> tps = partitionsByTopic(r);
    int generation = r.remaining() >= 4 ? r.int32() : -1;
    return new Subscription.StickyUserData(tps, generation < 0 ? Optional.empty() : Optional.of(generation));
  }

  private static List<TopicPartition> partitionsByTopic(FieldReader r) {
    List<TopicPartition> out = new ArrayList<>();
    int topics = r.count();
    for (int i = 0; i < topics; i++) {
      String topic = r.string();
      int n = r.count();
      for (int k = 0; k < n; k++) out.add(new TopicPartition(topic, r.int32()));
    }
    return out;
  }
}
