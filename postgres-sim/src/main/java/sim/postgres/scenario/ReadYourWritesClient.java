package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * Writes a row on the primary and, the moment the COMMIT is acknowledged, reads it back on the standby:
 * first {@code rounds} times with synchronous_commit=on, then as many with remote_apply.
 */
final class ReadYourWritesClient implements Node {
  /** One write and the standby read that followed it. */
  record Round(int id, String level, long insertQuery, long ackNanos, Boolean seen) {}

  private sealed interface Tick extends Timer {}

  private record Next() implements Tick {}

  private record GiveUp(long seq) implements Tick {}

  private final NodeId primary;
  private final NodeId standby;
  private final int rounds;
  final List<Round> done = new ArrayList<>();
  private int id;
  private long seq;
  private String step = "";
  private long ackNanos;
  private long insertQuery;
  private String level = "";

  ReadYourWritesClient(NodeId primary, NodeId standby, int rounds) {
    this.primary = primary;
    this.standby = standby;
    this.rounds = rounds;
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new Next(), 300_000_000L); // after the standby's base backup
  }

  private void send(NodeContext ctx, NodeId to, String session, String what, String sql) {
    step = what;
    seq++;
    ctx.send(to, new PgMessage.Query(session, seq, sql));
    ctx.setTimer(new GiveUp(seq), 1_000_000_000L);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof GiveUp g) {
      if (g.seq() != seq) return;
      step = "";
      advance(ctx); // a lost statement or reply (faults): go on with the next round
    } else if (timer instanceof Next) {
      advance(ctx);
    }
  }

  private void advance(NodeContext ctx) {
    if (id == 0) {
      id = 1;
      send(ctx, primary, "w", "create", "create table t (id int primary key, note text)");
      return;
    }
    if (id > 2 * rounds) return;
    String want = id <= rounds ? "on" : "remote_apply";
    if (!want.equals(level)) {
      level = want;
      send(ctx, primary, "w", "set", "set synchronous_commit = " + want);
      return;
    }
    send(ctx, primary, "w", "insert", "insert into t values (" + id + ", '" + level + "')");
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof PgMessage.Reply r) || r.id() != seq) return;
    switch (step) {
      case "create", "set" -> {
        step = "";
        advance(ctx);
      }
      case "insert" -> {
        if (!r.outcome().equals("count 1")) {
          id++;
          step = "";
          ctx.setTimer(new Next(), 20_000_000L);
          return;
        }
        ackNanos = ctx.localTimeNanos();
        insertQuery = seq;
        send(ctx, standby, "r", "read", "select id from t where id = " + id);
      }
      case "read" -> {
        Boolean seen = r.isError() ? null : !r.outcome().equals("rows []");
        done.add(new Round(id, level, insertQuery, ackNanos, seen));
        id++;
        step = "";
        ctx.setTimer(new Next(), 20_000_000L);
      }
      default -> { }
    }
  }

  @Override
  public String describeState() {
    return "round " + id + " (" + level + "), " + done.size() + " reads done";
  }
}
