package sim.es.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.es.engine.EsMessage;
import sim.es.engine.EsTimer;

/**
 * A client of the shard: every tick it indexes a new document {@code dN}; every 7th tick it deletes an
 * older one; every 3rd it runs a match_all search and a realtime GET of the newest id. In the merge-storm
 * workload it also updates a random earlier document every tick, deletes one every other tick, and sends
 * one {@code _forcemerge?max_num_segments=1} at {@code forceMergeAtNanos}. It remembers what was
 * acknowledged and what every search, GET and force merge returned, for the checks.
 */
public final class EsClient implements Node {
  private final NodeId server;
  private final long tickNanos;
  private final boolean storm;
  private final long forceMergeAtNanos;
  private boolean forceMergeSent;
  private sim.core.SimRandom random;
  final List<EsMessage.ForceMergeResponse> forceMerges = new ArrayList<>();
  /** The last write request sent for each id, and the results of the acknowledged ones. */
  final Map<String, Long> lastSent = new java.util.TreeMap<>();
  final Map<Long, String> ackedResults = new LinkedHashMap<>();
  private long requestId;
  private int next;
  final Map<Long, String> pendingCreates = new LinkedHashMap<>();
  final Map<Long, String> pendingDeletes = new LinkedHashMap<>();
  final List<String> ackedCreates = new ArrayList<>();
  final List<String> ackedDeletes = new ArrayList<>();
  /** Every id a delete was sent for: an unacknowledged delete may still have taken effect. */
  final java.util.Set<String> deletesSent = new java.util.TreeSet<>();
  final List<EsMessage.SearchResponse> searches = new ArrayList<>();
  final List<EsMessage.GetResponse> gets = new ArrayList<>();

  public EsClient(NodeId server, long tickNanos) {
    this(server, tickNanos, false, Long.MAX_VALUE);
  }

  public EsClient(NodeId server, long tickNanos, boolean storm, long forceMergeAtNanos) {
    this.server = server;
    this.tickNanos = tickNanos;
    this.storm = storm;
    this.forceMergeAtNanos = forceMergeAtNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    random = ctx.random("client");
    ctx.setTimer(new EsTimer.ClientTick(), tickNanos);
  }

  private void index(NodeContext ctx, String id, int n) {
    long rid = ++requestId;
    pendingCreates.put(rid, id);
    lastSent.put(id, rid);
    String body = "document " + id + " about shards and segments" + (storm ? " version " + n + " merged by the tiered merge policy".repeat(4) : "");
    ctx.send(server, new EsMessage.IndexRequest(rid, id, "{\"body\":\"" + body + "\",\"n\":" + n + "}"));
  }

  private void delete(NodeContext ctx, String victim) {
    long d = ++requestId;
    pendingDeletes.put(d, victim);
    lastSent.put(victim, d);
    deletesSent.add(victim);
    ctx.send(server, new EsMessage.DeleteRequest(d, victim));
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    String id = "d" + next++;
    index(ctx, id, next);
    if (storm && next > 3) {
      index(ctx, "d" + random.nextInt(next - 1), next); // an update: the old version is deleted in its segment
      if (next % 2 == 0) delete(ctx, "d" + random.nextInt(next - 1));
    } else if (next % 7 == 0 && next > 5) {
      delete(ctx, "d" + (next - 5));
    }
    if (!forceMergeSent && ctx.localTimeNanos() >= forceMergeAtNanos) {
      forceMergeSent = true;
      ctx.send(server, new EsMessage.ForceMergeRequest(++requestId, 1, false));
    }
    if (next % 3 == 0) {
      ctx.send(server, new EsMessage.SearchRequest(++requestId));
      long g = ++requestId;
      ctx.send(server, new EsMessage.GetRequest(g, id));
    }
    ctx.setTimer(timer, tickNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof EsMessage.WriteResponse w) {
      ackedResults.put(w.requestId(), w.result());
      String c = pendingCreates.remove(w.requestId());
      if (c != null) ackedCreates.add(c);
      String d = pendingDeletes.remove(w.requestId());
      if (d != null && w.result().equals("deleted")) ackedDeletes.add(d);
    } else if (message instanceof EsMessage.SearchResponse s) {
      searches.add(s);
    } else if (message instanceof EsMessage.GetResponse g) {
      gets.add(g);
    } else if (message instanceof EsMessage.ForceMergeResponse f) {
      forceMerges.add(f);
    }
  }

  @Override
  public String describeState() {
    return ackedCreates.size() + " creates and " + ackedDeletes.size() + " deletes acknowledged, " + pendingCreates.size()
        + " waiting; " + searches.size() + " searches, " + gets.size() + " realtime GETs";
  }
}
