package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.gossip.EndpointStatus;
import sim.cassandra.gossip.HeartbeatState;
import sim.cassandra.gossip.PhiAccrualFailureDetector;
import sim.core.NodeId;

/**
 * Gossip as one node sees it: every second it bumps its own heartbeat version and exchanges heartbeat
 * maps with a random live peer (and now and then an unreachable one, so a recovered node is found). A
 * newer heartbeat for an endpoint is a sign of life for the failure detector; UP/DOWN is this node's own
 * opinion, and its transitions are what trigger hint delivery.
 */
final class Gossiper {
  private final NodeId self;
  private final TreeMap<NodeId, HeartbeatState> states = new TreeMap<>();
  private final PhiAccrualFailureDetector detector;
  private final TreeSet<NodeId> up = new TreeSet<>();
  private final TreeMap<NodeId, Long> downSinceNanos = new TreeMap<>();
  /** The STATUS application state of every endpoint that has one (a founding member gossips none until it moves). */
  private final TreeMap<NodeId, EndpointStatus> statuses = new TreeMap<>();

  Gossiper(NodeId self, List<NodeId> peers, long generation, double phiConvictThreshold, long nowNanos) {
    this.self = self;
    this.detector = new PhiAccrualFailureDetector(phiConvictThreshold);
    states.put(self, new HeartbeatState(generation, 0));
    // Peers start as UP when first heard of; until then they are assumed alive (seeds known at start).
    for (NodeId p : peers) {
      if (p.equals(self)) continue;
      detector.report(p, nowNanos);
      up.add(p);
    }
  }

  void beat() {
    HeartbeatState s = states.get(self);
    states.put(self, new HeartbeatState(s.generation(), s.version() + 1));
  }

  Map<NodeId, HeartbeatState> snapshot() {
    return new TreeMap<>(states);
  }

  Map<NodeId, EndpointStatus> statuses() {
    return new TreeMap<>(statuses);
  }

  /** Sets this node's STATUS, stamped with a fresh heartbeat version so it is newer than any it set before. */
  EndpointStatus setLocalStatus(String value, List<Long> tokens) {
    beat();
    EndpointStatus s = new EndpointStatus(states.get(self), value, tokens);
    statuses.put(self, s);
    return s;
  }

  /** Merges a peer's STATUS states; returns those that are newer than what this node knew. */
  List<Map.Entry<NodeId, EndpointStatus>> mergeStatuses(Map<NodeId, EndpointStatus> remote) {
    List<Map.Entry<NodeId, EndpointStatus>> changed = new ArrayList<>();
    for (Map.Entry<NodeId, EndpointStatus> e : remote.entrySet()) {
      if (e.getKey().equals(self) || !e.getValue().newerThan(statuses.get(e.getKey()))) continue;
      statuses.put(e.getKey(), e.getValue());
      changed.add(Map.entry(e.getKey(), e.getValue()));
    }
    return changed;
  }

  /** Merges a peer's map; returns endpoints that newly came UP. */
  List<NodeId> merge(Map<NodeId, HeartbeatState> remote, long nowNanos) {
    List<NodeId> cameUp = new ArrayList<>();
    for (Map.Entry<NodeId, HeartbeatState> e : remote.entrySet()) {
      if (e.getKey().equals(self)) continue;
      HeartbeatState mine = states.get(e.getKey());
      if (!e.getValue().newerThan(mine)) continue;
      if (mine != null && e.getValue().generation() > mine.generation()) detector.forget(e.getKey());
      states.put(e.getKey(), e.getValue());
      detector.report(e.getKey(), nowNanos);
      if (up.add(e.getKey())) {
        downSinceNanos.remove(e.getKey());
        cameUp.add(e.getKey());
      }
    }
    return cameUp;
  }

  /** Convicts endpoints whose phi passed the threshold; returns those that newly went DOWN. */
  List<NodeId> interpret(long nowNanos) {
    List<NodeId> wentDown = new ArrayList<>();
    for (NodeId n : new ArrayList<>(up)) {
      if (!detector.isAlive(n, nowNanos)) {
        up.remove(n);
        downSinceNanos.put(n, nowNanos);
        wentDown.add(n);
      }
    }
    return wentDown;
  }

  boolean isUp(NodeId n) {
    return n.equals(self) || up.contains(n);
  }

  /** How long this node has believed {@code n} down (0 if up). */
  long downForNanos(NodeId n, long nowNanos) {
    Long since = downSinceNanos.get(n);
    return since == null ? 0 : nowNanos - since;
  }

  List<NodeId> live() {
    return new ArrayList<>(up);
  }

  List<NodeId> unreachable() {
    List<NodeId> out = new ArrayList<>();
    for (NodeId n : states.keySet()) if (!n.equals(self) && !up.contains(n)) out.add(n);
    return out;
  }

  double phi(NodeId n, long nowNanos) {
    return detector.phi(n, nowNanos);
  }

  String describe(long nowNanos) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<NodeId, HeartbeatState> e : states.entrySet()) {
      NodeId n = e.getKey();
      EndpointStatus st = statuses.get(n);
      b.append(String.format("    %-6s %-4s hb=%s phi=%.2f%s%n", n, isUp(n) ? "UP" : "DOWN", e.getValue(), n.equals(self) ? 0.0 : phi(n, nowNanos),
          st == null ? "" : " STATUS=" + st));
    }
    return b.toString();
  }
}
