package sim.cassandra.cluster;

import java.util.TreeMap;
import sim.cassandra.script.StatementResult;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/** A driver-like client: statements are handed to it from outside; it remembers each answer by id. */
public final class CqlClient implements sim.core.Node {
  private final TreeMap<Long, StatementResult> results = new TreeMap<>();

  @Override
  public void start(NodeContext ctx) {}

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof CassandraMessage.Result r) results.put(r.id(), r.result());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {}

  public StatementResult result(long id) {
    return results.get(id);
  }

  @Override
  public String describeState() {
    return results.size() + " answers";
  }
}
