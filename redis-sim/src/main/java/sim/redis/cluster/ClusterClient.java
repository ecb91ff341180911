package sim.redis.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.redis.node.RedisMessage;

/**
 * An application connection as cluster clients (Jedis/Lettuce cluster mode) work: a slot → node map read from
 * CLUSTER NODES of a random seed at start and again after every -MOVED (the map is stale) or failure; a -MOVED
 * also fixes the slot at once and the command is re-sent to the node named; on -CLUSTERDOWN or a reply that did
 * not come it waits and tries again, and after {@link #MAX_ATTEMPTS}
 * such failures it gives the write up and goes on with the next (an application with a retry budget). During a
 * resharding it follows -ASK as redis-cli and cluster clients do: ASKING, then the same command, to the node
 * named, once, without touching the slot map; -TRYAGAIN is retried after {@link #TRYAGAIN_DELAY_NANOS}. Writes
 * {@code SET k<i> <i>} one at a time (or, with hash tags, {@code SET {tag}k<i> <i>}: keys of a few slots) and
 * records which node acknowledged each write, and when.
 */
public final class ClusterClient implements Node {
  private record Next() implements Timer {}

  private record Timeout(long id) implements Timer {}

  /** One acknowledged write: k{@code index}, acknowledged by {@code server} at simulated {@code atNanos}. */
  public record Ack(int index, String server, long atNanos) {}

  /** Redirections a client follows before it gives up on a command (redis-cli: 16; cluster clients: 5). */
  static final int MAX_REDIRECTS = 16;
  /** Failed tries (timeouts, -CLUSTERDOWN) before a write is given up. */
  static final int MAX_ATTEMPTS = 2;

  /** How long a -TRYAGAIN waits before the command is sent again (clients use a short sleep, e.g. 100 ms). */
  static final long TRYAGAIN_DELAY_NANOS = 50_000_000L;

  private record AskingFor(long id) implements Timer {}

  private final List<NodeId> seeds;
  private final List<String> tags;
  private long asking = -1; // the ASKING request in flight
  private NodeId askTarget;
  private int asks;
  private int tryagains;
  private final long intervalNanos;
  private final long timeoutNanos = 200_000_000L;
  private final long retryNanos = 100_000_000L;
  private final TreeMap<Integer, String> slotCache = new TreeMap<>();
  private long nextId;
  private long outstanding = -1;
  private long refreshing = -1;
  private int redirects;
  private int attempts;
  private int abandoned;
  private int nextWrite;
  private final List<Ack> acks = new ArrayList<>();
  private int moved;
  private int clusterDown;
  private int timeouts;
  private final List<String> refusals = new ArrayList<>();

  public ClusterClient(List<NodeId> seeds, long intervalNanos) {
    this(seeds, intervalNanos, List.of());
  }

  /** With {@code tags}, write i goes to key {tag}k<i> with tag = tags[i % tags.size()]: only the tags' slots. */
  public ClusterClient(List<NodeId> seeds, long intervalNanos, List<String> tags) {
    this.seeds = List.copyOf(seeds);
    this.intervalNanos = intervalNanos;
    this.tags = List.copyOf(tags);
  }

  /** The key of write {@code index}. */
  public String keyOf(int index) {
    return tags.isEmpty() ? "k" + index : "{" + tags.get(index % tags.size()) + "}k" + index;
  }

  /** The write index of a key this client writes, or -1. */
  public static int indexOf(String key) {
    int tagEnd = key.indexOf("}k");
    int at = key.startsWith("k") ? 1 : key.startsWith("{") && tagEnd > 0 ? tagEnd + 2 : -1;
    if (at < 0) return -1;
    Long v = sim.redis.resp.Numbers.parseLong(key.substring(at));
    return v == null || v < 0 || v > Integer.MAX_VALUE ? -1 : (int) (long) v;
  }

  @Override
  public void start(NodeContext ctx) {
    refreshSlots(ctx);
    ctx.setTimer(new Next(), 1);
  }

  /** CLUSTER NODES of a random seed; its answer replaces the map (one refresh in flight at a time). */
  private void refreshSlots(NodeContext ctx) {
    if (refreshing >= 0) return;
    refreshing = nextId++;
    ctx.send(seeds.get(ctx.random("workload").nextInt(seeds.size())), new RedisMessage.Request(refreshing, List.of("CLUSTER", "NODES")));
    ctx.setTimer(new Timeout(refreshing), timeoutNanos);
  }

  /** The masters' slot ranges of a CLUSTER NODES reply (a bulk string, one node per line). */
  private void onNodes(String resp) {
    if (!resp.startsWith("$")) return;
    String text = resp.substring(resp.indexOf("\r\n") + 2);
    for (String line : text.split("\n")) {
      String[] w = line.trim().split(" ");
      if (w.length < 9 || !w[2].contains("master")) continue;
      for (int i = 8; i < w.length; i++) {
        if (w[i].startsWith("[")) continue; // an open slot ([slot->-node], [slot-<-node]) of the node answering
        java.util.BitSet b = Slots.parse(w[i]);
        for (int j = b.nextSetBit(0); j >= 0; j = b.nextSetBit(j + 1)) slotCache.put(j, w[0]);
      }
    }
  }

