package sim.es.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Timer;
import sim.es.cluster.node.NodeMessage;

/**
 * A client of the cluster: every tick it indexes a new document, and now and then updates or deletes an
 * earlier one, sending each request to a random node (which coordinates it). It keeps at most one request
 * per id in flight, so a retried request can never overtake a later one. For the checks it remembers, per
 * id, whether its last write was acknowledged (and so must be visible: present, or gone for a delete) or its
 * outcome is unknown (an error that may have applied, a timeout): such an id is never written again.
 */
public final class ClusterClient implements Node {
  /** The client's schedule. */
  public record Tick() implements Timer {}

  /** What the client knows of an id: its last acknowledged write (null: unknown), and the operation's seq_no and term. */
  public record Known(boolean present, long seqNo, long primaryTerm, int shardCopies) {}

  private final List<NodeId> nodes;
  private final long tickNanos;
  private final long timeoutMs;
  private final int waitForActiveShards;
  private SimRandom random;
  private long requestId;
  private int next;
  private final TreeMap<Long, Sent> inFlight = new TreeMap<>();
  private final TreeSet<String> busy = new TreeSet<>();
  final TreeMap<String, Known> acknowledged = new TreeMap<>();
  final TreeSet<String> unknown = new TreeSet<>();
  final List<NodeMessage.IndexResponse> errors = new ArrayList<>();
  final List<NodeMessage.IndexResponse> acks = new ArrayList<>();
  final List<NodeMessage.SearchResponse> searches = new ArrayList<>();
  private final List<String> searchTexts;
  private final boolean writes;

  private record Sent(String id, boolean delete, long atMs, NodeId to) {}

  private final TreeMap<NodeId, Long> deadUntilMs = new TreeMap<>();

  public ClusterClient(List<NodeId> nodes, long tickNanos, long timeoutMs, int waitForActiveShards) {
    this(nodes, tickNanos, timeoutMs, waitForActiveShards, List.of(), true);
  }

  public ClusterClient(List<NodeId> nodes, long tickNanos, long timeoutMs, int waitForActiveShards, List<String> searchTexts, boolean writes) {
    this.nodes = List.copyOf(nodes);
    this.tickNanos = tickNanos;
    this.timeoutMs = timeoutMs;
    this.waitForActiveShards = waitForActiveShards;
    this.searchTexts = List.copyOf(searchTexts);
    this.writes = writes;
  }

  @Override
  public void start(NodeContext ctx) {
    random = ctx.random("client");
    ctx.setTimer(new Tick(), tickNanos);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    expire(ctx);
    if (writes) {
      send(ctx, "d" + next++, false);
      if (next > 5 && random.chance(0.3)) {
        String old = "d" + random.nextInt(next - 1);
        send(ctx, old, random.chance(0.3));
      }
    }
    ctx.setTimer(timer, tickNanos);
  }

  private void send(NodeContext ctx, String id, boolean delete) {
    if (busy.contains(id) || unknown.contains(id)) return;
    long rid = ++requestId;
    busy.add(id);
    NodeId to = pickNode(ctx);
    inFlight.put(rid, new Sent(id, delete, ctx.localTimeMs(), to));
    String source = delete ? null : "{\"body\":\"document " + id + " version " + rid + " about replicas and primaries\"}";
    ctx.send(to, new NodeMessage.IndexRequest(rid, id, source, delete, waitForActiveShards));
  }

  /** A random node the client has not seen die in the last 5 seconds (the client's sniffer drops dead nodes for a while). */
  private NodeId pickNode(NodeContext ctx) {
    List<NodeId> alive = new ArrayList<>();
    for (NodeId n : nodes) if (deadUntilMs.getOrDefault(n, 0L) <= ctx.localTimeMs()) alive.add(n);
    return random.pick(alive.isEmpty() ? nodes : alive);
  }

  /** A node's connection reset: what was sent to it may or may not have been executed. */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    deadUntilMs.put(peer, ctx.localTimeMs() + 5_000);
    for (Long rid : List.copyOf(inFlight.keySet())) {
      Sent s = inFlight.get(rid);
      if (!s.to().equals(peer)) continue;
      inFlight.remove(rid);
      busy.remove(s.id());
      unknown.add(s.id());
      acknowledged.remove(s.id());
    }
  }

  /** A search, of each text, by both methods: {@code query_then_fetch} and {@code dfs_query_then_fetch}. */
  public void search(NodeContext ctx, String text) {
    ctx.send(nodes.get(0), new NodeMessage.SearchRequest(++requestId, text, false, 10));
    ctx.send(nodes.get(0), new NodeMessage.SearchRequest(++requestId, text, true, 10));
  }

  private void expire(NodeContext ctx) {
    for (Long rid : List.copyOf(inFlight.keySet())) {
      Sent s = inFlight.get(rid);
      if (ctx.localTimeMs() - s.atMs() < timeoutMs) continue;
      inFlight.remove(rid);
      busy.remove(s.id());
      unknown.add(s.id()); // may or may not have happened
      acknowledged.remove(s.id());
    }
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof NodeMessage.SearchResponse s) {
      searches.add(s);
      return;
    }
    if (!(message instanceof NodeMessage.IndexResponse r)) return;
    Sent s = inFlight.remove(r.requestId());
    if (s == null) return;
    busy.remove(s.id());
    if (r.status() >= 200 && r.status() < 300 || r.status() == 404) {
      acks.add(r);
      acknowledged.put(s.id(), new Known(!s.delete(), r.seqNo(), r.primaryTerm(), r.shardsSuccessful()));
    } else {
      errors.add(r);
      // Even a 429 cluster_block_exception is no proof the write never ran: the coordinating node may have sent it
      // to the primary before (TransportReplicationAction retries), and that attempt may have been applied.
      unknown.add(s.id());
      acknowledged.remove(s.id());
    }
  }

  /** The ids whose last write was acknowledged and nothing newer is in flight: what the checks may judge. */
  public Map<String, Known> acknowledged() {
    Map<String, Known> out = new TreeMap<>(acknowledged);
    out.keySet().removeAll(busy);
    return out;
  }

  @Override
  public String describeState() {
    return acks.size() + " writes acknowledged, " + errors.size() + " errors, " + inFlight.size() + " in flight, " + unknown.size() + " ids unknown; "
        + searches.size() + " searches";
  }
}
