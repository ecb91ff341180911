package sim.redis.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.redis.config.RedisConfig;
import sim.redis.node.RedisNode;
import sim.redis.testing.RealRedis;
import sim.redis.testing.RespClient;

/**
 * A real failover and ours, side by side: a redis-server 7.0 master and replica and three
 * {@code redis-server --sentinel} on loopback ports (down-after-milliseconds 1000), the master shut down; and
 * the same topology in the simulation with the master crashed. The leader's sequence of sentinel events (from
 * the sentinels' logs: +sdown … +switch-master) is the same, every other sentinel voted and switched, and
 * SENTINEL master mymaster has the same fields in the same order, and each of the leader's event lines has the same
 * shape (its words, with addresses, numbers and run ids abstracted).
 */
class SentinelAgreementTest {
  /** The events of a failover both sides must show, in this order, on the leader. */
  static final List<String> LEADER_EVENTS = List.of("+sdown", "+odown", "+new-epoch", "+try-failover", "+vote-for-leader",
      "+elected-leader", "+failover-state-select-slave", "+selected-slave", "+failover-state-send-slaveof-noone",
      "+failover-state-wait-promotion", "+promoted-slave", "+failover-state-reconf-slaves", "+failover-end", "+switch-master");
  private static final Pattern EVENT = Pattern.compile(" [#*] ([+-][a-z-]+) ?(.*)$");

  @TempDir Path dir;

  @Test
  void aFailoverEmitsTheSameEventsAsRealSentinels() throws Exception {
    RealRedis.require();
    Real real = realFailover();
    List<List<String>> ours = simulatedFailover();
    List<String> realLeader = leader(real.events);
    List<String> ourLeader = leader(ours);
    assertEquals(LEADER_EVENTS, keep(realLeader), "the real leader's events: " + realLeader);
    assertEquals(LEADER_EVENTS, keep(ourLeader), "our leader's events: " + ourLeader);
    for (List<List<String>> side : List.of(real.events, ours)) {
      for (List<String> s : side) {
        if (s == leader(side)) continue;
        assertTrue(s.contains("+vote-for-leader") && s.contains("+switch-master"), "a follower votes and switches: " + s);
      }
    }
    assertEquals(real.masterFields, ourMasterFields(), "SENTINEL master mymaster: the same fields in the same order");
    List<String> realShapes = leaderShapes(real.shapes, real.events);
    if (System.getenv("SENTINEL_DEBUG") != null) System.out.println("shapes: " + realShapes);
    assertEquals(LEADER_EVENTS.size(), realShapes.size(), "every failover event has a line: " + realShapes);
    assertEquals(realShapes, leaderShapes(OUR_SHAPES, ours), "the leader's event lines, shape for shape");
  }

