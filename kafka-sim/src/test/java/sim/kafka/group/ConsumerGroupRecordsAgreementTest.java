package sim.kafka.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataValue;
import sim.kafka.broker.TopicPartition;
import sim.kafka.raft.MetadataRecords;

/**
 * The consumer-protocol records we write to __consumer_offsets are Kafka's: kafka-group-coordinator 4.1.2's generated
 * classes read them with the same fields and write the very same bytes, and we read theirs.
 */
class ConsumerGroupRecordsAgreementTest {
  static SortedSet<TopicPartition> partitions(Random r, List<String> topics) {
    TreeSet<TopicPartition> out = new TreeSet<>();
    for (int i = r.nextInt(6); i > 0; i--) out.add(new TopicPartition(topics.get(r.nextInt(topics.size())), r.nextInt(20)));
    return out;
  }

  static Uuid id(String topic) {
    return new Uuid(MetadataRecords.topicIdMsb(topic), MetadataRecords.topicIdLsb(topic));
  }

  static List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> current(SortedSet<TopicPartition> tps) {
    TreeMap<String, List<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : tps) byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition());
    List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> out = new ArrayList<>();
    byTopic.forEach((t, ps) -> out.add(new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions().setTopicId(id(t)).setPartitions(ps)));
    return out;
  }

  static ByteBuffer skipVersion(byte[] b, short expected) {
    ByteBuffer buf = ByteBuffer.wrap(b);
    assertEquals(expected, buf.getShort());
    return buf;
  }

  @Property(tries = 300)
  void consumerGroupRecordsAreKafkas(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
    Random r = new Random(seed);
    String group = "group-" + (r.nextBoolean() ? "ü" : "") + r.nextInt(1000);
    String member = Uuid.randomUuid().toString();
    List<String> topics = List.of("orders", "t" + r.nextInt(100), "payments-" + r.nextInt(9));
    Map<String, String> names = new TreeMap<>();
    for (String t : topics) names.put(ConsumerGroupRecords.topicIdKey(t), t);

    // Keys: the version names the record type.
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 3, new ConsumerGroupMetadataKey().setGroupId(group)),
        ConsumerGroupRecords.key(ConsumerGroupRecords.METADATA, group, null));
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 5, new ConsumerGroupMemberMetadataKey().setGroupId(group).setMemberId(member)),
        ConsumerGroupRecords.key(ConsumerGroupRecords.MEMBER_METADATA, group, member));
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 6, new ConsumerGroupTargetAssignmentMetadataKey().setGroupId(group)),
        ConsumerGroupRecords.key(ConsumerGroupRecords.TARGET_ASSIGNMENT_METADATA, group, null));
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 7, new ConsumerGroupTargetAssignmentMemberKey().setGroupId(group).setMemberId(member)),
        ConsumerGroupRecords.key(ConsumerGroupRecords.TARGET_ASSIGNMENT_MEMBER, group, member));
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 8, new ConsumerGroupCurrentMemberAssignmentKey().setGroupId(group).setMemberId(member)),
        ConsumerGroupRecords.key(ConsumerGroupRecords.CURRENT_MEMBER_ASSIGNMENT, group, member));
    assertEquals(new ConsumerGroupRecords.Key((short) 8, group, member), GroupRecords.key(ConsumerGroupRecords.key(ConsumerGroupRecords.CURRENT_MEMBER_ASSIGNMENT, group, member)));

    // The group epoch and the target assignment epoch.
    int epoch = r.nextInt(1000);
    byte[] ours = ConsumerGroupRecords.groupEpoch(epoch);
    assertEquals(epoch, new ConsumerGroupMetadataValue(new ByteBufferAccessor(skipVersion(ours, (short) 0)), (short) 0).epoch());
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 0, new ConsumerGroupMetadataValue().setEpoch(epoch)), ours);
    ours = ConsumerGroupRecords.targetAssignmentEpoch(epoch);
    assertArrayEquals(MessageUtil.toVersionPrefixedBytes((short) 0, new ConsumerGroupTargetAssignmentMetadataValue().setAssignmentEpoch(epoch)), ours);
    assertEquals(epoch, ConsumerGroupRecords.epochValue(ours));

    // A member's metadata.
    var m = new ConsumerGroupRecords.MemberMetadata(r.nextBoolean() ? null : "instance-" + r.nextInt(9), "c" + r.nextInt(9), "/c1",
        List.of(topics.get(0), topics.get(1)), r.nextInt(300_000), r.nextBoolean() ? null : "range");
    ours = ConsumerGroupRecords.memberMetadata(m);
    ConsumerGroupMemberMetadataValue theirs = new ConsumerGroupMemberMetadataValue(new ByteBufferAccessor(skipVersion(ours, (short) 0)), (short) 0);
    assertEquals(m.instanceId(), theirs.instanceId());
    assertEquals(m.clientId(), theirs.clientId());
    assertEquals(m.subscribedTopicNames(), theirs.subscribedTopicNames());
    assertEquals(m.rebalanceTimeoutMs(), theirs.rebalanceTimeoutMs());
    assertEquals(m.serverAssignor(), theirs.serverAssignor());
    byte[] kafkas = MessageUtil.toVersionPrefixedBytes((short) 0, new ConsumerGroupMemberMetadataValue().setInstanceId(m.instanceId()).setRackId(null)
        .setClientId(m.clientId()).setClientHost(m.clientHost()).setSubscribedTopicNames(m.subscribedTopicNames()).setSubscribedTopicRegex(null)
        .setRebalanceTimeoutMs(m.rebalanceTimeoutMs()).setServerAssignor(m.serverAssignor()));
    assertArrayEquals(kafkas, ours);
    assertEquals(m, ConsumerGroupRecords.memberMetadata(kafkas));

    // A member's target assignment.
    SortedSet<TopicPartition> target = partitions(r, topics);
    List<ConsumerGroupTargetAssignmentMemberValue.TopicPartition> tp = new ArrayList<>();
    for (var c : current(target)) tp.add(new ConsumerGroupTargetAssignmentMemberValue.TopicPartition().setTopicId(c.topicId()).setPartitions(c.partitions()));
    kafkas = MessageUtil.toVersionPrefixedBytes((short) 0, new ConsumerGroupTargetAssignmentMemberValue().setTopicPartitions(tp));
    assertArrayEquals(kafkas, ConsumerGroupRecords.targetAssignmentMember(target));
    assertEquals(target, ConsumerGroupRecords.targetAssignmentMember(kafkas, names));

    // A member's current assignment: epochs, state, assigned and pending revocation.
    var a = new ConsumerGroupRecords.CurrentAssignment(r.nextInt(100), r.nextInt(100), (byte) r.nextInt(3), partitions(r, topics), partitions(r, topics));
    ours = ConsumerGroupRecords.currentAssignment(a);
    ConsumerGroupCurrentMemberAssignmentValue read = new ConsumerGroupCurrentMemberAssignmentValue(new ByteBufferAccessor(skipVersion(ours, (short) 0)), (short) 0);
    assertEquals(a.memberEpoch(), read.memberEpoch());
    assertEquals(a.previousMemberEpoch(), read.previousMemberEpoch());
    assertEquals(a.state(), read.state());
    assertEquals(current(a.assigned()), read.assignedPartitions());
    assertEquals(current(a.pendingRevocation()), read.partitionsPendingRevocation());
    kafkas = MessageUtil.toVersionPrefixedBytes((short) 0, new ConsumerGroupCurrentMemberAssignmentValue().setMemberEpoch(a.memberEpoch())
        .setPreviousMemberEpoch(a.previousMemberEpoch()).setState(a.state()).setAssignedPartitions(current(a.assigned()))
        .setPartitionsPendingRevocation(current(a.pendingRevocation())));
    assertArrayEquals(kafkas, ours);
    assertEquals(a, ConsumerGroupRecords.currentAssignment(kafkas, names));
  }
}
