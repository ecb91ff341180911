package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * nodes.conf as clusterGenNodesDescription writes it, one line per node
 * ({@code <id> <ip:port@cport> <flags> <master> <ping-sent> <pong-recv> <config-epoch> <link-state> <slot>…}) and
 * a last {@code vars currentEpoch N lastVoteEpoch M} line; clusterLoadConfig reads it back.
 */
final class NodesConf {
  static final String FILE = "nodes.conf";

  private NodesConf() {}

  static String render(ClusterState s) {
    StringBuilder sb = new StringBuilder();
    for (NodeView n : s.nodes.values()) if (!n.handshake) sb.append(line(s, n, true)).append('\n'); // not saved, as Redis
    sb.append("vars currentEpoch ").append(s.currentEpoch).append(" lastVoteEpoch ").append(s.lastVoteEpoch).append('\n');
    return sb.toString();
  }

  /** One CLUSTER NODES line (ping/pong times as 0 in nodes.conf, as Redis writes them when saving). */
  static String line(ClusterState s, NodeView n, boolean forFile) {
    boolean myself = n.name.equals(s.myself);
    String slots = n.master && !n.slots.isEmpty() ? " " + Slots.ranges(n.slots) : "";
    long ping = forFile ? 0 : n.pingSentMs;
    long pong = forFile ? 0 : n.pongReceivedMs;
    NodeView master = n.master ? null : s.node(n.slaveof);
    long epoch = master != null ? master.configEpoch : n.configEpoch; // clusterGenNodeDescription: a replica shows its master's
    String link = n.handshake && n.linkCreatedMs == 0 ? " disconnected" : " connected";
    return n.name + " " + n.address + ":" + n.port + "@" + n.cport + " " + n.flags(myself) + " "
        + (n.master || n.slaveof == null ? "-" : n.slaveof) + " " + ping + " " + pong + " " + epoch + link + slots + (myself ? openSlots(s) : "");
  }

  /** clusterGenNodeDescription: myself's open slots, "[slot->-target]" (migrating) and "[slot-<-source]" (importing). */
  private static String openSlots(ClusterState s) {
    StringBuilder sb = new StringBuilder();
    for (int j = 0; j < Slots.COUNT; j++) {
      if (s.migratingTo[j] != null) sb.append(" [").append(j).append("->-").append(s.migratingTo[j]).append(']');
      else if (s.importingFrom[j] != null) sb.append(" [").append(j).append("-<-").append(s.importingFrom[j]).append(']');
    }
    return sb.toString();
  }

  /** clusterLoadConfig's "[slot->-node]" / "[slot-<-node]" tokens (kept only on our own line). */
  private static void openSlot(ClusterState s, String token) {
    String body = token.substring(1, token.length() - 1);
    int mig = body.indexOf("->-");
    int imp = body.indexOf("-<-");
    if (mig > 0) s.migratingTo[Integer.parseInt(body.substring(0, mig))] = body.substring(mig + 3);
    else if (imp > 0) s.importingFrom[Integer.parseInt(body.substring(0, imp))] = body.substring(imp + 3);
  }

  /** Fills {@code s} from the file's text; false when it is not a nodes.conf. */
  static boolean load(ClusterState s, String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\n")));
    if (lines.isEmpty() || !lines.get(lines.size() - 1).startsWith("vars ")) return false;
    String[] vars = lines.remove(lines.size() - 1).split(" ");
    s.currentEpoch = Long.parseLong(vars[2]);
    s.lastVoteEpoch = Long.parseLong(vars[4]);
    for (String line : lines) {
      String[] w = line.split(" ", 9);
      NodeView n = new NodeView(w[0]);
      n.master = w[2].contains("master");
      n.fail = w[2].contains(",fail") && !w[2].contains(",fail?");
      n.slaveof = w[3].equals("-") ? null : w[3];
      n.configEpoch = Long.parseLong(w[6]);
      s.nodes.put(n.name, n);
      if (w.length < 9) continue;
      for (String token : w[8].trim().split(" ")) {
        if (token.startsWith("[")) {
          if (n.name.equals(s.myself)) openSlot(s, token);
          continue;
        }
        java.util.BitSet b = Slots.parse(token);
        for (int j = b.nextSetBit(0); j >= 0; j = b.nextSetBit(j + 1)) s.addSlot(n.name, j);
      }
    }
    markMigrationTargets(s);
    return s.nodes.containsKey(s.myself);
  }

  /** clusterNodeAddSlave at load: a master with a replica is a migration target (CLUSTER_NODE_MIGRATE_TO). */
  private static void markMigrationTargets(ClusterState s) {
    for (NodeView n : s.nodes.values()) {
      NodeView m = s.node(n.slaveof);
      if (!n.master && m != null) m.migrateTo = true;
    }
  }

  /** The configuration before the first start. */
  static void init(ClusterState s, ClusterConfig c) {
    long epoch = 0;
    for (var m : c.masters.entrySet()) {
      NodeView n = new NodeView(m.getKey());
      n.master = true;
      n.configEpoch = c.fresh ? 0 : ++epoch;
      s.nodes.put(n.name, n);
      for (int j = m.getValue().nextSetBit(0); j >= 0; j = m.getValue().nextSetBit(j + 1)) s.addSlot(n.name, j);
    }
    for (var r : c.replicas.entrySet()) {
      NodeView n = new NodeView(r.getKey());
      n.slaveof = r.getValue();
      s.nodes.put(n.name, n);
    }
    markMigrationTargets(s);
    s.currentEpoch = epoch;
  }
}