  /**
   * What sentinelSendSlaveOf sends a server, to a real redis-server started with a redis.conf and to ours
   * with the same file: the transaction's replies are the same, and so is the {@code replicaof} line CONFIG
   * REWRITE leaves in the file — the new master's after SLAVEOF host port, none after SLAVEOF NO ONE — with
   * the operator's comment kept in both.
   */
  @Test
  void slaveofThenConfigRewriteLeavesTheReplicaofLineRealRedisLeaves() throws Exception {
    RealRedis.require();
    String deployed = "# deployed by the operator\nappendonly no\nreplicaof 127.0.0.1 1\n";
    Path realDir = Files.createDirectories(dir.resolve("conf"));
    Path realConf = realDir.resolve("redis.conf");
    Files.writeString(realConf, deployed);
    sim.core.disk.SimDisk disk = sim.redis.testing.LocalRedis.freshDisk();
    sim.redis.host.SimDiskFiles files = new sim.redis.host.SimDiskFiles(disk);
    files.create("redis.conf");
    files.append("redis.conf", deployed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    RedisConfig cfg = new RedisConfig();
    cfg.configfile = "redis.conf";
    sim.redis.testing.LocalRedis ours = new sim.redis.testing.LocalRedis(cfg, disk, 1_700_000_000_000L);
    ours.server.start();
    try (RealRedis real = RealRedis.startWithConfigFile(realConf, realDir); RespClient c = real.client()) {
      for (List<String> master : List.of(List.of("127.0.0.1", "6390"), List.of("NO", "ONE"))) {
        for (List<String> cmd : sendSlaveOf(master)) {
          assertEquals(c.call(cmd), ours.call(cmd), "the reply to " + cmd);
        }
        String realFile = Files.readString(realConf);
        String ourFile = new String(disk.readAll("redis.conf"), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(replicaofLines(realFile), replicaofLines(ourFile), "after SLAVEOF " + master + ": real\n" + realFile + "ours\n" + ourFile);
        assertEquals(master.get(0).equals("NO") ? List.of() : List.of("replicaof 127.0.0.1 6390"), replicaofLines(ourFile));
        assertTrue(realFile.startsWith("# deployed by the operator\n") && ourFile.startsWith("# deployed by the operator\n"));
      }
    }
  }

  private static List<List<String>> sendSlaveOf(List<String> master) {
    List<String> slaveof = new ArrayList<>(List.of("SLAVEOF"));
    slaveof.addAll(master);
    return List.of(List.of("MULTI"), slaveof, List.of("CONFIG", "REWRITE"), List.of("CLIENT", "KILL", "TYPE", "normal"),
        List.of("CLIENT", "KILL", "TYPE", "pubsub"), List.of("EXEC"));
  }

  private static List<String> replicaofLines(String conf) {
    return conf.lines().filter(l -> l.startsWith("replicaof ") || l.startsWith("slaveof ")).toList();
  }

  /** The detail shapes of the leader's failover events, first occurrence of each, in LEADER_EVENTS order. */
  private static List<String> leaderShapes(List<List<String>> shapes, List<List<String>> events) {
    List<String> lines = shapes.get(events.indexOf(leader(events)));
    List<String> out = new ArrayList<>();
    for (String type : LEADER_EVENTS) {
      for (String l : lines) {
        if (l.equals(type) || l.startsWith(type + " ")) {
          out.add(l);
          break;
        }
      }
    }
    return out;
  }

  private static List<String> keep(List<String> events) {
    List<String> out = new ArrayList<>();
    for (String e : events) if (LEADER_EVENTS.contains(e) && (out.isEmpty() || !out.contains(e))) out.add(e);
    return out;
  }

  private static List<String> leader(List<List<String>> sentinels) {
    for (List<String> s : sentinels) if (s.contains("+elected-leader")) return s;
    throw new AssertionError("no sentinel was elected: " + sentinels);
  }

  record Real(List<List<String>> events, List<String> masterFields, List<List<String>> shapes) {}

  /** An event line with what differs between the two worlds abstracted: hosts, ports and epochs, run ids. */
  static String shape(String event) {
    StringBuilder sb = new StringBuilder();
    for (String t : event.trim().split(" ")) {
      String w = t.matches("[0-9a-f]{40}") ? "RUNID"
          : t.matches("(127\\.0\\.0\\.1|redis|replica1):[0-9]+") ? "HOST:N"
          : t.matches("127\\.0\\.0\\.1|redis|replica1|s[123]") ? "HOST"
          : t.matches("[0-9]+") ? "N"
          : t.matches("[0-9]+/[0-9]+") ? "N/N" : t; // #quorum 3/2 or 2/2: which answers had arrived is timing
      sb.append(sb.length() == 0 ? "" : " ").append(w);
    }
    return sb.toString();
  }

  private Real realFailover() throws Exception {
    Files.createDirectories(dir.resolve("m"));
    Files.createDirectories(dir.resolve("r"));
    try (RealRedis m = RealRedis.start(dir.resolve("m"), "--repl-diskless-sync-delay", "0");
         RealRedis r = RealRedis.start(dir.resolve("r"), "--replicaof", "127.0.0.1", Integer.toString(m.port))) {
      List<RealSentinel> sentinels = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) sentinels.add(RealSentinel.start(dir.resolve("s" + i), m.port));
        RespClient probe = new RespClient(sentinels.get(0).port);
        waitFor(() -> fields(probe.call("SENTINEL", "master", "mymaster")), f -> value(f, "num-other-sentinels").equals("2")
            && value(f, "num-slaves").equals("1"), 30_000);
        List<String> fields = keys(fields(probe.call("SENTINEL", "master", "mymaster")));
        probe.close();
        m.close(); // SHUTDOWN NOSAVE: the master is gone
        for (RealSentinel s : sentinels) waitFor(s::events, e -> e.contains("+switch-master"), 60_000);
        Thread.sleep(500);
        List<List<String>> events = new ArrayList<>();
        List<List<String>> shapes = new ArrayList<>();
        for (RealSentinel s : sentinels) {
          events.add(s.events());
          shapes.add(s.shapes());
        }
        return new Real(events, fields, shapes);
      } finally {
        for (RealSentinel s : sentinels) s.close();
      }
    }
  }

  private static final NodeId MASTER = NodeId.of("redis");
  private static final List<NodeId> SENTINELS = List.of(NodeId.of("s1"), NodeId.of("s2"), NodeId.of("s3"));

  private static Simulation topology() {
    Simulation sim = new Simulation(1);
    sim.addNode(MASTER, () -> new RedisNode(RedisConfig::new));
    sim.addNode(NodeId.of("replica1"), () -> new RedisNode(() -> {
      RedisConfig c = new RedisConfig();
      c.replicaofHost = MASTER.name();
      return c;
    }));
    for (NodeId id : SENTINELS) {
      sim.addNode(id, () -> {
        SentinelConfig c = SentinelConfig.monitor("mymaster", MASTER.name(), 6379, 2);
        c.downAfterMs = 1000;
        c.failoverTimeoutMs = 10_000;
        for (NodeId s : SENTINELS) if (!s.equals(id)) c.sentinels.add(s.name());
        return new SentinelNode(() -> c);
      });
    }
    return sim;
  }

