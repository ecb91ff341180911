package sim.kafka.txn;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.kafka.broker.TopicPartition;

/**
 * The records of {@code __transaction_state} (Kafka's {@code TransactionLog}), version-prefixed like every
 * coordinator record: key = version int16 (0) | {@code TransactionLogKey} (TransactionalId string); value = version
 * int16 (0, the non-flexible version Kafka writes below transaction.version 1) | {@code TransactionLogValue}:
 * ProducerId int64 | ProducerEpoch int16 | TransactionTimeoutMs int32 | TransactionStatus int8 |
 * TransactionPartitions (nullable array of Topic string | PartitionIds int32 array; null when Empty) |
 * TransactionLastUpdateTimestampMs int64 | TransactionStartTimestampMs int64. Strings are int16 length + UTF-8,
 * arrays int32 count (-1 for null). The last value per transactional id is its state; a new coordinator replays them.
 */
public final class TransactionLog {
  public static final short KEY_VERSION = 0;
  public static final short VALUE_VERSION = 0;

  private TransactionLog() {}

  public static byte[] keyToBytes(String transactionalId) {
    byte[] id = transactionalId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putShort(KEY_VERSION).putShort((short) id.length).put(id).array();
  }

  public static String readKey(byte[] key) {
    ByteBuffer b = ByteBuffer.wrap(key);
    short version = b.getShort();
    if (version != KEY_VERSION) throw new IllegalArgumentException("unknown transaction log key version " + version);
    return readString(b);
  }

  /** The value for {@code m} as it is now ({@code valueToBytes}); partitions grouped by topic, in order. */
  public static byte[] valueToBytes(TransactionMetadata m, long lastUpdateTimestampMs) {
    Map<String, List<Integer>> byTopic = new TreeMap<>();
    for (TopicPartition tp : m.topicPartitions) byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
    boolean none = m.state == TransactionState.EMPTY;
    int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
    if (!none) for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) size += 2 + utf8(e.getKey()).length + 4 + 4 * e.getValue().size();
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putShort(VALUE_VERSION).putLong(m.producerId).putShort(m.producerEpoch).putInt(m.txnTimeoutMs).put(m.state.id);
    if (none) {
      b.putInt(-1);
    } else {
      b.putInt(byTopic.size());
      for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
        byte[] topic = utf8(e.getKey());
        b.putShort((short) topic.length).put(topic).putInt(e.getValue().size());
        for (int p : e.getValue()) b.putInt(p);
      }
    }
    b.putLong(lastUpdateTimestampMs).putLong(m.txnStartTimestamp);
    return b.array();
  }

  /** {@code readTxnRecordValue}: the metadata a value describes, or null for a tombstone. */
  public static TransactionMetadata readValue(String transactionalId, byte[] value) {
    if (value == null) return null;
    ByteBuffer b = ByteBuffer.wrap(value);
    short version = b.getShort();
    if (version != VALUE_VERSION) throw new IllegalArgumentException("transaction log value version " + version + " is not modeled");
    TransactionMetadata m = new TransactionMetadata(transactionalId, b.getLong(), b.getShort(), b.getInt());
    m.state = TransactionState.fromId(b.get());
    int topics = b.getInt();
    for (int t = 0; t < topics; t++) {
      String topic = readString(b);
      int n = b.getInt();
      for (int i = 0; i < n; i++) m.topicPartitions.add(new TopicPartition(topic, b.getInt()));
    }
    b.getLong(); // TransactionLastUpdateTimestampMs: not needed to resume
    m.txnStartTimestamp = b.getLong();
    return m;
  }

  private static String readString(ByteBuffer b) {
    byte[] s = new byte[b.getShort()];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
