package sim.redis.scenario;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.core.trace.TraceListener;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;
import sim.redis.node.RedisNode;
import sim.redis.node.WorkloadClient;

/**
 * Watches one server and its writer across crashes, from the kernel's facts: the trace tells when the server
 * crashed, paused and resumed and which disk faults were injected; after every event the ledger stamps the
 * writer's new acknowledgements with the simulated time and, when a new incarnation came up, reads what it
 * loaded and records a {@link Recovery}.
 *
 * <p>The writer sends {@code SET k<i> i} one at a time and resends an unanswered write, so the acknowledged
 * writes are always k0..k(acked-1). {@link #judgeLosses} then decides, write by write, whether a lost
 * acknowledged write is one real Redis may lose under the configuration and the faults of this run: each rule
 * names itself and exactly the writes it covers.
 */
final class RecoveryLedger implements TraceListener {
  /** One restart that loaded (or refused) the data directory after a crash. */
  record Recovery(int incarnation, long crashAtNanos, long loadAtNanos, int segmentStart, int ackedAtCrash, int issuedAtCrash,
      int recoveredPrefix,
      boolean exactPrefix, String loadedFrom, String refusal, boolean dirUntouched, long fsyncLatencyNanos,
      long oldestLostAgeNanos) {
    int lostAcked() {
      return refusal != null ? ackedAtCrash : Math.max(0, ackedAtCrash - recoveredPrefix);
    }

    String describe() {
      if (refusal != null) return "incarnation " + incarnation + " refused to load: " + refusal;
      String recovered = recoveredPrefix == segmentStart ? "recovered none of k" + segmentStart + ".."
          : "recovered k" + segmentStart + "..k" + (recoveredPrefix - 1);
      return "incarnation " + incarnation + ": acked " + ackedAtCrash + ", issued " + issuedAtCrash + ", " + recovered
          + (exactPrefix ? "" : " WITH GAPS") + ", lost " + lostAcked() + " acked"
          + (lostAcked() > 0 ? " (the oldest acknowledged " + oldestLostAgeNanos / 1_000_000 + " ms before the crash)" : "")
          + "; loaded " + loadedFrom;
    }
  }

  private final Simulation sim;
  private final NodeId server;
  private final NodeId client;
  private final RedisConfig config;
  private final String node;

  private final List<Long> ackTimesNanos = new ArrayList<>();
  private final List<List<Long>> callsNanos = new ArrayList<>(); // when the server ran SET k<i>, each time
  private final List<Long> crashesNanos = new ArrayList<>();
  private final List<long[]> pauses = new ArrayList<>(); // [from, to) when the server was paused
  private long pausedSince = -1;
  private final Map<Object, Long> forkAtByPid = new LinkedHashMap<>();
  private final List<Long> completedSnapshotAt = new ArrayList<>(); // the instant each completed save captured
  private final List<long[]> aofErrors = new ArrayList<>(); // [start, end or MAX]
  private long diskFaultAt = Long.MAX_VALUE; // first eio / fsync-eio / full injected into this node's disk
  private final List<long[]> corruptions = new ArrayList<>(); // [fault time]

  private int seenIncarnation;
  private boolean serving;
  private long crashAtNanos = -1; // the crash of the last serving incarnation, not yet followed by a load
  private int ackedAtCrash;
  private int issuedAtCrash;
  private long maxFsyncLatencyNanos;
  private final List<int[]> durableSegments = new ArrayList<>();
  private int segmentStart;
  final List<Recovery> recoveries = new ArrayList<>();

  RecoveryLedger(Simulation sim, NodeId server, NodeId client, RedisConfig config) {
    this.sim = sim;
    this.server = server;
    this.client = client;
    this.config = config;
    this.node = server.name();
    this.seenIncarnation = sim.incarnation(server);
    this.serving = sim.isUp(server) && sim.node(server, RedisNode.class).refusal() == null;
    sim.trace().addListener(this);
  }

