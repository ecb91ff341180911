package sim.redis.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Cluster nodes outside the simulation, wired to each other: each has a {@link ClusterState} and a {@link ClusterBus}
 * on a host whose clock the test moves; sent messages are delivered in order by {@link #deliver}, and {@link #run}
 * moves the clocks in clusterCron steps. Replication offsets are the test's to set; nobody replicates bytes.
 */
final class BusHarness {
  /** One node's host: records points, queues what it sends. */
  final class Host extends ClusterAgreementTest.StubHost {
    final String name;
    final List<String> points = new ArrayList<>();
    final ClusterInfo info = new ClusterInfo();
    long offset;
    boolean writesPaused;
    String replicatingFrom;
    /** Random draws for new node names (handshakes); the other draws stay 0, as the stub's, so old tests keep their story. */
    java.util.Random names;

    Host(String name) {
      this.name = name;
    }

    @Override public int random(int bound) { return names != null && bound == 16 ? names.nextInt(16) : 0; }
    @Override public boolean listening(String host, int port) { return port == 6379 && hosts.containsKey(host); }

    @Override public void send(String node, ClusterMessage m) {
      info.sent(m);
      if (!down.contains(node) && !down.contains(name) && !lost(name, node, m)) queue.add(new Object[] {node, m, name});
    }
    @Override public void point(String kind, String detail, Object... attributes) { points.add(kind + " " + detail); }
    @Override public long replOffset() { return offset; }
    @Override public void pauseWrites(long untilMs) { writesPaused = true; }
    @Override public void unpauseWrites() { writesPaused = false; }
    @Override public void replicateFrom(String master) { replicatingFrom = master; }
    @Override public void stopReplicating() { replicatingFrom = null; }
    @Override public boolean replicating() { return replicatingFrom != null; }
  }

  final TreeMap<String, Host> hosts = new TreeMap<>();
  final TreeMap<String, ClusterState> states = new TreeMap<>();
  final TreeMap<String, ClusterBus> buses = new TreeMap<>();
  final java.util.TreeSet<String> down = new java.util.TreeSet<>();
  private final ArrayDeque<Object[]> queue = new ArrayDeque<>();

  /** A filter the test sets: which sent messages are lost (from, to, message). */
  java.util.function.Predicate<Object[]> loses = e -> false;

  private boolean lost(String from, String to, ClusterMessage m) {
    return loses.test(new Object[] {from, to, m});
  }

  /** Adds a node started with nothing but cluster-enabled yes ({@link ClusterConfig#alone}), its clock in step with the rest. */
  void addFresh(String name, ClusterSettings settings) {
    for (Host other : hosts.values()) if (other.names == null) other.names = new java.util.Random(other.name.hashCode());
    Host h = new Host(name);
    h.names = new java.util.Random(name.hashCode());
    h.nowMs = hosts.firstEntry().getValue().nowMs;
    ClusterConfig c = ClusterConfig.alone(name, hosts.keySet());
    ClusterState s = new ClusterState(h, settings, name);
    NodesConf.init(s, c);
    hosts.put(name, h);
    states.put(name, s);
    buses.put(name, new ClusterBus(s));
  }

  BusHarness(ClusterConfig config) {
    for (String name : config.allNodes()) {
      Host h = new Host(name);
      ClusterState s = new ClusterState(h, config.settings, name);
      NodesConf.init(s, config);
      hosts.put(name, h);
      states.put(name, s);
      buses.put(name, new ClusterBus(s));
      if (!s.me().master) h.replicatingFrom = s.me().slaveof;
    }
    run(3000); // past the writable delay, everyone has pinged everyone
  }

  /** Delivers every queued message (and what the deliveries send), in order. */
  void deliver() {
    for (int i = 0; i < 100_000 && !queue.isEmpty(); i++) {
      Object[] e = queue.poll();
      String to = (String) e[0];
      if (down.contains(to)) continue;
      ClusterMessage m = (ClusterMessage) e[1];
      hosts.get(to).info.received(m);
      buses.get(to).process((String) e[2], m);
    }
  }

  /** {@code ms} of clusterCron on every up node, 100 ms at a time, delivering in between. */
  void run(long ms) {
    for (long t = 0; t < ms; t += ClusterNode.CRON_PERIOD_NANOS / 1_000_000) {
      for (var e : buses.entrySet()) {
        hosts.get(e.getKey()).nowMs += 100;
        if (!down.contains(e.getKey())) e.getValue().cron();
        deliver();
      }
    }
  }

  /** The process died: its peers see their bus link close (link == NULL), nothing reaches it. */
  void kill(String name) {
    down.add(name);
    for (var e : buses.entrySet()) if (!e.getKey().equals(name)) e.getValue().linkLost(name);
  }

  ClusterState state(String name) {
    return states.get(name);
  }

  String command(String node, String... argv) {
    String reply = buses.get(node).manual.command(List.of(argv));
    deliver();
    return reply;
  }

  String info(String node) {
    return hosts.get(node).info.render(states.get(node));
  }

  /** CLUSTER NODES as the node prints it. */
  String nodes(String node) {
    ClusterState s = states.get(node);
    StringBuilder sb = new StringBuilder();
    for (NodeView n : s.nodes.values()) sb.append(NodesConf.line(s, n, false)).append('\n');
    return sb.toString();
  }
}
