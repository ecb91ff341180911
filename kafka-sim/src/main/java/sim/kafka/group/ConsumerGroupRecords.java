package sim.kafka.group;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
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
    Writer w = new Writer().int16(type).legacyString(group);
    if (memberId != null) w.legacyString(memberId);
    return w.bytes();
  }

  public static Key key(byte[] bytes) {
    Reader r = new Reader(bytes, "consumer group record key");
    short type = r.int16();
    if (!isConsumerGroupKey(type)) throw new CorruptRecordException("not a consumer group record key: version " + type);
    String group = r.legacyString();
    boolean perMember = type == MEMBER_METADATA || type == TARGET_ASSIGNMENT_MEMBER || type == CURRENT_MEMBER_ASSIGNMENT;
    return new Key(type, group, perMember ? r.legacyString() : null);
  }

  // ---- values ----

  /** ConsumerGroupMetadataValue: the group epoch. */
  public static byte[] groupEpoch(int epoch) {
    return new Writer().int16((short) 0).int32(epoch).noTags().bytes();
  }

  /** ConsumerGroupTargetAssignmentMetadataValue: the epoch the target assignment was computed at. */
  public static byte[] targetAssignmentEpoch(int epoch) {
    return new Writer().int16((short) 0).int32(epoch).noTags().bytes();
  }

  public static int epochValue(byte[] bytes) {
    Reader r = new Reader(bytes, "consumer group epoch value");
    version0(r);
    return r.int32();
  }

  public static byte[] memberMetadata(MemberMetadata m) {
    Writer w = new Writer().int16((short) 0).compactString(m.instanceId()).compactString(null).compactString(m.clientId())
        .compactString(m.clientHost()).uvarint(m.subscribedTopicNames().size() + 1);
    for (String t : m.subscribedTopicNames()) w.compactString(t);
    return w.compactString(null).int32(m.rebalanceTimeoutMs()).compactString(m.serverAssignor()).noTags().bytes();
  }

  public static MemberMetadata memberMetadata(byte[] bytes) {
    Reader r = new Reader(bytes, "ConsumerGroupMemberMetadataValue");
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
    Writer w = new Writer().int16((short) 0);
    topicPartitions(w, partitions);
    return w.noTags().bytes();
  }

  public static SortedSet<TopicPartition> targetAssignmentMember(byte[] bytes, Map<String, String> topicNames) {
    Reader r = new Reader(bytes, "ConsumerGroupTargetAssignmentMemberValue");
    version0(r);
    SortedSet<TopicPartition> out = topicPartitions(r, topicNames);
    r.skipTags();
    return out;
  }

  public static byte[] currentAssignment(CurrentAssignment a) {
    Writer w = new Writer().int16((short) 0).int32(a.memberEpoch()).int32(a.previousMemberEpoch()).int8(a.state());
    topicPartitions(w, a.assigned());
    topicPartitions(w, a.pendingRevocation());
    return w.noTags().bytes();
  }

  public static CurrentAssignment currentAssignment(byte[] bytes, Map<String, String> topicNames) {
    Reader r = new Reader(bytes, "ConsumerGroupCurrentMemberAssignmentValue");
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

  private static void version0(Reader r) {
    short v = r.int16();
    if (v != 0) throw new CorruptRecordException(r.what + " version " + v + " is not read here (version 0 is written)");
  }

  /** [] TopicPartitions: topic id, then the partitions as a compact int32 array, each struct with its tag section. */
  private static void topicPartitions(Writer w, SortedSet<TopicPartition> tps) {
    TreeMap<String, List<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : tps) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    w.uvarint(byTopic.size() + 1);
    byTopic.forEach((topic, ps) -> {
      w.int64(MetadataRecords.topicIdMsb(topic)).int64(MetadataRecords.topicIdLsb(topic)).uvarint(ps.size() + 1);
      for (int p : ps) w.int32(p);
      w.noTags();
    });
  }

  private static SortedSet<TopicPartition> topicPartitions(Reader r, Map<String, String> topicNames) {
    TreeSet<TopicPartition> out = new TreeSet<>();
    for (int i = 0, n = r.compactCount(); i < n; i++) {
      String id = r.int64() + ":" + r.int64();
      String topic = topicNames.get(id);
      if (topic == null) throw new CorruptRecordException(r.what + " names topic id " + id + ", which no member subscribes to");
      for (int k = 0, m = r.compactCount(); k < m; k++) out.add(new TopicPartition(topic, r.int32()));
      r.skipTags();
    }
    return out;
  }

  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer int8(byte v) {
      out.write(v);
      return this;
    }

    Writer int16(short v) {
      out.writeBytes(ByteBuffer.allocate(2).putShort(v).array());
      return this;
    }

    Writer int32(int v) {
      out.writeBytes(ByteBuffer.allocate(4).putInt(v).array());
      return this;
    }

    Writer int64(long v) {
      out.writeBytes(ByteBuffer.allocate(8).putLong(v).array());
      return this;
    }

    Writer uvarint(int v) {
      while ((v & ~0x7F) != 0) {
        out.write((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      out.write(v);
      return this;
    }

    Writer legacyString(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      int16((short) b.length);
      out.writeBytes(b);
      return this;
    }

    Writer compactString(String s) {
      if (s == null) return uvarint(0);
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      uvarint(b.length + 1);
      out.writeBytes(b);
      return this;
    }

    Writer noTags() {
      return uvarint(0);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  private static final class Reader {
    private final ByteBuffer in;
    final String what;

    Reader(byte[] bytes, String what) {
      this.in = ByteBuffer.wrap(bytes);
      this.what = what;
    }

    byte int8() {
      try {
        return in.get();
      } catch (BufferUnderflowException e) {
        throw short_();
      }
    }

    short int16() {
      try {
        return in.getShort();
      } catch (BufferUnderflowException e) {
        throw short_();
      }
    }

    int int32() {
      try {
        return in.getInt();
      } catch (BufferUnderflowException e) {
        throw short_();
      }
    }

    long int64() {
      try {
        return in.getLong();
      } catch (BufferUnderflowException e) {
        throw short_();
      }
    }

    int uvarint() {
      int v = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = int8() & 0xFF;
        v |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) return v;
      }
      throw new CorruptRecordException(what + " has a varint longer than 5 bytes");
    }

    int compactCount() {
      int n = uvarint() - 1;
      if (n < 0 || n > in.remaining()) throw new CorruptRecordException(what + " has a bad array length " + n);
      return n;
    }

    String legacyString() {
      int n = int16();
      if (n < 0) throw new CorruptRecordException(what + " has a null string where one is required");
      return new String(take(n), StandardCharsets.UTF_8);
    }

    String compactString() {
      int n = uvarint() - 1;
      return n < 0 ? null : new String(take(n), StandardCharsets.UTF_8);
    }

    void skipTags() {
      for (int i = 0, n = uvarint(); i < n; i++) {
        uvarint();
        take(uvarint());
      }
    }

    private byte[] take(int n) {
      if (n > in.remaining()) throw new CorruptRecordException(what + " claims " + n + " bytes but only " + in.remaining() + " remain");
      byte[] b = new byte[n];
      in.get(b);
      return b;
    }

    private CorruptRecordException short_() {
      return new CorruptRecordException(what + " ends early at byte " + in.position());
    }
  }
}
