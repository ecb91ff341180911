package sim.kafka.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.kafka.broker.MetadataImage;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.LogRecord;

/**
 * The controller's decisions as KRaft metadata records, by their real names: {@code RegisterBrokerRecord} (a broker's
 * new incarnation, its broker epoch), {@code BrokerRegistrationChangeRecord} (fenced / unfenced),
 * {@code PartitionRecord} (a new partition), {@code PartitionChangeRecord} (leader, ISR, epochs) and
 * {@code ProducerIdsRecord} (the next producer id block). {@link #delta} turns the change between two images into
 * records (decide, then write); {@link #replay} rebuilds the image from committed records, as a new active controller does.
 *
 * <p>Simplified: a record is a line of text, {@code Name key=value ...}, not Kafka's binary MetadataRecordSerde frame;
 * a PartitionChangeRecord carries every field, not only those that changed.
 */
public final class MetadataRecords {
  private MetadataRecords() {}

  public static List<byte[]> delta(MetadataImage before, MetadataImage after) {
    List<byte[]> out = new ArrayList<>();
    for (Map.Entry<NodeId, MetadataImage.BrokerEntry> e : after.brokers().entrySet()) {
      MetadataImage.BrokerEntry old = before.brokers().get(e.getKey());
      MetadataImage.BrokerEntry now = e.getValue();
      if (old == null || old.incarnationId() != now.incarnationId()) {
        out.add(line("RegisterBrokerRecord brokerId=" + e.getKey().name() + " brokerEpoch=" + now.incarnationId() + " fenced=" + now.fenced()));
      } else if (old.fenced() != now.fenced()) {
        out.add(line("BrokerRegistrationChangeRecord brokerId=" + e.getKey().name() + " brokerEpoch=" + now.incarnationId() + " fenced=" + (now.fenced() ? 1 : -1)));
      }
    }
    for (PartitionState s : after.partitions().values()) {
      PartitionState old = before.partitions().get(s.tp());
      if (s.equals(old)) continue;
      out.add(line((old == null ? "PartitionRecord" : "PartitionChangeRecord") + " topic=" + s.tp().topic() + " partitionId=" + s.tp().partition()
          + " replicas=" + join(s.replicas()) + " isr=" + join(s.isr()) + " leader=" + (s.leader() == null ? "-1" : s.leader().name())
          + " leaderEpoch=" + s.leaderEpoch() + " partitionEpoch=" + s.partitionEpoch()));
    }
    if (after.nextProducerId() != before.nextProducerId()) out.add(line("ProducerIdsRecord brokerId=-1 brokerEpoch=0 nextProducerId=" + after.nextProducerId()));
    return out;
  }

  /** The image the committed records describe (the metadata version restarts at 0; brokers compare epoch and version). */
  public static MetadataImage replay(List<LogRecord> records) {
    MetadataImage image = MetadataImage.empty();
    TreeMap<NodeId, MetadataImage.BrokerEntry> brokers = new TreeMap<>();
    TreeMap<TopicPartition, PartitionState> partitions = new TreeMap<>();
    long nextProducerId = image.nextProducerId();
    for (LogRecord r : records) {
      String[] f = r.valueText().split(" ");
      Map<String, String> kv = new TreeMap<>();
      for (int i = 1; i < f.length; i++) kv.put(f[i].substring(0, f[i].indexOf('=')), f[i].substring(f[i].indexOf('=') + 1));
      switch (f[0]) {
        case "RegisterBrokerRecord" -> brokers.put(NodeId.of(kv.get("brokerId")),
            new MetadataImage.BrokerEntry(Long.parseLong(kv.get("brokerEpoch")), Boolean.parseBoolean(kv.get("fenced"))));
        case "BrokerRegistrationChangeRecord" -> brokers.put(NodeId.of(kv.get("brokerId")),
            new MetadataImage.BrokerEntry(Long.parseLong(kv.get("brokerEpoch")), kv.get("fenced").equals("1")));
        case "PartitionRecord", "PartitionChangeRecord" -> {
          TopicPartition tp = new TopicPartition(kv.get("topic"), Integer.parseInt(kv.get("partitionId")));
          String leader = kv.get("leader");
          partitions.put(tp, new PartitionState(tp, split(kv.get("replicas")), leader.equals("-1") ? null : NodeId.of(leader),
              Integer.parseInt(kv.get("leaderEpoch")), split(kv.get("isr")), Integer.parseInt(kv.get("partitionEpoch"))));
        }
        case "ProducerIdsRecord" -> nextProducerId = Long.parseLong(kv.get("nextProducerId"));
        default -> throw new IllegalStateException("unknown metadata record at offset " + r.offset() + ": " + r.valueText());
      }
    }
    return new MetadataImage(0, nextProducerId, 0, brokers, partitions);
  }

  private static byte[] line(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String join(List<NodeId> ids) {
    return String.join(",", ids.stream().map(NodeId::name).toList());
  }

  private static List<NodeId> split(String s) {
    return Arrays.stream(s.split(",")).filter(x -> !x.isEmpty()).map(NodeId::of).toList();
  }
}
