package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * The hot standby report: 100 rows on the primary; once s1 has them, two REPEATABLE READ transactions on
 * s1 read them (a report that then runs a long statement, pg_sleep, and a session left idle in its
 * transaction); meanwhile the primary deletes half the rows and VACUUMs; then both read again. Each step
 * goes on after its reply or, when faults lose it, after its timeout.
 */
final class StandbyReportClient implements Node {
  static final String READ = "select count(*), sum(v) from t";
  static final long LONG_STATEMENT_SECONDS = 40;

  /** One scripted statement: a label the checks use, where it runs, and how long to wait for its reply. */
  record Step(String label, NodeId server, String session, String sql, long timeoutNanos, String pollUntil) {}

  /** A reply (or none: null outcome) to a step, with when it was sent and answered. */
  record Outcome(String label, String outcome, long sentNanos, long repliedNanos) {}

  private record Timeout(long seq) implements Timer {}

  private record Retry(long seq) implements Timer {}

  private final List<Step> script = new ArrayList<>();
  final Map<String, Outcome> outcomes = new LinkedHashMap<>();
  private int at;
  private long seq;
  private long sentNanos;
  private int polls;
  /** The long statement's query id and, once it came, its reply. */
  private long sleepSeq = -1;
  private long sleepSentNanos;
  private Outcome sleepReply;

  StandbyReportClient(NodeId primary, NodeId standby, boolean vacuumAfter) {
    long second = Durations.seconds(1);
    script.add(new Step("create", primary, "w", "create table t (id int primary key, v int)", second, null));
    script.add(new Step("load", primary, "w", "insert into t select g, g from generate_series(1, 100) g", second, null));
    script.add(new Step("replicated", standby, "p", "select count(*) from t", Durations.millis(200), "rows [[100]]"));
    script.add(new Step("report.begin", standby, "report", "begin isolation level repeatable read", second, null));
    script.add(new Step("report.read1", standby, "report", READ, second, null));
    script.add(new Step("idle.begin", standby, "idle", "begin isolation level repeatable read", second, null));
    script.add(new Step("idle.read1", standby, "idle", READ, second, null));
    script.add(new Step("report.sleep", standby, "report", "select pg_sleep(" + LONG_STATEMENT_SECONDS + ")", 0, null));
    script.add(new Step("delete", primary, "w", "delete from t where id <= 50", second, null));
    script.add(new Step("vacuum", primary, "w", "vacuum t", second, null));
    script.add(new Step("report.sleep.reply", null, "report", null, Durations.seconds(LONG_STATEMENT_SECONDS + 5), null));
    script.add(new Step("report.read2", standby, "report", READ, second, null));
    script.add(new Step("report.end", standby, "report", "rollback", second, null));
    script.add(new Step("idle.read2", standby, "idle", READ, second, null));
    script.add(new Step("idle.end", standby, "idle", "rollback", second, null));
    script.add(new Step("caught-up", standby, "p", READ, Durations.millis(200), "rows [[50, 3775]]"));
    if (vacuumAfter) { // at once (s1's last feedback still holds the rows), and after s1's next feedback
      script.add(new Step("vacuum.at-once", primary, "w", "vacuum t", second, null));
      script.add(new Step("pause", primary, "w", "select pg_sleep(1)", Durations.seconds(2), null));
      script.add(new Step("vacuum.after", primary, "w", "vacuum t", second, null));
    }
  }

  @Override
  public void start(NodeContext ctx) {
    ctx.setTimer(new Retry(seq), Durations.millis(300)); // after the standby's base backup
  }

  private void run(NodeContext ctx) {
    if (at >= script.size()) return;
    Step s = script.get(at);
    seq++;
    if (s.sql() == null) { // waits for the long statement's reply
      if (sleepReply != null) finish(ctx, sleepReply.outcome(), sleepReply.repliedNanos());
      else ctx.setTimer(new Timeout(seq), s.timeoutNanos());
      return;
    }
    sentNanos = ctx.localTimeNanos();
    ctx.send(s.server(), new PgMessage.Query(s.session(), seq, s.sql()));
    if (s.timeoutNanos() > 0) {
      ctx.setTimer(new Timeout(seq), s.timeoutNanos());
      return;
    }
    sleepSeq = seq; // sent; a later step waits for its reply
    sleepSentNanos = sentNanos;
    at++;
    run(ctx);
  }

  /** The step at {@code at} is over (answered, or timed out: a null outcome): note it and go on. */
  private void finish(NodeContext ctx, String outcome, long repliedNanos) {
    Step s = script.get(at);
    if (s.pollUntil() != null && !s.pollUntil().equals(outcome) && ++polls < 300) {
      ctx.setTimer(new Retry(++seq), Durations.millis(50)); // not there yet: ask again
      return;
    }
    polls = 0;
    long sent = s.sql() == null ? sleepSentNanos : sentNanos;
    outcomes.put(s.label(), new Outcome(s.label(), outcome, sent, repliedNanos));
    at++;
    run(ctx);
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Retry r && r.seq() == seq) run(ctx);
    else if (timer instanceof Timeout t && t.seq() == seq && at < script.size()) finish(ctx, null, 0);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (!(message instanceof PgMessage.Reply r)) return;
    if (r.id() == sleepSeq && sleepReply == null) {
      sleepReply = new Outcome("report.sleep.reply", r.outcome(), sleepSentNanos, ctx.localTimeNanos());
      if (at < script.size() && script.get(at).sql() == null) finish(ctx, r.outcome(), ctx.localTimeNanos());
      return;
    }
    if (r.id() != seq || at >= script.size() || script.get(at).sql() == null) return;
    finish(ctx, r.outcome(), ctx.localTimeNanos());
  }

  @Override
  public String describeState() {
    return at < script.size() ? "at step " + script.get(at).label() + ", " + outcomes.size() + " answered" : "script done";
  }
}
