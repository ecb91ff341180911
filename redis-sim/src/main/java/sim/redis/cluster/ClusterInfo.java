package sim.redis.cluster;

import java.util.Map;
import java.util.TreeMap;

/** CLUSTER INFO, line by line as clusterCommand prints it, and the bus statistics it reports. */
final class ClusterInfo {
  /** clusterGetMessageTypeString, in CLUSTERMSG_TYPE_* order. */
  private static final String[] TYPES = {"ping", "pong", "meet", "fail", "publish", "auth-req", "auth-ack", "update", "mfstart",
      "module", "publishshard"};
  private final long[] sent = new long[TYPES.length];
  private final long[] received = new long[TYPES.length];

  static int type(ClusterMessage m) {
    if (m instanceof ClusterMessage.Ping) return 0;
    if (m instanceof ClusterMessage.Pong) return 1;
    if (m instanceof ClusterMessage.Meet) return 2;
    if (m instanceof ClusterMessage.Fail) return 3;
    if (m instanceof ClusterMessage.AuthRequest) return 5;
    if (m instanceof ClusterMessage.AuthAck) return 6;
    if (m instanceof ClusterMessage.MfStart) return 8;
    return 7;
  }

  void sent(ClusterMessage m) {
    sent[type(m)]++;
  }

  void received(ClusterMessage m) {
    received[type(m)]++;
  }

  String render(ClusterState s) {
    int assigned = 0;
    int ok = 0;
    int pfail = 0;
    int fail = 0;
    for (String owner : s.slots) {
      if (owner == null) continue;
      assigned++;
      NodeView n = s.nodes.get(owner);
      if (n.fail) fail++;
      else if (n.pfail) pfail++;
      else ok++;
    }
    NodeView me = s.me();
    NodeView master = s.node(me.slaveof);
    long myEpoch = !me.master && master != null ? master.configEpoch : me.configEpoch;
    StringBuilder sb = new StringBuilder();
    Map<String, Object> lines = new java.util.LinkedHashMap<>();
    lines.put("cluster_state", s.ok ? "ok" : "fail");
    lines.put("cluster_slots_assigned", assigned);
    lines.put("cluster_slots_ok", ok);
    lines.put("cluster_slots_pfail", pfail);
    lines.put("cluster_slots_fail", fail);
    lines.put("cluster_known_nodes", s.nodes.size());
    lines.put("cluster_size", s.size);
    lines.put("cluster_current_epoch", s.currentEpoch);
    lines.put("cluster_my_epoch", myEpoch);
    lines.putAll(stats(sent, "sent"));
    lines.putAll(stats(received, "received"));
    lines.put("total_cluster_links_buffer_limit_exceeded", 0);
    for (var e : lines.entrySet()) sb.append(e.getKey()).append(':').append(e.getValue()).append("\r\n");
    return sb.toString();
  }

  private static Map<String, Object> stats(long[] counts, String dir) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    long total = 0;
    for (int i = 0; i < TYPES.length; i++) {
      if (counts[i] == 0) continue;
      total += counts[i];
      out.put("cluster_stats_messages_" + TYPES[i] + "_" + dir, counts[i]);
    }
    out.put("cluster_stats_messages_" + dir, total);
    return out;
  }

  /** The message counts by type name, for the inspector. */
  Map<String, Long> sentByType() {
    Map<String, Long> out = new TreeMap<>();
    for (int i = 0; i < TYPES.length; i++) if (sent[i] > 0) out.put(TYPES[i], sent[i]);
    return out;
  }
}
