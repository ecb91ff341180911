package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.db.Partition;
import sim.cassandra.gossip.EndpointStatus;
import sim.cassandra.ring.RangeMovement;
import sim.cassandra.ring.TokenMetadata;
import sim.cassandra.ring.TokenRing;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.schema.TableMetadata;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * Applies ring changes on one node ({@code StorageService}'s bootstrap and decommission, and its gossip
 * STATUS handling); which ranges move and from whom is {@link RangeMovement}'s policy.
 *
 * <p>Bootstrap ({@code nodetool join} on a node started with {@code join_ring=false}): pick
 * {@code num_tokens} tokens, gossip {@code STATUS BOOT} ("JOINING: sleeping 30000 ms for pending range
 * setup"), wait {@code ring_delay}, fetch every range the node gains from the replica giving it up, then
 * gossip {@code NORMAL}. Decommission: gossip {@code LEAVING}, wait {@code ring_delay}, stream every range
 * to the replicas that gain it, gossip {@code LEFT}, wait {@code ring_delay} more so the news spreads, then
 * stop gossip and messaging (DECOMMISSIONED). Streams not completed are asked for again every 10 s.
 */
final class RangeMovementSession {
  static final long STREAM_RETRY_NANOS = 10_000_000_000L;

  /** nodetool netstats' mode. */
  enum Mode { STARTING, JOINING, NORMAL, LEAVING, DECOMMISSIONED }

  /** One stream of one table's range: done once the target has applied it. */
  private static final class Task {
    final String table;
    final long from;
    final long to;
    final NodeId source;
    final NodeId target;
    boolean done;

    Task(String table, long from, long to, NodeId source, NodeId target) {
      this.table = table;
      this.from = from;
      this.to = to;
      this.source = source;
      this.target = target;
    }
  }

  private final CassandraNode node;
  private final TokenMetadata metadata;
  private Mode mode;
  private List<Long> tokens = List.of();
  private final TreeMap<Long, Task> tasks = new TreeMap<>();
  private int streamsDone;

  RangeMovementSession(CassandraNode node, TokenMetadata metadata, boolean joined) {
    this.node = node;
    this.metadata = metadata;
    this.mode = joined ? Mode.NORMAL : Mode.STARTING;
  }

  Mode mode() {
    return mode;
  }

  int streamsDone() {
    return streamsDone;
  }

  // ---- gossip ----

  /** Applies STATUS values gossip brought; each change of the ring view is a point. */
  void onStatuses(NodeContext ctx, List<Map.Entry<NodeId, EndpointStatus>> changed) {
    for (Map.Entry<NodeId, EndpointStatus> e : changed) {
      EndpointStatus s = e.getValue();
      if (!metadata.apply(e.getKey(), s.status(), s.tokens())) continue;
      persistPeer(ctx, e.getKey(), s);
      ctx.point("cassandra.gossip.status", e.getKey() + " is now " + s.status() + " (" + s.tokens().size() + " tokens); ring view: " + metadata.signature(),
          "endpoint", e.getKey().name(), "status", s.status(), "view", metadata.signature());
    }
  }

  /**
   * system.local's bootstrap state and tokens, appended one line per change ("STATUS t1,t2,…"): a restarted
   * node comes back with what it had announced.
   */
  static final String LOCAL_FILE = "system/local.log";

  /** system.peers: the STATUS and tokens of every other endpoint, as this node last applied them. */
  static final String PEERS_FILE = "system/peers.log";

  private void persistPeer(NodeContext ctx, NodeId peer, EndpointStatus s) {
    ctx.disk().append(PEERS_FILE, (peer.name() + " " + line(s.status(), s.tokens()) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String line(String status, List<Long> tokens) {
    StringBuilder b = new StringBuilder(status).append(' ');
    for (int i = 0; i < tokens.size(); i++) b.append(i == 0 ? "" : ",").append(tokens.get(i));
    return b.toString();
  }

  private static List<Long> parseTokens(String csv) {
    List<Long> out = new ArrayList<>();
    for (String t : csv.split(",")) if (!t.isEmpty()) out.add(Long.parseLong(t));
    return out;
  }

  /** Start-up: the ring as system.peers last had it, then the last STATUS this node announced and made durable. */
  void recover(NodeContext ctx, sim.core.disk.SimDisk disk) {
    if (disk.exists(PEERS_FILE)) {
      for (String l : new String(disk.readAll(PEERS_FILE), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
        String[] f = l.split(" ", 3);
        if (f.length == 3) metadata.apply(NodeId.of(f[0]), f[1], parseTokens(f[2]));
      }
    }
    if (!disk.exists(LOCAL_FILE)) return;
    String[] lines = new String(disk.readAll(LOCAL_FILE), java.nio.charset.StandardCharsets.UTF_8).split("\n");
    String last = lines[lines.length - 1];
    int sp = last.indexOf(' ');
    if (sp < 0) return;
    String status = last.substring(0, sp);
    tokens = parseTokens(last.substring(sp + 1));
    switch (status) {
      // a node that was joining bootstraps again with the same tokens (Cassandra resumes the bootstrap)
      case EndpointStatus.BOOT -> {
        mode = Mode.STARTING;
        restartJoin(ctx);
      }
      // a node restarted while leaving is back in the ring: the decommission has to be run again
      case EndpointStatus.NORMAL, EndpointStatus.LEAVING -> {
        mode = Mode.NORMAL;
        announce(ctx, EndpointStatus.NORMAL);
      }
      // "This node was decommissioned and will not rejoin the ring"
      default -> {
        mode = Mode.DECOMMISSIONED;
        metadata.apply(node.self(), EndpointStatus.LEFT, tokens);
        stoppedForGood = true;
      }
    }
  }

  private void persist(NodeContext ctx, String status, Runnable then) {
    ctx.disk().append(LOCAL_FILE, (line(status, tokens) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    node.durably(ctx, LOCAL_FILE, then);
  }

  /** Makes the status durable in system.local, then gossips it. */
  private void persistAndAnnounce(NodeContext ctx, String status, Runnable then) {
    persist(ctx, status, () -> {
      announce(ctx, status);
      then.run();
    });
  }

  private void announce(NodeContext ctx, String status) {
    node.gossiper().setLocalStatus(status, tokens);
    metadata.apply(node.self(), status, tokens);
    ctx.point("cassandra.ring.status", node.self() + " announces STATUS " + status + " (mode " + mode + "); ring view: " + metadata.signature(),
        "endpoint", node.self().name(), "status", status, "mode", mode.name(), "view", metadata.signature());
  }

  // ---- bootstrap ----

  void join(NodeContext ctx) {
    if (mode != Mode.STARTING) {
      ctx.note("nodetool join: already " + mode);
      return;
    }
    tokens = metadata.ring().drawTokens(TokenRing.DEFAULT_NUM_TOKENS, ctx.random("tokens"));
    restartJoin(ctx);
  }

  private void restartJoin(NodeContext ctx) {
    mode = Mode.JOINING;
    persistAndAnnounce(ctx, EndpointStatus.BOOT, () -> {
      ctx.point("cassandra.bootstrap.sleep", "JOINING: sleeping " + node.config().ringDelayMs() + " ms for pending range setup", "ringDelayMs", node.config().ringDelayMs());
      ctx.setTimer(new CassandraTimer.RingDelayElapsed(), node.config().ringDelayMs() * 1_000_000L);
    });
  }

  // ---- decommission ----

  void decommission(NodeContext ctx) {
    if (mode != Mode.NORMAL || metadata.ring().members().size() < 2) {
      ctx.note("nodetool decommission: not possible while " + mode);
      return;
    }
    tokens = metadata.ring().tokensOf(node.self());
    mode = Mode.LEAVING;
    persistAndAnnounce(ctx, EndpointStatus.LEAVING, () -> {
      ctx.point("cassandra.decommission.sleep", "LEAVING: sleeping " + node.config().ringDelayMs() + " ms for pending range setup", "ringDelayMs", node.config().ringDelayMs());
      ctx.setTimer(new CassandraTimer.RingDelayElapsed(), node.config().ringDelayMs() * 1_000_000L);
    });
  }

  // ---- streaming ----

  /** After ring_delay: plan this node's streams from the policy and start them. */
  void onRingDelay(NodeContext ctx) {
    if (mode != Mode.JOINING && mode != Mode.LEAVING) return;
    if (mode == Mode.JOINING && node.schemaBehind()) {
      // StorageService waits for schema agreement before it streams: tables it does not know cannot be fetched
      ctx.point("cassandra.bootstrap.wait-schema", "JOINING: waiting for schema information to complete");
      ctx.setTimer(new CassandraTimer.RingDelayElapsed(), 1_000_000_000L);
      return;
    }
    // a leaving node is the only source of its ranges; a joining one fetches from the replica giving each up
    boolean strict = mode == Mode.LEAVING || !node.config().broken(CassandraNode.BREAK_INCONSISTENT_RANGE_MOVEMENT);
    for (KeyspaceMetadata ks : node.schema().keyspaces()) {
      List<RangeMovement.Move> moves = RangeMovement.diff(metadata.ring(), metadata.future(), ks);
      for (RangeMovement.Stream s : RangeMovement.streams(moves, strict)) {
        boolean mine = mode == Mode.JOINING ? s.target().equals(node.self()) : s.source().equals(node.self());
        if (!mine) continue;
        for (TableMetadata t : node.schema().tables()) {
          if (!t.keyspace().equals(ks.name())) continue;
          for (long[] part : unwrapped(s.fromExclusive(), s.toInclusive())) {
            tasks.put(node.coordinator().newId(), new Task(t.qualifiedName(), part[0], part[1], s.source(), s.target()));
          }
        }
      }
    }
    ctx.point(mode == Mode.JOINING ? "cassandra.bootstrap.start" : "cassandra.decommission.unbootstrap",
        (mode == Mode.JOINING ? "JOINING: Starting to bootstrap..., " : "LEAVING: streaming data to other nodes, ") + tasks.size() + " table ranges to stream",
        "streams", tasks.size());
    for (Map.Entry<Long, Task> e : tasks.entrySet()) send(ctx, e.getKey(), e.getValue());
    if (tasks.isEmpty()) finish(ctx);
    else ctx.setTimer(new CassandraTimer.StreamRetry(), STREAM_RETRY_NANOS);
  }

  /** A wrapping range (from ≥ to) is streamed as its two halves, as repair validates it. */
  private static List<long[]> unwrapped(long from, long to) {
    if (from < to) return List.of(new long[] {from, to});
    List<long[]> out = new ArrayList<>();
    if (from != Long.MAX_VALUE) out.add(new long[] {from, Long.MAX_VALUE});
    out.add(new long[] {Long.MIN_VALUE, to});
    return out;
  }

  private void send(NodeContext ctx, long id, Task t) {
    if (t.target.equals(node.self())) {
      ctx.point("cassandra.bootstrap.stream-request", "fetching " + t.table + " (" + t.from + ", " + t.to + "] from " + t.source,
          "table", t.table, "from", t.from, "to", t.to, "source", t.source.name());
      ctx.send(t.source, new CassandraMessage.StreamRequest(id, t.table, t.from, t.to, node.self(), true));
      return;
    }
    TableMetadata table = node.schema().table(t.table);
    List<Partition> data = table == null ? List.of() : node.storage().readRange(table, t.from, t.to);
    ctx.point("cassandra.decommission.stream-out", data.size() + " partitions of " + t.table + " (" + t.from + ", " + t.to + "] to " + t.target,
        "table", t.table, "from", t.from, "to", t.to, "target", t.target.name(), "partitions", data.size());
    ctx.send(t.target, new CassandraMessage.StreamData(id, t.table, data, true));
  }

  void onRetry(NodeContext ctx) {
    if (mode != Mode.JOINING && mode != Mode.LEAVING) return;
    for (Map.Entry<Long, Task> e : tasks.entrySet()) if (!e.getValue().done) send(ctx, e.getKey(), e.getValue());
    ctx.setTimer(new CassandraTimer.StreamRetry(), STREAM_RETRY_NANOS);
  }

  /** This node applied a stream's data (bootstrap: a range it fetched). */
  void onStreamApplied(NodeContext ctx, NodeId from, long id) {
    Task t = tasks.get(id);
    if (mode != Mode.JOINING || t == null || !t.source.equals(from)) return;
    markDone(ctx, t);
  }

  /** A target applied the data this node sent (decommission). */
  void onStreamComplete(NodeContext ctx, NodeId from, long id) {
    Task t = tasks.get(id);
    if (mode != Mode.LEAVING || t == null || !t.target.equals(from)) return;
    markDone(ctx, t);
  }

  private void markDone(NodeContext ctx, Task t) {
    if (t.done) return;
    t.done = true;
    streamsDone++;
    ctx.point("cassandra.stream.complete", t.table + " (" + t.from + ", " + t.to + "] " + t.source + " -> " + t.target,
        "table", t.table, "source", t.source.name(), "target", t.target.name());
    for (Task o : tasks.values()) if (!o.done) return;
    finish(ctx);
  }

  private void finish(NodeContext ctx) {
    tasks.clear();
    if (mode == Mode.JOINING) {
      mode = Mode.NORMAL;
      persistAndAnnounce(ctx, EndpointStatus.NORMAL, () -> { });
      return;
    }
    mode = Mode.DECOMMISSIONED;
    persistAndAnnounce(ctx, EndpointStatus.LEFT, () -> {
      ctx.point("cassandra.decommission.announce-left", "Announcing that I have left the ring for " + node.config().ringDelayMs() + "ms",
          "ringDelayMs", node.config().ringDelayMs());
      ctx.setTimer(new CassandraTimer.DecommissionStop(), node.config().ringDelayMs() * 1_000_000L);
    });
  }

  /** ring_delay after LEFT: gossip and messaging stop; the node is DECOMMISSIONED. */
  void onStop(NodeContext ctx) {
    ctx.point("cassandra.decommission.done", node.self() + " DECOMMISSIONED: gossip and messaging stopped", "endpoint", node.self().name());
    stoppedForGood = true;
  }

  private boolean stoppedForGood;

  /** Whether the node has stopped gossip and messaging for good. */
  boolean silent() {
    return stoppedForGood;
  }
}
