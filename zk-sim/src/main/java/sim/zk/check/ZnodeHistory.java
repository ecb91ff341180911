package sim.zk.check;

import java.util.ArrayList;
import java.util.List;
import sim.core.check.CheckResult;
import sim.core.check.Excuse;
import sim.core.lin.Linearizability;
import sim.core.lin.Operation;
import sim.zk.check.ZnodeModel.Answer;
import sim.zk.check.ZnodeModel.Call;
import sim.zk.client.ZkClient;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * The znode operations clients saw, as a history for the linearizability checker: each write from when it
 * was handed to the client to when the client had its answer. A lost connection leaves a write's outcome
 * unknown (it may or may not have been applied); a SESSIONEXPIRED answer means it was never applied.
 * (Times are the clients' clocks, which no fault plan skews.)
 */
public final class ZnodeHistory {
  private final List<Operation<Call, Answer>> ops = new ArrayList<>();
  /** Operations a real-system rule allows to be non-linearizable, by id, and how the excuse names them. */
  private final java.util.TreeMap<Integer, String> excusable = new java.util.TreeMap<>();

  /** Adds {@code c}'s writes to plain znodes: create (not sequential or ephemeral), setData, delete. */
  public ZnodeHistory writesOf(int clientNo, ZkClient c) {
    for (ZkClient.Completed d : c.completed()) {
      Call call = callOf(d.op());
      if (call != null) add(clientNo, call, d.result(), d.submittedNanos(), d.atNanos());
    }
    for (ZkClient.Submitted s : c.open()) {
      Call call = callOf(s.op());
      if (call != null) ops.add(new Operation<>(ops.size(), clientNo, call, null, s.atNanos(), Long.MAX_VALUE, Operation.Outcome.UNKNOWN));
    }
    return this;
  }

  /**
   * Adds {@code c}'s {@code sync} + {@code getData} pairs on one path as single reads from the sync's start
   * to the read's answer. A pair whose read is at {@code index} (of the client's completed operations) with
   * {@code excusable.test(index)} may be excused by the rule given to {@link #check(String, String)}.
   */
  public ZnodeHistory syncedReadsOf(int clientNo, ZkClient c, java.util.function.IntPredicate excusableRead) {
    List<ZkClient.Completed> done = c.completed();
    for (int i = 1; i < done.size(); i++) {
      ZkClient.Completed sync = done.get(i - 1);
      ZkClient.Completed read = done.get(i);
      if (!(sync.result() instanceof OpResult.Synced) || !(read.op() instanceof Op.GetData g) || !g.path().equals(sync.op().path())) continue;
      Answer a = read.result() instanceof OpResult.Data data ? Answer.ok(data.stat().version(), data.data())
          : read.result() instanceof OpResult.Failed f && f.code() == KeeperCode.NONODE ? Answer.error(KeeperCode.NONODE) : null;
      if (a == null) continue;
      Operation<Call, Answer> op = new Operation<>(ops.size(), clientNo, new ZnodeModel.SyncedRead(g.path()), a, sync.submittedNanos(), read.atNanos(), Operation.Outcome.OK);
      ops.add(op);
      if (excusableRead.test(i)) excusable.put(op.id(), "sync+read of " + g.path() + " -> " + a + " at " + sim.core.Durations.format(read.atNanos()));
    }
    return this;
  }

  private static Call callOf(Op op) {
    if (op instanceof Op.Create c && !c.sequential() && !c.ephemeral()) return new ZnodeModel.Create(c.path(), c.data());
    if (op instanceof Op.SetData s) return new ZnodeModel.SetData(s.path(), s.data(), s.version());
    if (op instanceof Op.Delete d) return new ZnodeModel.Delete(d.path(), d.version());
    return null;
  }

  private void add(int clientNo, Call call, OpResult r, long invoked, long answered) {
    if (r instanceof OpResult.Failed f && f.code() == KeeperCode.CONNECTIONLOSS) {
      ops.add(new Operation<>(ops.size(), clientNo, call, null, invoked, Long.MAX_VALUE, Operation.Outcome.UNKNOWN));
    } else if (r instanceof OpResult.Failed f && f.code() == KeeperCode.SESSIONEXPIRED) {
      ops.add(new Operation<>(ops.size(), clientNo, call, null, invoked, answered, Operation.Outcome.FAIL));
    } else {
      ops.add(new Operation<>(ops.size(), clientNo, call, answerOf(r), invoked, answered, Operation.Outcome.OK));
    }
  }

  private static Answer answerOf(OpResult r) {
    if (r instanceof OpResult.Failed f) return Answer.error(f.code());
    if (r instanceof OpResult.StatOnly s && s.stat() != null) return Answer.ok(s.stat().version(), null);
    if (r instanceof OpResult.Created) return Answer.ok(0, null);
    return Answer.ok(-1, null);
  }

  public List<Operation<Call, Answer>> operations() {
    return ops;
  }

  /** A safety verdict: linearizable (or undecided within the search budget, which is not a violation). */
  public CheckResult check(String name) {
    Linearizability.Result<Call, Answer> r = Linearizability.check(new ZnodeModel(), ops);
    if (r.linearizable() || r.exhausted()) return CheckResult.ok(name, r.describe() + " (znode writes" + (hasReads() ? " and sync+read" : "") + ")");
    return CheckResult.failed(name, r.describe());
  }

  /**
   * As {@link #check(String)}, but if the history is not linearizable and becomes so without the excusable
   * operations (those {@code rule} allows to misbehave), the verdict is EXPECTED with that rule and exactly
   * those operations.
   */
  public CheckResult check(String name, String rule) {
    CheckResult all = check(name);
    if (all.ok() || excusable.isEmpty()) return all;
    ZnodeHistory rest = new ZnodeHistory();
    for (Operation<Call, Answer> op : ops) if (!excusable.containsKey(op.id())) rest.ops.add(op);
    if (!rest.check(name).ok()) return all;
    return CheckResult.excused(name, Excuse.of(rule, new ArrayList<>(excusable.values())),
        all.detail() + "\n  linearizable without the " + excusable.size() + " operation(s) the rule covers");
  }

  private boolean hasReads() {
    for (Operation<Call, Answer> op : ops) if (op.input() instanceof ZnodeModel.SyncedRead) return true;
    return false;
  }
}
