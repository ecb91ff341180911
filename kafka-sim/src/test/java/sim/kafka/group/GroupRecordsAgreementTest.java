package sim.kafka.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.GroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.GroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import sim.kafka.broker.TopicPartition;

/**
 * The __consumer_offsets records we write are Kafka's: kafka-group-coordinator's generated classes read
 * them with the same fields, write the very same bytes, and our reader reads theirs; the members'
 * subscriptions and assignments are what kafka-clients' ConsumerProtocol reads.
 */
class GroupRecordsAgreementTest {
  static String name(Random r, String prefix) {
    return prefix + (r.nextInt(3) == 0 ? "-ü" : "") + r.nextInt(1000);
  }

  static List<TopicPartition> partitions(Random r) {
    List<TopicPartition> out = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) out.add(new TopicPartition("t" + r.nextInt(3), r.nextInt(20)));
    return out;
  }

  static ByteBuffer versioned(byte[] b) {
    return ByteBuffer.wrap(b);
  }

  @Property(tries = 300)
  void offsetCommitRecordsAreKafkas(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    Random r = new Random(seed);
    String group = name(r, "group");
    TopicPartition tp = new TopicPartition(name(r, "topic"), r.nextInt(100));
    GroupRecords.OffsetValue v = new GroupRecords.OffsetValue(r.nextInt(1 << 20), r.nextInt(10) - 1, r.nextBoolean() ? "" : "m" + r.nextInt(), 1_700_000_000_000L + r.nextInt());
    ByteBuffer key = versioned(GroupRecords.offsetKey(group, tp));
    short keyVersion = key.getShort();
    OffsetCommitKey k = new OffsetCommitKey(new ByteBufferAccessor(key), keyVersion);
    assertEquals(1, keyVersion);
    assertEquals(group, k.group());
    assertEquals(tp.topic(), k.topic());
    assertEquals(tp.partition(), k.partition());
    ByteBuffer value = versioned(GroupRecords.offsetValue(v));
    short valueVersion = value.getShort();
    OffsetCommitValue ov = new OffsetCommitValue(new ByteBufferAccessor(value), valueVersion);
    assertEquals(v.offset(), ov.offset());
    assertEquals(v.leaderEpoch(), ov.leaderEpoch());
    assertEquals(v.metadata(), ov.metadata());
    assertEquals(v.commitTimestamp(), ov.commitTimestamp());
    // Byte for byte what Kafka writes, and we read what Kafka writes.
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 1, new OffsetCommitKey().setGroup(group).setTopic(tp.topic()).setPartition(tp.partition())),
        GroupRecords.offsetKey(group, tp));
    byte[] theirs = MessageUtil.toVersionPrefixedBytes((short) 3, new OffsetCommitValue().setOffset(v.offset()).setLeaderEpoch(v.leaderEpoch())
        .setMetadata(v.metadata()).setCommitTimestamp(v.commitTimestamp()));
    assertArrayEquals(theirs, GroupRecords.offsetValue(v));
    assertEquals(v, GroupRecords.offsetValue(theirs));
    assertEquals(new GroupRecords.OffsetKey(group, tp.topic(), tp.partition()), GroupRecords.key(GroupRecords.offsetKey(group, tp)));
  }

  @Property(tries = 200)
  void groupMetadataRecordsAreKafkas(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    Random r = new Random(seed);
    String group = name(r, "group");
    List<GroupRecords.MemberMetadata> members = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      Optional<Integer> gen = r.nextBoolean() ? Optional.of(r.nextInt(9)) : Optional.empty();
      Subscription s = new Subscription(List.of("t0", "t" + (1 + r.nextInt(2))), partitions(r), gen, Optional.empty(),
          r.nextBoolean() ? Optional.of(new Subscription.StickyUserData(partitions(r), gen)) : Optional.empty());
      members.add(new GroupRecords.MemberMetadata("consumer-" + i + "-" + r.nextInt(), r.nextBoolean() ? "instance-" + i : null, "client-" + i,
          "/127.0.0." + i, 300_000, 45_000, s, partitions(r)));
    }
    GroupRecords.GroupValue v = new GroupRecords.GroupValue("consumer", 1 + r.nextInt(9), "range", members.isEmpty() ? null : members.get(0).memberId(),
        1_700_000_000_000L + r.nextInt(), members);
    ByteBuffer key = versioned(GroupRecords.groupKey(group));
    short kv = key.getShort();
    assertEquals(2, kv);
    assertEquals(group, new GroupMetadataKey(new ByteBufferAccessor(key), kv).group());
    ByteBuffer value = versioned(GroupRecords.groupValue(v));
    short vv = value.getShort();
    GroupMetadataValue g = new GroupMetadataValue(new ByteBufferAccessor(value), vv);
    assertEquals(v.protocolType(), g.protocolType());
    assertEquals(v.generation(), g.generation());
    assertEquals(v.protocol(), g.protocol());
    assertEquals(v.leader(), g.leader());
    assertEquals(v.currentStateTimestamp(), g.currentStateTimestamp());
    assertEquals(members.size(), g.members().size());
    for (int i = 0; i < members.size(); i++) {
      GroupRecords.MemberMetadata m = members.get(i);
      GroupMetadataValue.MemberMetadata km = g.members().get(i);
      assertEquals(m.memberId(), km.memberId());
      assertEquals(m.groupInstanceId(), km.groupInstanceId());
      assertEquals(m.sessionTimeoutMs(), km.sessionTimeout());
      assertEquals(m.rebalanceTimeoutMs(), km.rebalanceTimeout());
      ConsumerPartitionAssignor.Subscription ks = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(km.subscription()));
      assertEquals(m.subscription().topics(), ks.topics());
      assertEquals(m.subscription().ownedPartitions().stream().map(TopicPartition::toString).sorted().toList(),
          ks.ownedPartitions().stream().map(Object::toString).sorted().toList(), "owned partitions, grouped by topic on the wire");
      assertEquals(m.subscription().generationId(), ks.generationId());
      List<String> assigned = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(km.assignment())).partitions().stream().map(Object::toString).toList();
      assertEquals(m.assignment().stream().map(TopicPartition::toString).toList().stream().sorted().toList(), assigned.stream().sorted().toList());
    }
    assertEquals(v.members().stream().map(GroupRecords.MemberMetadata::memberId).toList(),
        GroupRecords.groupValue(GroupRecords.groupValue(v)).members().stream().map(GroupRecords.MemberMetadata::memberId).toList());
  }
}
