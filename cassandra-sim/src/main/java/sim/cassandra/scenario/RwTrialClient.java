package sim.cassandra.scenario;

import java.util.List;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.cluster.ClusterClock;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * The client of {@code cassandra.rw-table}: it creates the schema, writes 'old' to every trial's key at ALL,
 * then runs the trials one by one: the fault strikes, the write goes out at W with a client-side timestamp,
 * and the moment it is acknowledged the read of the same key goes to another coordinator at R. It gives up
 * on a request after 6 s, as {@link WorkloadClient} does.
 */
final class RwTrialClient implements sim.core.Node {
  /** Between trials: the crashed replica restarts and gossips, the cut links carry the next gossip rounds. */
  static final long GAP_NANOS = 3_000_000_000L;
  static final long THINK_NANOS = 100_000L;
  private static final NodeId FIRST = NodeId.of("n1");

  private enum Stage { SCHEMA, OLD, BETWEEN, WRITE, READ, DONE }

  private record Go() implements Timer {}

  private record GiveUp(long query) implements Timer {}

  private final RwTrials trials;
  private final History history;
  private final List<String> schema;
  private Stage stage = Stage.SCHEMA;
  private int index;
  private long nextQuery = 1;
  private long waitingFor;
  private Op op;
  /** The trial's write, whose timestamp the read must return (or a newer one) to be fresh. */
  private Op acked;
  private long lastTimestamp;
  private int schemaAttempts;

  RwTrialClient(RwTrials trials, History history, List<String> schema) {
    this.trials = trials;
    this.history = history;
    this.schema = schema;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new Go(), 1_000_000_000L);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof GiveUp g) {
      if (g.query() == waitingFor) answered(ctx, new StatementResult.Error("CLIENT_TIMEOUT", "no answer in 6 s"));
      return;
    }
    switch (stage) {
      case SCHEMA -> send(ctx, NodeId.of("n" + (1 + schemaAttempts % 3)), schema.get(index), ConsistencyLevel.ONE);
      case OLD -> write(ctx, FIRST, trials.trials.get(index).key, "old", ConsistencyLevel.ALL);
      case BETWEEN -> beginTrial(ctx, index);
      case READ -> {
        RwTrials.Trial t = trials.trials.get(index);
        op = history.invoke(new Op(nextQuery, "rw", Op.Kind.READ, "ks.kv", t.key, null, null, 0, t.read, history.now()));
        send(ctx, t.readVia, "SELECT v, writetime(v) FROM ks.kv WHERE k = '" + t.key + "'", t.read);
      }
      case WRITE -> {
        RwTrials.Trial t = trials.trials.get(index);
        write(ctx, t.writeVia, t.key, "new", t.write);
        acked = op;
      }
      default -> {}
    }
  }

  private void write(NodeContext ctx, NodeId via, String key, String value, ConsistencyLevel cl) {
    lastTimestamp = Math.max(ClusterClock.micros(ctx), lastTimestamp + 1);
    op = history.invoke(new Op(nextQuery, "rw", Op.Kind.WRITE, "ks.kv", key, value, null, lastTimestamp, cl, history.now()));
    send(ctx, via, "INSERT INTO ks.kv (k, v) VALUES ('" + key + "', '" + value + "') USING TIMESTAMP " + lastTimestamp, cl);
  }

  private void send(NodeContext ctx, NodeId via, String cql, ConsistencyLevel cl) {
    waitingFor = nextQuery++;
    ctx.send(via, new CassandraMessage.Query(waitingFor, cql, cl, ConsistencyLevel.SERIAL));
    ctx.setTimer(new GiveUp(waitingFor), WorkloadClient.CLIENT_TIMEOUT_NANOS);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof CassandraMessage.Result r && r.id() == waitingFor) answered(ctx, r.result());
  }

  private void answered(NodeContext ctx, StatementResult result) {
    waitingFor = 0;
    StatementResult.Error error = result instanceof StatementResult.Error e ? e : null;
    switch (stage) {
      case SCHEMA -> {
        if (error == null || error.code().equals("ALREADY_EXISTS")) index++;
        else schemaAttempts++;
        if (index == schema.size()) next(ctx, Stage.OLD, 0, 100_000_000L);
        else ctx.setTimer(new Go(), 100_000_000L);
      }
      case OLD -> {
        complete(op, error);
        if (index + 1 < trials.trials.size()) next(ctx, Stage.OLD, index + 1, 10_000_000L);
        else next(ctx, Stage.BETWEEN, 0, GAP_NANOS);
      }
      case WRITE -> {
        RwTrials.Trial t = trials.trials.get(index);
        complete(op, error);
        trials.writeDone(t, error == null);
        if (error != null) {
          t.outcome = RwTrials.Outcome.UNACKNOWLEDGED;
          t.note = "the write failed: " + error.code();
          endTrial(ctx);
          return;
        }
        // the read follows the acknowledgement after a moment's think time, so it begins strictly after
        // the write ended, as the safety check orders them
        next(ctx, Stage.READ, index, THINK_NANOS);
      }
      case READ -> {
        RwTrials.Trial t = trials.trials.get(index);
        if (result instanceof StatementResult.Rows rows && !rows.rows().isEmpty()) {
          List<String> row = rows.rows().get(0);
          op.resultValue = row.get(0) == null ? null : row.get(0).replace("'", "");
          if (row.size() > 1 && row.get(1) != null) op.resultTimestamp = Long.parseLong(row.get(1));
        }
        complete(op, error);
        if (error != null) {
          t.outcome = RwTrials.Outcome.UNANSWERED;
          t.note = "the read failed: " + error.code();
        } else {
          t.outcome = op.resultTimestamp >= acked.timestamp ? RwTrials.Outcome.FRESH : RwTrials.Outcome.STALE;
          t.note = "the read returned " + (op.resultValue == null ? "no row" : "'" + op.resultValue + "'");
        }
        endTrial(ctx);
      }
      default -> {}
    }
  }

  private void complete(Op o, StatementResult.Error error) {
    if (error == null) {
      history.ok(o, history.now());
    } else if (error.code().equals("UNAVAILABLE") || error.code().equals("INVALID")) {
      history.fail(o, history.now(), error.code());
    } else {
      history.unknown(o, error.code());
    }
  }

  private void beginTrial(NodeContext ctx, int i) {
    if (i == trials.trials.size()) {
      stage = Stage.DONE;
      return;
    }
    stage = Stage.WRITE;
    index = i;
    if (trials.strike(trials.trials.get(i))) ctx.setTimer(new Go(), 1_000_000L);
    else endTrial(ctx);
  }

  private void endTrial(NodeContext ctx) {
    trials.undo(trials.trials.get(index));
    next(ctx, Stage.BETWEEN, index + 1, GAP_NANOS);
  }

  private void next(NodeContext ctx, Stage s, int i, long delay) {
    stage = s;
    index = i;
    ctx.setTimer(new Go(), delay);
  }

  @Override
  public String describeState() {
    return stage == Stage.DONE ? "all trials done" : stage.name().toLowerCase(java.util.Locale.ROOT) + " " + index;
  }
}
