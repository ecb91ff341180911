package sim.es.cluster.allocation;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import sim.es.cluster.state.ShardRouting;
import sim.es.cluster.state.ShardState;

/**
 * The allocation deciders, each one rule of Elasticsearch's with its name: a copy may go to a node only if
 * every decider says YES (THROTTLE: not now), and may stay only if none says NO to {@code canRemain}.
 */
public final class AllocationDeciders {
  /** One rule. */
  public interface AllocationDecider {
    Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a);

    default Decision canRemain(ShardRouting copy, String node, RoutingAllocation a) {
      return Decision.yes(getClass().getSimpleName());
    }
  }

  static final List<AllocationDecider> ALL = List.of(new SameShard(), new Filter(), new ReplicaAfterPrimaryActive(), new DiskThreshold(), new Awareness(),
      new Throttling());

  private AllocationDeciders() {}

  public static Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
    Decision throttled = null;
    for (AllocationDecider d : ALL) {
      Decision x = d.canAllocate(copy, node, a);
      if (x.type() == Decision.Type.NO) return x;
      if (x.type() == Decision.Type.THROTTLE && throttled == null) throttled = x;
    }
    return throttled != null ? throttled : Decision.yes("all");
  }

  public static Decision canRemain(ShardRouting copy, String node, RoutingAllocation a) {
    for (AllocationDecider d : ALL) {
      Decision x = d.canRemain(copy, node, a);
      if (x.type() == Decision.Type.NO) return x;
    }
    return Decision.yes("all");
  }

  /** SameShardAllocationDecider: two copies of one shard never share a node. */
  static final class SameShard implements AllocationDecider {
    @Override
    public Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
      for (ShardRouting r : a.copies(copy.shard())) {
        if (node.equals(r.nodeId()) && r != copy) {
          return Decision.no("same_shard", "a copy of this shard is already allocated to this node [" + r + "]");
        }
      }
      return Decision.yes("same_shard");
    }
  }

  /** FilterAllocationDecider: {@code index.routing.allocation.include._name} restricts the index to the listed nodes. */
  static final class Filter implements AllocationDecider {
    @Override
    public Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
      List<String> include = a.settings().includeNodes();
      if (include.isEmpty() || include.contains(node)) return Decision.yes("filter");
      return Decision.no("filter", "node does not match index setting [index.routing.allocation.include] filters [_name:\"" + String.join(",", include) + "\"]");
    }

    @Override
    public Decision canRemain(ShardRouting copy, String node, RoutingAllocation a) {
      return canAllocate(copy, node, a);
    }
  }

  /** ReplicaAfterPrimaryActiveAllocationDecider: a replica recovers from an active primary, so waits for one. */
  static final class ReplicaAfterPrimaryActive implements AllocationDecider {
    @Override
    public Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
      if (copy.primary()) return Decision.yes("replica_after_primary_active");
      ShardRouting p = a.primary(copy.shard());
      if (p == null || !p.active()) return Decision.no("replica_after_primary_active", "primary shard for this replica is not yet active");
      return Decision.yes("replica_after_primary_active");
    }
  }

  /**
   * DiskThresholdDecider: above the low watermark (85%) a node takes no replicas and no primaries that had
   * data before; above the high watermark (90%) nothing, and shards already there must move away.
   */
  static final class DiskThreshold implements AllocationDecider {
    @Override
    public Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
      DiskUsage u = a.disks.get(node);
      if (u == null) return Decision.yes("disk_threshold");
      double used = u.usedFraction();
      boolean newPrimary = copy.primary() && a.index.inSync(copy.shard()).isEmpty();
      if (used > a.settings().highWatermark()) {
        return Decision.no("disk_threshold", String.format(Locale.ROOT,
            "the node is above the high watermark cluster setting [cluster.routing.allocation.disk.watermark.high=%s], actual free: [%.1f%%]",
            pct(a.settings().highWatermark()), 100 - used * 100));
      }
      if (used > a.settings().lowWatermark() && !newPrimary) {
        return Decision.no("disk_threshold", String.format(Locale.ROOT,
            "the node is above the low watermark cluster setting [cluster.routing.allocation.disk.watermark.low=%s], actual free: [%.1f%%]",
            pct(a.settings().lowWatermark()), 100 - used * 100));
      }
      return Decision.yes("disk_threshold");
    }

    @Override
    public Decision canRemain(ShardRouting copy, String node, RoutingAllocation a) {
      DiskUsage u = a.disks.get(node);
      if (u == null || u.usedFraction() <= a.settings().highWatermark()) return Decision.yes("disk_threshold");
      return Decision.no("disk_threshold", String.format(Locale.ROOT,
          "the shard cannot remain on this node because it is above the high watermark cluster setting "
              + "[cluster.routing.allocation.disk.watermark.high=%s] and there is less than the required [%s] free disk on node, actual free: [%.1f%%]",
          pct(a.settings().highWatermark()), pct(1 - a.settings().highWatermark()), 100 - u.usedFraction() * 100));
    }
  }

  static String pct(double f) {
    return Math.round(f * 100) + "%";
  }

  /**
   * AwarenessAllocationDecider: with {@code awareness.attributes: zone}, the copies of a shard spread over the
   * zones: at most {@code ceil(copies / zones)} in any one zone.
   */
  static final class Awareness implements AllocationDecider {
    @Override
    public Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
      return check(copy, node, a, 1);
    }

    @Override
    public Decision canRemain(ShardRouting copy, String node, RoutingAllocation a) {
      return check(copy, node, a, 0);
    }

    private Decision check(ShardRouting copy, String node, RoutingAllocation a, int adding) {
      if (a.settings().awarenessAttributes().isEmpty()) return Decision.yes("awareness");
      Set<String> zones = new TreeSet<>();
      for (var n : a.nodes()) zones.add(n.zone());
      String zone = a.zoneOf(node);
      int copies = 1 + a.index.numberOfReplicas();
      int maxPerZone = (copies + zones.size() - 1) / zones.size();
      int inZone = 0;
      for (ShardRouting r : a.copies(copy.shard())) {
        if (r.assigned() && r != copy && zone.equals(a.zoneOf(r.nodeId())) && !isRelocationSourceOf(r, copy, a)) inZone++;
      }
      if (adding == 0 && copy.assigned() && zone.equals(a.zoneOf(copy.nodeId()))) inZone++;
      if (inZone + adding > maxPerZone) {
        return Decision.no("awareness", "there are [" + copies + "] copies of this shard and [" + zones.size() + "] values for attribute [zone] "
            + zones + ", which allows at most [" + maxPerZone + "] copies per zone, and [zone=" + zone + "] already has [" + inZone + "]");
      }
      return Decision.yes("awareness");
    }

    private static boolean isRelocationSourceOf(ShardRouting r, ShardRouting copy, RoutingAllocation a) {
      for (ShardRouting t : a.copies(copy.shard())) if (r.allocationId() != null && r.allocationId().equals(t.relocatingFrom())) return true;
      return false;
    }
  }

  /** ThrottlingAllocationDecider: at most {@code node_concurrent_recoveries} (2) peer recoveries into or out of a node. */
  static final class Throttling implements AllocationDecider {
    @Override
    public Decision canAllocate(ShardRouting copy, String node, RoutingAllocation a) {
      int incoming = 0;
      int initialPrimaries = 0;
      for (ShardRouting r : a.onNode(node)) {
        if (r.state() != ShardState.INITIALIZING) continue;
        if (r.primary()) initialPrimaries++;
        else incoming++;
      }
      if (copy.primary()) {
        if (initialPrimaries >= a.settings().nodeInitialPrimariesRecoveries()) {
          return Decision.throttle("throttling", "reached the limit of ongoing initial primary recoveries [" + initialPrimaries + "]");
        }
        return Decision.yes("throttling");
      }
      if (incoming >= a.settings().nodeConcurrentRecoveries()) {
        return Decision.throttle("throttling", "reached the limit of incoming shard recoveries [" + incoming
            + "], cluster setting [cluster.routing.allocation.node_concurrent_incoming_recoveries=" + a.settings().nodeConcurrentRecoveries() + "]");
      }
      ShardRouting p = a.primary(copy.shard());
      if (p != null && p.assigned()) {
        int outgoing = 0;
        for (ShardRouting r : a.routing) {
          ShardRouting rp = a.primary(r.shard());
          if (!r.primary() && r.state() == ShardState.INITIALIZING && rp != null && p.nodeId().equals(rp.nodeId())) outgoing++;
        }
        if (outgoing >= a.settings().nodeConcurrentRecoveries()) {
          return Decision.throttle("throttling", "reached the limit of outgoing shard recoveries [" + outgoing + "] on the node holding the primary");
        }
      }
      return Decision.yes("throttling");
    }
  }
}
