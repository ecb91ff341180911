package org.apache.kafka.clients.consumer.internals;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.PartitionInfo;

/** Test access to kafka-clients' protected helper, so the oracle gets its input exactly as its own assign(Map, Map) builds it. */
public final class AbstractPartitionAssignorAccess {
  private AbstractPartitionAssignorAccess() {}

  public static Map<String, List<PartitionInfo>> withoutRacks(Map<String, Integer> partitionsPerTopic) {
    return AbstractPartitionAssignor.partitionInfosWithoutRacks(partitionsPerTopic);
  }
}