  @Override
  public void onEvent(TraceEvent e) {
    if (!e.node().equals(node)) return;
    long t = e.timeNanos();
    switch (e.kind()) {
      case "pause" -> pausedSince = t;
      case "resume" -> endPause(t);
      case "crash" -> {
        crashesNanos.add(t);
        endPause(t);
        closeAofErrors(t);
        if (serving) {
          crashAtNanos = t;
          serving = false;
        }
      }
      case "fault" -> {
        if (e.detail().contains(" eio") || e.detail().contains(" fsync-eio") || e.detail().endsWith(" full")) {
          diskFaultAt = Math.min(diskFaultAt, t);
        }
      }
      case "disk.corrupt" -> corruptions.add(new long[] {t});
      case "redis.call" -> noteCall(e.attribute("key"), t);
      case "redis.rdb.fork" -> forkAtByPid.put(e.attribute("pid"), t);
      case "redis.rdb.done" -> {
        Long at = forkAtByPid.get(e.attribute("pid"));
        if (at != null) completedSnapshotAt.add(at);
      }
      case "redis.rdb.save" -> completedSnapshotAt.add(t);
      case "redis.aof.error" -> {
        if (t >= diskFaultAt) aofErrors.add(new long[] {t, Long.MAX_VALUE});
      }
      case "redis.aof.error-solved" -> closeAofErrors(t);
      default -> { }
    }
  }

  private void noteCall(Object key, long t) {
    if (!(key instanceof String k) || k.length() < 2 || k.charAt(0) != 'k') return;
    int i;
    try {
      i = Integer.parseInt(k.substring(1));
    } catch (NumberFormatException notOurs) {
      return;
    }
    if (i < 0 || i > 10_000_000) return;
    while (callsNanos.size() <= i) callsNanos.add(new ArrayList<>(1));
    callsNanos.get(i).add(t);
  }

  /**
   * When the server ran write {@code i} in the incarnation that answered it: the earliest run with no crash
   * between it and the last run before the acknowledgement (a run in an incarnation that crashed before
   * answering counts for nothing). Its bytes, and its reply, start there.
   */
  private long executedAt(int i) {
    long ack = ackTimesNanos.get(i);
    List<Long> runs = i < callsNanos.size() ? callsNanos.get(i) : List.of();
    long last = -1;
    for (long t : runs) if (t <= ack) last = Math.max(last, t);
    if (last < 0) return ack;
    long segmentStart = Long.MIN_VALUE;
    for (long c : crashesNanos) if (c <= last) segmentStart = Math.max(segmentStart, c);
    long first = last;
    for (long t : runs) if (t >= segmentStart && t < first) first = t;
    return first;
  }

  private void endPause(long t) {
    if (pausedSince < 0) return;
    pauses.add(new long[] {pausedSince, t});
    pausedSince = -1;
  }

  private void closeAofErrors(long t) {
    for (long[] p : aofErrors) if (p[1] == Long.MAX_VALUE) p[1] = t;
  }

  /** After every event: stamp new acknowledgements, follow the server's incarnations. Never a violation itself. */
  void observe() {
    WorkloadClient c = sim.node(client, WorkloadClient.class);
    while (ackTimesNanos.size() < c.acked()) ackTimesNanos.add(sim.nowNanos());
    maxFsyncLatencyNanos = Math.max(maxFsyncLatencyNanos, sim.disk(server).fsyncLatencyNanos());
    if (crashAtNanos >= 0 && !serving) {
      ackedAtCrash = c.acked(); // replies already in flight at the crash still count: they were sent before it
      issuedAtCrash = Math.max(issuedAtCrash, c.issued());
    }
    if (!sim.isUp(server) || sim.incarnation(server) == seenIncarnation) return;
    seenIncarnation = sim.incarnation(server);
    RedisNode n = sim.node(server, RedisNode.class);
    if (n.exitedOnIoErrorAtStart()) return; // exit(1) before serving: the files are judged at the next load
    if (crashAtNanos < 0) crashAtNanos = sim.nowNanos();
    if (n.refusal() != null) {
      recoveries.add(new Recovery(seenIncarnation, crashAtNanos, sim.nowNanos(), segmentStart, ackedAtCrash, issuedAtCrash, 0, true, "", n.refusal(),
          n.dirUntouchedByRefusal(), maxFsyncLatencyNanos,
          ackedAtCrash > 0 ? crashAtNanos - ackTimesNanos.get(0) : 0));
      return;
    }
    serving = true;
    recordLoad(n, c);
  }

