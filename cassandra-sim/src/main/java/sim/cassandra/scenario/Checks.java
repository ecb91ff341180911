package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.storage.CommitLogSync;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.lin.Linearizability;
import sim.core.lin.Models;
import sim.core.lin.Operation;
import sim.core.trace.TraceEvent;

/** The checks Cassandra's lessons share: acknowledged writes stay readable, SSTables stay immutable, LWTs are linearizable. */
final class Checks {
  private Checks() {}

  /** Crash times per node, and writes to SSTable files that already had a TOC: what the checks judge by. */
  static final class Watch {
    final TreeMap<String, List<Long>> crashes = new TreeMap<>();
    final List<String> sstableRewrites = new ArrayList<>();
    private final TreeMap<String, TreeSet<String>> complete = new TreeMap<>();
    final TreeMap<String, Integer> points = new TreeMap<>();

    Watch(Simulation sim) {
      sim.trace().addListener(this::onEvent);
    }

    private void onEvent(TraceEvent e) {
      points.merge(e.kind(), 1, Integer::sum);
      if (e.kind().equals("crash")) crashes.computeIfAbsent(e.node(), k -> new ArrayList<>()).add(e.timeNanos());
      if (!e.kind().equals("disk.write") && !e.kind().equals("disk.truncate")) return;
      String d = e.detail();
      int at = d.indexOf('@');
      String file = at < 0 ? d : d.substring(0, at);
      if (!file.startsWith("data/")) return;
      String sstable = file.substring(0, file.lastIndexOf('-') + 1);
      TreeSet<String> done = complete.computeIfAbsent(e.node(), k -> new TreeSet<>());
      if (done.contains(sstable)) sstableRewrites.add(e.node() + " rewrote " + file + " at " + e.timeNanos() + "ns");
      if (file.endsWith("-TOC.txt")) done.add(sstable);
    }

    int seen(String kind) {
      return points.getOrDefault(kind, 0);
    }
  }

  /** SAFETY: an SSTable is written once; nothing writes to its files after its TOC exists. */
  static String sstablesImmutable(Watch w) {
    return w.sstableRewrites.isEmpty() ? null : "SSTables modified after they were complete: " + w.sstableRewrites;
  }

  /**
   * SAFETY: a read at R with R + W > RF sees every write acknowledged at W before the read began: it
   * returns that write's timestamp or a newer one. Allowed, and named: under {@code commitlog_sync:
   * periodic}, a write whose replicas crashed before their next sync (within commitlog_sync_period of
   * the acknowledgement) may be lost.
   */
  static CheckResult ackedWritesReadable(String name, History h, int rf, CommitLogSync sync, long syncPeriodNanos, Watch w, List<String> replicaNames) {
    List<String> lost = new ArrayList<>();
    TreeSet<String> excusable = new TreeSet<>();
    int reads = 0;
    for (Op r : h.ops()) {
      if (r.kind != Op.Kind.READ || r.status != Op.Status.OK) continue;
      Op last = null;
      for (Op wr : h.ops()) {
        if (wr.kind != Op.Kind.WRITE || wr.status != Op.Status.OK || !wr.table.equals(r.table) || !wr.key.equals(r.key) || wr.completedNanos >= r.invokedNanos) continue;
        if (blockFor(r.consistency, rf) + blockFor(wr.consistency, rf) <= rf) continue;
        if (last == null || wr.timestamp > last.timestamp) last = wr;
      }
      if (last == null) continue;
      reads++;
      if (r.resultTimestamp >= last.timestamp) continue;
      String record = last.label() + " missed by " + r.label();
      lost.add(record);
      if (sync == CommitLogSync.PERIODIC && replicaCrashedWithin(w, replicaNames, last.completedNanos, syncPeriodNanos + 2_000_000_000L)) excusable.add(record);
    }
    String detail = reads + " reads with R + W > RF checked against the last write acknowledged before them";
    return CheckResult.losses(name, detail, lost, Map.of(
        "commitlog_sync: periodic: a replica that crashes before its next sync (every commitlog_sync_period, 10000 ms) loses the writes it acknowledged since the last one", excusable));
  }

  private static boolean replicaCrashedWithin(Watch w, List<String> replicas, long fromNanos, long windowNanos) {
    for (String n : replicas) {
      for (long t : w.crashes.getOrDefault(n, List.of())) if (t >= fromNanos - 1_000_000_000L && t <= fromNanos + windowNanos) return true;
    }
    return false;
  }

  static int blockFor(sim.cassandra.script.ConsistencyLevel cl, int rf) {
    return switch (cl) {
      case ONE, LOCAL_ONE, ANY -> 1;
      case TWO -> 2;
      case THREE -> 3;
      case QUORUM, LOCAL_QUORUM, SERIAL, LOCAL_SERIAL, EACH_QUORUM -> rf / 2 + 1;
      case ALL -> rf;
    };
  }

  /** SAFETY: the LWT history (CAS and SERIAL reads) is linearizable, key by key. */
  static CheckResult lwtLinearizable(String name, History h) {
    List<Operation<Models.KeyOp, Object>> ops = new ArrayList<>();
    int id = 0;
    for (Op o : h.ops()) {
      Models.RegisterOp op;
      Object out = null;
      if (o.kind == Op.Kind.READ) {
        op = new Models.Read();
        out = o.resultValue;
      } else if (o.kind == Op.Kind.CAS) {
        op = new Models.Cas(o.expect, o.value);
        out = o.applied;
      } else {
        continue;
      }
      Operation.Outcome outcome = switch (o.status) {
        case OK -> Operation.Outcome.OK;
        case FAILED -> Operation.Outcome.FAIL;
        default -> Operation.Outcome.UNKNOWN;
      };
      ops.add(new Operation<>(id++, Math.abs(o.client.hashCode() % 1000), new Models.KeyOp(o.key, op), out, o.invokedNanos,
          o.completedNanos < 0 ? Long.MAX_VALUE : o.completedNanos, outcome));
    }
    Linearizability.Result<Models.KeyOp, Object> r = Linearizability.check(Models.kv(), ops);
    if (r.exhausted()) return CheckResult.ok(name, r.describe() + " (not a violation)");
    return CheckResult.of(name, r.linearizable(), r.linearizable() ? r.describe() : r.describe() + chainBreaks(h));
  }

  /** Where the chain of applied compare-and-sets breaks: a CAS applied on a value no applied CAS produced, or produced twice. */
  private static String chainBreaks(History h) {
    StringBuilder b = new StringBuilder();
    TreeMap<String, List<Op>> producedBy = new TreeMap<>();
    for (Op o : h.ops()) if (o.kind == Op.Kind.CAS && !Boolean.FALSE.equals(o.applied)) producedBy.computeIfAbsent(o.key + "=" + o.value, k -> new ArrayList<>()).add(o);
    TreeMap<String, List<Op>> consumedBy = new TreeMap<>();
    for (Op o : h.ops()) {
      if (o.kind != Op.Kind.CAS || !Boolean.TRUE.equals(o.applied)) continue;
      consumedBy.computeIfAbsent(o.key + "=" + o.expect, k -> new ArrayList<>()).add(o);
      if (o.expect != null && !producedBy.containsKey(o.key + "=" + o.expect)) b.append("\n    applied on a value nothing wrote: ").append(o);
    }
    for (var e : consumedBy.entrySet()) if (e.getValue().size() > 1) b.append("\n    two CAS applied on ").append(e.getKey()).append(": ").append(e.getValue());
    return b.toString();
  }
}
