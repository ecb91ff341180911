package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
import sim.postgres.wal.Wal;

/**
 * Follows one server's commits through the trace, as they happen: each reply that reported a commit (its
 * xid and commit record end LSN, from {@code pg.reply}), each WAL flush that became durable
 * ({@code pg.wal.flush}, after the kernel's {@code fsync.done}) and each crash. From that it knows, for
 * every crash, exactly which reported commits were after the last WAL flush: the only ones PostgreSQL may
 * lose, and only with {@code synchronous_commit=off}. It also remembers the first commit reported before
 * its WAL was durable, which {@code synchronous_commit=on} forbids.
 */
final class CommitLedger {
  /** A commit the server reported to a client. */
  record Reported(long query, String session, long xid, long commitLsn, long atNanos, int incarnation) {
    String describe() {
      return "query " + query + " (xid " + xid + ", commit " + Wal.formatLsn(commitLsn) + ")";
    }
  }

  /** A crash, the last durable WAL flush before it, and the reported commits that were after that flush. */
  record Crash(long atNanos, long flushedLsn, List<Reported> unflushed) {
    String rule() {
      return "synchronous_commit=off: commits reported before the WAL writer flushed them are lost by the crash at "
          + Durations.format(atNanos) + " (WAL durable to " + Wal.formatLsn(flushedLsn) + ")";
    }
  }

  private final NodeId server;
  private final Map<Long, Reported> byQuery = new TreeMap<>();
  private final List<Crash> crashes = new ArrayList<>();
  private int incarnation;
  private long durableLsn;
  private String reportedBeforeFlush;

  private CommitLedger(NodeId server) {
    this.server = server;
  }

  static CommitLedger follow(Simulation sim, NodeId server) {
    CommitLedger l = new CommitLedger(server);
    sim.trace().addListener(l::see);
    return l;
  }

  private void see(TraceEvent e) {
    if (!e.node().equals(server.name())) return;
    switch (e.kind()) {
      case "pg.recovery" -> durableLsn = Wal.parseLsn((String) e.attribute("endLsn"));
      case "pg.wal.flush" -> durableLsn = Math.max(durableLsn, Wal.parseLsn((String) e.attribute("flushedLsn")));
      case "pg.reply" -> reply(e);
      case "crash" -> crash(e.timeNanos());
      default -> { }
    }
  }

  private void reply(TraceEvent e) {
    Object lsn = e.attribute("commitLsn");
    if (lsn == null) return;
    Reported r = new Reported(((Number) e.attribute("query")).longValue(), (String) e.attribute("session"),
        ((Number) e.attribute("xid")).longValue(), Wal.parseLsn((String) lsn), e.timeNanos(), incarnation);
    byQuery.put(r.query(), r);
    if (r.commitLsn() > durableLsn && reportedBeforeFlush == null) {
      reportedBeforeFlush = r.describe() + " reported at " + Durations.format(e.timeNanos()) + " with the WAL durable only to "
          + Wal.formatLsn(durableLsn);
    }
  }

  private void crash(long at) {
    List<Reported> lost = new ArrayList<>();
    for (Reported r : byQuery.values()) if (r.incarnation() == incarnation && r.commitLsn() > durableLsn) lost.add(r);
    crashes.add(new Crash(at, durableLsn, lost));
    incarnation++;
  }

  Reported commitOf(long query) {
    return byQuery.get(query);
  }

  List<Crash> crashes() {
    return crashes;
  }

  /** The first commit reported before its WAL was durable, or null (synchronous_commit=on promises none). */
  String reportedBeforeFlush() {
    return reportedBeforeFlush;
  }

  /** For each crash's rule, the queries it allows to be lost (named as the loss check names them). */
  Map<String, List<String>> allowedLosses(java.util.function.LongFunction<String> name) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Crash c : crashes) {
      List<String> ids = new ArrayList<>();
      for (Reported r : c.unflushed()) ids.add(name.apply(r.query()));
      if (!ids.isEmpty()) out.put(c.rule(), ids);
    }
    return out;
  }
}