  private static final List<List<String>> OUR_SHAPES = new ArrayList<>();

  private static List<List<String>> simulatedFailover() {
    Simulation sim = topology();
    List<List<String>> events = new ArrayList<>();
    OUR_SHAPES.clear();
    for (int i = 0; i < 3; i++) {
      events.add(new ArrayList<>());
      OUR_SHAPES.add(new ArrayList<>());
    }
    sim.trace().addListener(e -> {
      if (!e.kind().equals("redis.sentinel")) return;
      events.get(SENTINELS.indexOf(NodeId.of(e.node()))).add(String.valueOf(e.attribute("type")));
      OUR_SHAPES.get(SENTINELS.indexOf(NodeId.of(e.node()))).add(shape(e.detail()));
      if (System.getenv("SENTINEL_DEBUG") != null) System.out.println(e.timeNanos() / 1_000_000 + " " + e.node() + " " + e.detail());
    });
    sim.runFor(Durations.seconds(12)); // the replica is found by INFO, as a real sentinel finds it
    sim.crash(MASTER);
    sim.runFor(Durations.seconds(30));
    return events;
  }

  private static List<String> ourMasterFields() {
    Simulation sim = topology();
    sim.runFor(Durations.seconds(12));
    return keys(fields(sim.node(SENTINELS.get(0), SentinelNode.class).command(List.of("SENTINEL", "master", "mymaster"))));
  }

  static List<String> fields(String resp) {
    List<String> a = Resp.array(resp);
    return a == null ? List.of() : a;
  }

  private static List<String> keys(List<String> flat) {
    List<String> k = new ArrayList<>();
    for (int i = 0; i < flat.size(); i += 2) k.add(flat.get(i));
    return k;
  }

  private static String value(List<String> flat, String key) {
    for (int i = 0; i + 1 < flat.size(); i += 2) if (flat.get(i).equals(key)) return flat.get(i + 1);
    return "";
  }

  interface Probe<T> {
    T get() throws IOException;
  }

  private static <T> void waitFor(Probe<T> probe, java.util.function.Predicate<T> done, long ms) throws Exception {
    long deadline = System.currentTimeMillis() + ms;
    T last = null;
    while (System.currentTimeMillis() < deadline) {
      last = probe.get();
      if (done.test(last)) return;
      Thread.sleep(100);
    }
    throw new AssertionError("timed out; last seen: " + last);
  }

  /** redis-server sentinel.conf --sentinel, its log in its own directory. */
  static final class RealSentinel implements AutoCloseable {
    final Process process;
    final int port;
    final Path log;

    private RealSentinel(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    static RealSentinel start(Path dir, int masterPort) throws Exception {
      Files.createDirectories(dir);
      int port = RealRedis.freePort();
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, String.join("\n", "port " + port, "bind 127.0.0.1", "protected-mode no", "dir " + dir,
          "logfile " + dir.resolve("sentinel.log"), "sentinel monitor mymaster 127.0.0.1 " + masterPort + " 2",
          "sentinel down-after-milliseconds mymaster 1000", "sentinel failover-timeout mymaster 10000", ""));
      Process p = new ProcessBuilder(RealRedis.binary(), conf.toString(), "--sentinel").redirectErrorStream(true)
          .redirectOutput(dir.resolve("sentinel.out").toFile()).start();
      RealSentinel s = new RealSentinel(p, port, dir.resolve("sentinel.log"));
      waitFor(() -> {
        try (RespClient c = new RespClient(port)) {
          return c.call("PING");
        } catch (IOException e) {
          return "";
        }
      }, "+PONG\r\n"::equals, 10_000);
      return s;
    }

    List<String> events() throws IOException {
      List<String> out = new ArrayList<>();
      if (!Files.exists(log)) return out;
      for (String line : Files.readAllLines(log)) {
        Matcher m = EVENT.matcher(line);
        if (m.find()) out.add(m.group(1));
      }
      return out;
    }

    /** Each event as its type and the shape of its detail (addresses, numbers and run ids abstracted). */
    List<String> shapes() throws IOException {
      List<String> out = new ArrayList<>();
      if (!Files.exists(log)) return out;
      for (String line : Files.readAllLines(log)) {
        Matcher m = EVENT.matcher(line);
        if (m.find()) out.add(shape(m.group(1) + " " + m.group(2)));
      }
      return out;
    }

    @Override
    public void close() {
      process.destroy();
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
