package sim.kafka.broker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import sim.core.Check;
import sim.core.NodeId;

/**
 * The single controller's state file {@code __cluster_metadata/state}: the {@link MetadataImage} as text, one line per
 * broker and per partition. The KRaft quorum writes the same state as metadata records instead.
 */
final class ControllerStateFile {
  static final String PATH = "__cluster_metadata/state";

  private ControllerStateFile() {}

  static byte[] encode(MetadataImage image) {
    StringBuilder b = new StringBuilder();
    b.append("version ").append(image.version()).append('\n');
    b.append("nextProducerId ").append(image.nextProducerId()).append('\n');
    b.append("uncleanElections ").append(image.uncleanElections()).append('\n');
    image.brokers().forEach((id, e) -> b.append("broker ").append(id).append(' ').append(e.incarnationId()).append(' ').append(e.fenced()).append('\n'));
    for (PartitionState s : image.partitions().values()) {
      b.append("partition ").append(s.tp().topic()).append(' ').append(s.tp().partition()).append(' ').append(join(s.replicas()))
          .append(' ').append(s.leader() == null ? "-" : s.leader().name()).append(' ').append(s.leaderEpoch())
          .append(' ').append(join(s.isr())).append(' ').append(s.partitionEpoch()).append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  static MetadataImage decode(byte[] bytes) {
    long version = 0;
    long nextProducerId = MetadataImage.empty().nextProducerId();
    int uncleanElections = 0;
    TreeMap<NodeId, MetadataImage.BrokerEntry> brokers = new TreeMap<>();
    TreeMap<TopicPartition, PartitionState> partitions = new TreeMap<>();
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "version" -> version = Long.parseLong(f[1]);
        case "nextProducerId" -> nextProducerId = Long.parseLong(f[1]);
        case "uncleanElections" -> uncleanElections = Integer.parseInt(f[1]);
        case "broker" -> brokers.put(NodeId.of(f[1]), new MetadataImage.BrokerEntry(Long.parseLong(f[2]), Boolean.parseBoolean(f[3])));
        case "partition" -> {
          TopicPartition tp = new TopicPartition(f[1], Integer.parseInt(f[2]));
          partitions.put(tp, new PartitionState(tp, split(f[3]), f[4].equals("-") ? null : NodeId.of(f[4]),
              Integer.parseInt(f[5]), split(f[6]), Integer.parseInt(f[7])));
        }
        default -> Check.state(line.isBlank(), "bad line in %s: '%s'", PATH, line);
      }
    }
    return new MetadataImage(version, nextProducerId, uncleanElections, brokers, partitions);
  }

  private static String join(List<NodeId> ids) {
    return String.join(",", ids.stream().map(NodeId::name).toList());
  }

  private static List<NodeId> split(String s) {
    return Arrays.stream(s.split(",")).filter(x -> !x.isEmpty()).map(NodeId::of).toList();
  }
}
