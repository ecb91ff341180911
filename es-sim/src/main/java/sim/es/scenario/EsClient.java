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
 * older one; every 3rd it runs a match_all search and a realtime GET of the newest id. It remembers what
 * was acknowledged and what every search and GET returned, for the checks.
 */
public final class EsClient implements Node {
  private final NodeId server;
  private final long tickNanos;
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
    this.server = server;
    this.tickNanos = tickNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new EsTimer.ClientTick(), tickNanos);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    String id = "d" + next++;
    long rid = ++requestId;
    pendingCreates.put(rid, id);
    ctx.send(server, new EsMessage.IndexRequest(rid, id, "{\"body\":\"document " + id + " about shards and segments\",\"n\":" + next + "}"));
    if (next % 7 == 0 && next > 5) {
      long d = ++requestId;
      String victim = "d" + (next - 5);
      pendingDeletes.put(d, victim);
      deletesSent.add(victim);
      ctx.send(server, new EsMessage.DeleteRequest(d, victim));
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
      String c = pendingCreates.remove(w.requestId());
      if (c != null) ackedCreates.add(c);
      String d = pendingDeletes.remove(w.requestId());
      if (d != null && w.result().equals("deleted")) ackedDeletes.add(d);
    } else if (message instanceof EsMessage.SearchResponse s) {
      searches.add(s);
    } else if (message instanceof EsMessage.GetResponse g) {
      gets.add(g);
    }
  }

  @Override
  public String describeState() {
    return ackedCreates.size() + " creates and " + ackedDeletes.size() + " deletes acknowledged, " + pendingCreates.size()
        + " waiting; " + searches.size() + " searches, " + gets.size() + " realtime GETs";
  }
}
