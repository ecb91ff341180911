package sim.es.cluster.allocation;

import java.util.List;

/**
 * {@code cluster.routing.allocation.*} with Elasticsearch's defaults: disk watermarks low 85%, high 90%,
 * flood stage 95% ({@code disk.watermark.*}), awareness attributes ({@code awareness.attributes}, none by
 * default), {@code node_concurrent_recoveries} 2, {@code node_initial_primaries_recoveries} 4 and the
 * balancer's {@code balance.threshold} 1.0.
 */
public record AllocationSettings(double lowWatermark, double highWatermark, double floodStageWatermark, List<String> awarenessAttributes,
    int nodeConcurrentRecoveries, int nodeInitialPrimariesRecoveries, double balanceThreshold, List<String> includeNodes) {
  public AllocationSettings {
    awarenessAttributes = List.copyOf(awarenessAttributes);
    includeNodes = List.copyOf(includeNodes);
  }

  public static AllocationSettings defaults() {
    return new AllocationSettings(0.85, 0.90, 0.95, List.of(), 2, 4, 1.0, List.of());
  }

  public AllocationSettings withAwareness(String attribute) {
    return new AllocationSettings(lowWatermark, highWatermark, floodStageWatermark, List.of(attribute), nodeConcurrentRecoveries,
        nodeInitialPrimariesRecoveries, balanceThreshold, includeNodes);
  }

  /** {@code index.routing.allocation.include._name}: the index's copies only go to these nodes (empty: any). */
  public AllocationSettings withIncludeNodes(List<String> nodes) {
    return new AllocationSettings(lowWatermark, highWatermark, floodStageWatermark, awarenessAttributes, nodeConcurrentRecoveries,
        nodeInitialPrimariesRecoveries, balanceThreshold, nodes);
  }
}