  /**
   * The server's history is the durable segments recovered before, then the writes since the last restart
   * (the client resumes at its acknowledged count): the dataset must be those segments plus a prefix of the new one.
   */
  private void recordLoad(RedisNode n, WorkloadClient c) {
    Map<String, String> data = n.recoveredDataset();
    boolean exact = true;
    for (int[] seg : durableSegments) {
      for (int i = seg[0]; i < seg[1]; i++) exact &= ("string:" + i).equals(data.get("0:k" + i));
    }
    int prefix = segmentStart;
    while (("string:" + prefix).equals(data.get("0:k" + prefix))) prefix++;
    int present = 0;
    for (String key : data.keySet()) if (key.startsWith("0:k")) present++;
    BitSet expected = new BitSet();
    for (int[] seg : durableSegments) expected.set(seg[0], seg[1]);
    expected.set(segmentStart, prefix);
    exact &= present == expected.cardinality();
    durableSegments.add(new int[] {segmentStart, prefix});
    recoveries.add(new Recovery(seenIncarnation, crashAtNanos, sim.nowNanos(), segmentStart, ackedAtCrash, issuedAtCrash, prefix, exact,
        n.server().loadedFrom(), null, false, maxFsyncLatencyNanos,
        ackedAtCrash > prefix ? crashAtNanos - ackTimesNanos.get(prefix) : 0));
    segmentStart = ackedAtCrash;
    crashAtNanos = -1;
    issuedAtCrash = 0;
  }

  /** The safety part of the prefix rule: null, or what is wrong with the latest recoveries. */
  String prefixViolation() {
    for (Recovery r : recoveries) {
      if (r.refusal() == null && !r.exactPrefix()) return "loaded dataset is not a prefix of the write history: " + r.describe();
      if (r.refusal() == null && r.recoveredPrefix() > r.issuedAtCrash()) return "recovered writes that were never issued: " + r.describe();
    }
    return null;
  }

  /** Simulated time in [from, to) during which the server was running (not paused). */
  long runningNanos(long from, long to) {
    if (to <= from) return 0;
    long paused = 0;
    List<long[]> all = new ArrayList<>(pauses);
    if (pausedSince >= 0) all.add(new long[] {pausedSince, Long.MAX_VALUE});
    for (long[] p : all) paused += Math.max(0, Math.min(to, p[1]) - Math.max(from, p[0]));
    return (to - from) - paused;
  }

  /**
   * The longest an executed write stays volatile under everysec, in the server's running time, as Redis 7.0's
   * flushAppendOnlyFile allows it, for a bio fsync taking {@code L} and an event loop that runs beforeSleep at
   * least every cron tick {@code T = 1 s / hz}. The write runs at {@code t}:
   * <ul>
   *   <li>no fsync running: write(2) at {@code t}; aof_last_fsync is at most floor(t), so the covering
   *       aof_background_fsync is issued by the first flush of the next unix second, at most {@code t + 1 s + T},
   *       and returns {@code L} later;
   *   <li>an fsync issued at {@code s0 <= t} still running, returning by {@code s0 + L}: the write is postponed
   *       and retried every tick; if the fsync returns first, write(2) follows within {@code T} and the covering
   *       fsync is issued then or at the next unix second after s0, so it returns by {@code t + max(L, 1 s) + T + L}
   *       (for {@code L <= 1 s} this is the first case's bound: the 2 s postponement cannot run out before an fsync
   *       shorter than a second returns);
   *   <li>the postponement runs out ({@code unixtime - aof_flush_postponed_start >= 2}, aof_delayed_fsync++, only
   *       possible for {@code L > 1 s}): write(2) by floor(t) + 2 s + T while the old fsync still runs, and
   *       aof_last_fsync moves to that second without an fsync; the next one is issued by
   *       {@code max(floor(t) + 3 s, s0 + L) + T} and returns {@code L} later.
   * </ul>
   * Hence {@code (L <= 1 s ? 1 s : max(3 s, L)) + L + T}. A pause (SIGSTOP) stops the loop but not the clock, so
   * it only brings unix seconds sooner: running time bounds it.
   */
  long everysecWindowNanos(long fsyncLatencyNanos) {
    long tick = Durations.seconds(1) / config.hz;
    long wait = fsyncLatencyNanos <= Durations.seconds(1) ? Durations.seconds(1) : Math.max(Durations.seconds(3), fsyncLatencyNanos);
    return wait + fsyncLatencyNanos + tick;
  }

  /**
   * The verdict on every acknowledged write lost at a crash: ok when none was; excused when each lost write is
   * covered by a rule real Redis has for this configuration and these faults; failed naming the others.
   */
  CheckResult judgeLosses(String name) {
    List<String> lost = new ArrayList<>();
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    for (Recovery r : recoveries) {
      int from = r.refusal() != null ? 0 : r.recoveredPrefix();
      for (int i = from; i < r.ackedAtCrash(); i++) {
        String id = "k" + i;
        if (lost.contains(id)) continue;
        lost.add(id);
        String rule = ruleFor(r, i);
        if (rule != null) allowed.computeIfAbsent(rule, k -> new ArrayList<>()).add(id);
      }
    }
    return CheckResult.losses(name, summary(), lost, allowed);
  }