  private String key() {
    return keyOf(nextWrite);
  }

  private void sendWrite(NodeContext ctx, NodeId to) {
    outstanding = nextId++;
    ctx.send(to, new RedisMessage.Request(outstanding, List.of("SET", key(), Integer.toString(nextWrite))));
    ctx.setTimer(new Timeout(outstanding), timeoutNanos);
  }

  private NodeId target(NodeContext ctx) {
    String cached = slotCache.get(KeySlot.of(key()));
    return cached != null ? NodeId.of(cached) : seeds.get(ctx.random("workload").nextInt(seeds.size()));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof RedisMessage.Reply reply)) return;
    if (reply.id() == refreshing) {
      refreshing = -1;
      onNodes(reply.resp());
      return;
    }
    if (reply.id() == asking) {
      asking = -1;
      if (reply.resp().equals("+OK\r\n")) sendWrite(ctx, askTarget); // the command right after ASKING
      else retryElsewhere(ctx);
      return;
    }
    if (reply.id() != outstanding) return;
    outstanding = -1;
    String resp = reply.resp();
    if (resp.equals("+OK\r\n")) {
      acks.add(new Ack(nextWrite, from.name(), ctx.localTimeNanos()));
      nextWrite++;
      redirects = 0;
      attempts = 0;
      ctx.setTimer(new Next(), Math.max(1, ctx.random("workload").exponentialNanos(intervalNanos)));
      return;
    }
    if (resp.startsWith("-MOVED ") && redirects < MAX_REDIRECTS) { // -MOVED <slot> <host>:<port>
      String[] w = resp.trim().split(" ");
      String host = w[2].substring(0, w[2].lastIndexOf(':'));
      slotCache.put(Integer.parseInt(w[1]), host);
      moved++;
      redirects++;
      refreshSlots(ctx);
      sendWrite(ctx, NodeId.of(host));
      return;
    }
    if (resp.startsWith("-ASK ") && redirects < MAX_REDIRECTS) { // -ASK <slot> <host>:<port>: this command only
      String[] w = resp.trim().split(" ");
      askTarget = NodeId.of(w[2].substring(0, w[2].lastIndexOf(':')));
      asks++;
      redirects++;
      asking = nextId++;
      ctx.send(askTarget, new RedisMessage.Request(asking, List.of("ASKING")));
      ctx.setTimer(new Timeout(asking), timeoutNanos);
      return;
    }
    if (resp.startsWith("-TRYAGAIN")) { // a multi-key request during a slot's migration: the same command, soon
      tryagains++;
      ctx.setTimer(new Next(), TRYAGAIN_DELAY_NANOS);
      return;
    }
    if (resp.startsWith("-CLUSTERDOWN")) clusterDown++;
    String why = from.name() + ": " + resp.trim();
    if (refusals.size() < 5 && !refusals.contains(why)) refusals.add(why);
    retryElsewhere(ctx);
  }

  /** The slot's node may be gone or the cluster down: forget the slot's owner and try again after a pause. */
  private void retryElsewhere(NodeContext ctx) {
    slotCache.remove(KeySlot.of(key()));
    refreshSlots(ctx);
    redirects = 0;
    if (++attempts >= MAX_ATTEMPTS) { // given up: never acknowledged, so never a loss
      attempts = 0;
      abandoned++;
      nextWrite++;
    }
    ctx.setTimer(new Next(), retryNanos);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Next) {
      if (outstanding < 0 && asking < 0) sendWrite(ctx, target(ctx));
    } else if (timer instanceof Timeout t && t.id() == refreshing) {
      refreshing = -1;
    } else if (timer instanceof Timeout t && t.id() == asking) {
      asking = -1;
      timeouts++;
      retryElsewhere(ctx);
    } else if (timer instanceof Timeout t && t.id() == outstanding) {
      outstanding = -1;
      timeouts++;
      retryElsewhere(ctx);
    }
  }

  public List<Ack> acks() {
    return acks;
  }

  /** -ASK redirections followed. */
  public int asks() {
    return asks;
  }

  public int tryagains() {
    return tryagains;
  }

  public int moved() {
    return moved;
  }

  public int abandoned() {
    return abandoned;
  }

  public int clusterDown() {
    return clusterDown;
  }

  public String refusals() {
    return String.join("; ", refusals);
  }

  @Override
  public String describeState() {
    return "acked=" + acks.size() + " moved=" + moved + " asks=" + asks + " tryagains=" + tryagains + " clusterdown=" + clusterDown + " timeouts=" + timeouts + " abandoned=" + abandoned + " cached slots "
        + slotCache.size();
  }
}
