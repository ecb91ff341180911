package sim.redis.cluster;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster a node starts in when it has no nodes.conf yet: every node, the masters' slot ranges, which
 * master each replica follows — what {@code redis-cli --cluster create} leaves behind (its CLUSTER ADDSLOTS,
 * CLUSTER SET-CONFIG-EPOCH 1..N, CLUSTER MEET and CLUSTER REPLICATE), given here instead of run.
 */
public final class ClusterConfig {
  /** Master name → its slots, in configEpoch order (the first master gets configEpoch 1). */
  public final Map<String, BitSet> masters = new LinkedHashMap<>();
  /** Replica name → its master. */
  public final Map<String, String> replicas = new LinkedHashMap<>();
  public final ClusterSettings settings = new ClusterSettings();
  /**
   * The hosts where a cluster node listens on 6379 (CLUSTER MEET's addresses; Redis takes an IP, the model a host name).
   * Empty: every node named here.
   */
  public final java.util.Set<String> addresses = new java.util.TreeSet<>();
  /** A node that was never part of a cluster: it knows only itself, with configEpoch and currentEpoch 0. */
  boolean fresh;

  /**
   * A node started with cluster-enabled yes and nothing else: alone in its table, no slots, epochs 0, until an operator
   * runs CLUSTER MEET (redis-cli --cluster add-node). {@code addresses} are the hosts it may be told to meet.
   */
  public static ClusterConfig alone(String name, java.util.Collection<String> addresses) {
    ClusterConfig c = new ClusterConfig();
    c.masters.put(name, new BitSet());
    c.addresses.addAll(addresses);
    c.fresh = true;
    return c;
  }

  boolean listening(String host) {
    return addresses.isEmpty() ? masters.containsKey(host) || replicas.containsKey(host) : addresses.contains(host);
  }

  /** Masters splitting the 16384 slots evenly, as redis-cli --cluster create does (0-5460, 5461-10922, 10923-16383 for 3). */
  public static ClusterConfig evenly(List<String> masters, Map<String, String> replicas) {
    ClusterConfig c = new ClusterConfig();
    int n = masters.size();
    double per = (double) Slots.COUNT / n;
    long first = 0;
    double cursor = 0; // redis-cli's clusterManagerCommandCreate: lround(cursor + slotsPerNode - 1)
    for (int i = 0; i < n; i++) {
      long last = i == n - 1 ? Slots.COUNT - 1 : Math.round(cursor + per - 1);
      c.masters.put(masters.get(i), Slots.range((int) first, (int) last));
      first = last + 1;
      cursor += per;
    }
    c.replicas.putAll(replicas);
    return c;
  }

  List<String> allNodes() {
    List<String> all = new ArrayList<>(masters.keySet());
    all.addAll(replicas.keySet());
    return all;
  }
}