  /** The real-Redis rule that allows losing write {@code i} at recovery {@code r}, in its own words, or null. */
  private String ruleFor(Recovery r, int i) {
    long ran = executedAt(i); // the write's effect, and its reply, start when the server runs it
    long crash = r.crashAtNanos();
    if (r.refusal() != null) {
      if (!config.appendonly && rdbRule(ran, crash) != null) return rdbRule(ran, crash);
      for (long[] c : corruptions) {
        if (c[0] <= r.loadAtNanos()) {
          return "a file corrupted at rest (fault at " + Durations.format(c[0]) + ") is refused by the loader, and Redis "
              + "exits rather than load it: the writes it held are unavailable until an operator repairs it";
        }
      }
      return null;
    }
    if (!config.appendonly) return rdbRule(ran, crash);
    return switch (config.appendfsync) {
      case ALWAYS -> null;
      case EVERYSEC -> everysecRule(i, crash, r);
      case NO -> noRule(ran, crash);
    };
  }

  private String everysecRule(int i, long crash, Recovery r) {
    long latency = r.fsyncLatencyNanos();
    long window = everysecWindowNanos(latency);
    long executed = executedAt(i);
    long firstLost = executedAt(Math.min(r.recoveredPrefix(), r.ackedAtCrash() - 1));
    long paused = (crash - firstLost) - runningNanos(firstLost, crash);
    String how = "appendfsync everysec (flushAppendOnlyFile): a write is fsynced by the bio fsync issued at the next "
        + "unix second with none running, waiting behind a running one (at most 2 s, then aof_delayed_fsync), so a "
        + "crash loses what the server executed in the last " + Durations.format(window) + " of its running time "
        + "(fsync latency " + Durations.format(latency) + ", hz " + config.hz + "); time paused (SIGSTOP, a VM freeze) does not count";
    if (runningNanos(executed, crash) < window) {
      return paused > 0 ? how + " (the server was paused " + Durations.format(paused) + " before the crash at "
          + Durations.format(crash) + ")" : how;
    }
    for (long[] p : aofErrors) {
      boolean volatileAtErrorStart = executed <= p[1] && runningNanos(executed, p[0]) < window;
      if (!volatileAtErrorStart) continue;
      if (p[1] == Long.MAX_VALUE || p[1] >= crash || runningNanos(p[1], crash) < window) {
        return "an AOF write or fsync error from " + Durations.format(p[0]) + (p[1] >= crash ? " until the crash" : " to "
            + Durations.format(p[1])) + ": the acknowledged commands stayed in aof_buf or the page cache, unsynced "
            + "(flushAppendOnlyFile retries; writes are refused with MISCONF meanwhile)";
      }
    }
    return null;
  }

  private String noRule(long ran, long crash) {
    long window = config.osWritebackMs * 1_000_000L + 2 * Durations.seconds(1) / config.hz;
    if (runningNanos(ran, crash) < window) {
      return "appendfsync no: Redis never fsyncs; the OS writes dirty pages back after " + config.osWritebackMs
          + " ms (dirty_expire_centisecs), so everything since the last writeback can be lost";
    }
    return null;
  }

  private String rdbRule(long ran, long crash) {
    long snapshot = -1;
    for (long at : completedSnapshotAt) if (at <= crash) snapshot = Math.max(snapshot, at);
    if (snapshot < 0) return "appendonly no and no save completed before the crash: the dataset lived in memory only";
    if (ran >= snapshot) { // same instant: the write ran after the fork, or it would be in the snapshot
      return "appendonly no: dump.rdb holds the snapshot of the last completed save (taken at " + Durations.format(snapshot)
          + "); writes executed after it live in memory only";
    }
    return null;
  }

  int ackedSoFar() {
    return ackTimesNanos.size();
  }

  String summary() {
    if (recoveries.isEmpty()) return "no restart observed; acked " + ackedSoFar();
    StringBuilder sb = new StringBuilder();
    for (Recovery r : recoveries) sb.append(sb.length() == 0 ? "" : "; ").append(r.describe());
    return sb.toString();
  }

  int totalLostAcked() {
    int n = 0;
    for (Recovery r : recoveries) n += r.lostAcked();
    return n;
  }

}
