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

/**
 * A client application: it first creates the schema (retrying with IF NOT EXISTS on another coordinator
 * until it sticks), then issues writes and reads on a few keys at its consistency levels, with client-side
 * timestamps (as the Java driver's default timestamp generator does), one at a time, giving up on a
 * request after 6 s (its outcome is then unknown).
 */
public final class WorkloadClient implements sim.core.Node {
  /** What this client does. */
  public record Plan(String name, List<NodeId> coordinators, List<String> schema, String table, int keys, double writeFraction,
      ConsistencyLevel writeCl, ConsistencyLevel readCl, long startNanos, long stopNanos, long gapNanos, boolean lwt, int clientIndex) {}

  /** The client gives up after 6 s: past the coordinator's read_request_timeout (5 s), so it hears the server's timeout first. */
  static final long CLIENT_TIMEOUT_NANOS = 6_000_000_000L;

  private record Tick() implements Timer {}

  private record Timeout(long id) implements Timer {}

  private final Plan plan;
  private final History history;
  private int schemaStep;
  private long nextId = 1;
  private long lastTimestamp;
  private Op current;
  private long currentQuery;
  private int coordinatorIndex;
  private final TreeMap<String, String> lastCasValue = new TreeMap<>();

  public WorkloadClient(Plan plan, History history) {
    this.plan = plan;
    this.history = history;
  }

  @Override
  public void start(NodeContext ctx) {
    // a restarted client starts over with the schema (IF NOT EXISTS) and forgets its open request
    schemaStep = 0;
    ctx.setTimer(new Tick(), Math.max(1, plan.startNanos() / 4));
  }

  private NodeId coordinator() {
    return plan.coordinators().get(coordinatorIndex % plan.coordinators().size());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Timeout t) {
      if (t.id() != currentQuery) return;
      if (current != null) history.unknown(current, "client timeout");
      current = null;
      currentQuery = 0;
      coordinatorIndex++;
      ctx.setTimer(new Tick(), plan.gapNanos());
      return;
    }
    if (currentQuery != 0) return;
    if (schemaStep < plan.schema().size()) {
      send(ctx, plan.schema().get(schemaStep), ConsistencyLevel.ONE);
      return;
    }
    long now = ctx.localTimeNanos();
    if (now < plan.startNanos()) {
      ctx.setTimer(new Tick(), plan.startNanos() - now);
      return;
    }
    if (now >= plan.stopNanos()) return;
    issue(ctx);
  }

  private void issue(NodeContext ctx) {
    String key = "k" + ctx.random("workload").nextInt(plan.keys());
    long id = nextId++;
    if (plan.lwt()) {
      boolean read = ctx.random("workload").chance(1 - plan.writeFraction());
      if (read) {
        current = history.invoke(new Op(id, plan.name(), Op.Kind.READ, plan.table(), key, null, null, 0, ConsistencyLevel.SERIAL, history.now()));
        send(ctx, "SELECT v FROM " + plan.table() + " WHERE k = '" + key + "'", ConsistencyLevel.SERIAL);
        return;
      }
      String expect = lastCasValue.get(key);
      String value = plan.name() + "-" + id;
      current = history.invoke(new Op(id, plan.name(), Op.Kind.CAS, plan.table(), key, value, expect, 0, plan.writeCl(), history.now()));
      String cql = expect == null
          ? "INSERT INTO " + plan.table() + " (k, v) VALUES ('" + key + "', '" + value + "') IF NOT EXISTS"
          : "UPDATE " + plan.table() + " SET v = '" + value + "' WHERE k = '" + key + "' IF v = '" + expect + "'";
      send(ctx, cql, plan.writeCl());
      return;
    }
    if (ctx.random("workload").chance(plan.writeFraction())) {
      long micros = sim.cassandra.cluster.ClusterClock.micros(ctx);
      lastTimestamp = Math.max(micros, lastTimestamp + 1);
      long ts = lastTimestamp * 16 + plan.clientIndex();
      String value = plan.name() + "-" + id;
      current = history.invoke(new Op(id, plan.name(), Op.Kind.WRITE, plan.table(), key, value, null, ts, plan.writeCl(), history.now()));
      send(ctx, "INSERT INTO " + plan.table() + " (k, v) VALUES ('" + key + "', '" + value + "') USING TIMESTAMP " + ts, plan.writeCl());
    } else {
      current = history.invoke(new Op(id, plan.name(), Op.Kind.READ, plan.table(), key, null, null, 0, plan.readCl(), history.now()));
      send(ctx, "SELECT v, writetime(v) FROM " + plan.table() + " WHERE k = '" + key + "'", plan.readCl());
    }
  }

  private void send(NodeContext ctx, String cql, ConsistencyLevel cl) {
    currentQuery = nextId++ * 64 + plan.clientIndex();
    ctx.send(coordinator(), new CassandraMessage.Query(currentQuery, cql, cl, ConsistencyLevel.SERIAL));
    ctx.setTimer(new Timeout(currentQuery), CLIENT_TIMEOUT_NANOS);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof CassandraMessage.Result r) || r.id() != currentQuery) return;
    currentQuery = 0;
    if (schemaStep < plan.schema().size()) {
      if (r.result() instanceof StatementResult.Error e && !e.code().equals("ALREADY_EXISTS")) coordinatorIndex++;
      else schemaStep++;
      ctx.setTimer(new Tick(), 50_000_000L);
      return;
    }
    Op op = current;
    current = null;
    if (op != null) complete(ctx, op, r.result());
    ctx.setTimer(new Tick(), plan.gapNanos());
  }

  private void complete(NodeContext ctx, Op op, StatementResult result) {
    long now = history.now();
    if (result instanceof StatementResult.Error e) {
      // Unavailable is a definite failure (nothing was sent); timeouts leave the outcome unknown
      if (e.code().equals("UNAVAILABLE") || e.code().equals("INVALID")) history.fail(op, now, e.code());
      else history.unknown(op, e.code());
      if (e.code().equals("UNAVAILABLE") || e.code().endsWith("TIMEOUT")) coordinatorIndex++;
      return;
    }
    StatementResult.Rows rows = result instanceof StatementResult.Rows rr ? rr : null;
    if (op.kind == Op.Kind.READ && rows != null) {
      if (!rows.rows().isEmpty()) {
        List<String> row = rows.rows().get(0);
        op.resultValue = unquote(row.get(0));
        if (row.size() > 1 && row.get(1) != null) op.resultTimestamp = Long.parseLong(row.get(1));
      }
    } else if (op.kind == Op.Kind.CAS && rows != null) {
      op.applied = Boolean.parseBoolean(rows.rows().get(0).get(0));
      if (op.applied) lastCasValue.put(op.key, op.value);
      else {
        int at = rows.columns().indexOf("v");
        lastCasValue.put(op.key, at < 0 ? null : unquote(rows.rows().get(0).get(at)));
      }
    }
    history.ok(op, now);
  }

  private static String unquote(String literal) {
    if (literal == null) return null;
    return literal.startsWith("'") ? literal.substring(1, literal.length() - 1).replace("''", "'") : literal;
  }

  @Override
  public String describeState() {
    return plan.name() + ": " + history.count(plan.name()) + " ops" + (current == null ? "" : ", waiting on " + current.label());
  }

  List<Op> ops() {
    return new ArrayList<>(history.ops());
  }
}
