package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/** A client that sends given statements at given times (a lesson's script), and remembers every answer. */
public final class ScheduledClient implements sim.core.Node {
  /** One statement: when, to which coordinator, at which level. */
  public record Step(long atNanos, NodeId coordinator, String cql, ConsistencyLevel consistency) {}

  private record Fire(int index) implements Timer {}

  private final List<Step> steps;
  private final TreeMap<Integer, StatementResult> results;
  private final TreeMap<Integer, Long> answeredAtNanos;

  public ScheduledClient(List<Step> steps, TreeMap<Integer, StatementResult> results, TreeMap<Integer, Long> answeredAtNanos) {
    this.steps = List.copyOf(steps);
    this.results = results;
    this.answeredAtNanos = answeredAtNanos;
  }

  @Override
  public void start(NodeContext ctx) {
    for (int i = 0; i < steps.size(); i++) {
      long delay = steps.get(i).atNanos() - ctx.localTimeNanos();
      if (delay > 0 && !results.containsKey(i)) ctx.setTimer(new Fire(i), delay);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    int i = ((Fire) timer).index();
    Step s = steps.get(i);
    ctx.send(s.coordinator(), new CassandraMessage.Query(i, s.cql(), s.consistency(), ConsistencyLevel.SERIAL));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof CassandraMessage.Result r)) return;
    results.put((int) r.id(), r.result());
    answeredAtNanos.put((int) r.id(), ctx.localTimeNanos());
  }

  @Override
  public String describeState() {
    List<String> out = new ArrayList<>();
    for (var e : results.entrySet()) out.add(e.getKey() + ":" + (e.getValue() instanceof StatementResult.Error er ? er.code() : "ok"));
    return "answers " + out;
  }
}
