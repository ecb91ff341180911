package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * A workload driver: sends one statement every {@code intervalNanos}, from a fixed script or an
 * endless generator, without waiting for replies (a waiting statement holds only its own session).
 * Remembers when each statement was sent and what came back.
 */
public final class PgClient implements Node {
  /** Statement number n (0-based) → session and SQL (and optionally the server to send it to); null ends the workload. */
  public interface Workload {
    String[] statement(long n);
  }

  public record Sent(long id, String session, String sql, long sentNanos) {}

  public record Outcome(Sent sent, String outcome, long repliedNanos) {}

  private final NodeId server;
  private final long intervalNanos;
  private final Workload workload;
  final Map<Long, Sent> sent = new TreeMap<>();
  final Map<Long, Outcome> replies = new TreeMap<>();
  private long next;

  public PgClient(NodeId server, long intervalNanos, Workload workload) {
    this.server = server;
    this.intervalNanos = intervalNanos;
    this.workload = workload;
  }

  /** A fixed script of {session, sql} pairs. */
  public static Workload script(List<String[]> steps) {
    List<String[]> copy = new ArrayList<>(steps);
    return n -> n < copy.size() ? copy.get((int) n) : null;
  }

  public Map<Long, Sent> sent() {
    return sent;
  }

  public Map<Long, Outcome> replies() {
    return replies;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new PgTimer.NextStatement(), intervalNanos);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    String[] st = workload.statement(next);
    if (st == null) return;
    long id = next++;
    sent.put(id, new Sent(id, st[0], st[1], ctx.localTimeNanos()));
    ctx.send(st.length > 2 ? NodeId.of(st[2]) : server, new PgMessage.Query(st[0], id, st[1]));
    ctx.setTimer(timer, intervalNanos);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof PgMessage.Reply r)) return;
    Sent s = sent.get(r.id());
    if (s != null) replies.put(r.id(), new Outcome(s, r.outcome(), ctx.localTimeNanos()));
  }

  @Override
  public String describeState() {
    return "sent " + sent.size() + ", replies " + replies.size();
  }
}
