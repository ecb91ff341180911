package sim.postgres.scenario;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.postgres.engine.Result;
import sim.postgres.inspect.Inspect;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;

/**
 * A primary ({@code pg}) and a standby ({@code s1}) for the replication scenarios, and their checks: the
 * standby's replayed WAL is a prefix of its primary's on the same timeline, one writable primary per
 * timeline, and after a failover every acknowledged commit is on the new primary unless PostgreSQL's
 * asynchronous replication rule allows its loss.
 */
final class Replicas {
  static final NodeId PG = PgScenarios.PG;
  static final NodeId S1 = NodeId.of("s1");
  static final List<NodeId> SERVERS = List.of(PG, S1);

  /** A promotion seen in the trace: the node, the timeline it left and where that timeline ended. */
  record Promotion(String node, int oldTimeline, long switchLsn, long atNanos) {}

  /** A commit acknowledged to the client: which server, on which timeline, its commit record end. */
  record Acked(long query, String node, int timeline, long commitLsn) {}

  private Replicas() {}

  /**
   * The two servers: {@code pg} with these replication settings, {@code s1} its standby (built by
   * pg_basebackup -R when it first starts), with the replication safety invariants. Once s1 has been promoted, pg restarts as a standby of s1 (the
   * operator puts standby.signal in place): a former primary rejoining.
   */
  static List<Promotion> cluster(Simulation sim, PostgresNode.Settings base, String syncNames, String syncCommit,
      long s1ApplyDelayNanos) {
    return cluster(sim, base, syncNames, syncCommit, s1ApplyDelayNanos, Replication.standby("pg", S1, 0).withStandbySignal());
  }

  /** As above; {@code rejoinAs}: how pg restarts once s1 has been promoted (standby.signal, or pg_rewind first). */
  static List<Promotion> cluster(Simulation sim, PostgresNode.Settings base, String syncNames, String syncCommit,
      long s1ApplyDelayNanos, Replication rejoinAs) {
    List<Promotion> promotions = new ArrayList<>();
    PostgresNode.Settings primary = base.withReplication(Replication.primary(syncNames, syncCommit));
    PostgresNode.Settings rejoin = base.withReplication(rejoinAs);
    sim.addNode(PG, () -> new PostgresNode(promotions.stream().anyMatch(p -> p.node().equals("s1")) ? rejoin : primary));
    sim.addNode(S1, () -> new PostgresNode(base.withReplication(Replication.standby("s1", PG, s1ApplyDelayNanos))));
    sim.trace().addListener(e -> {
      if (e.kind().equals("pg.promote")) {
        promotions.add(new Promotion(e.node(), ((Number) e.attribute("oldTimeline")).intValue(),
            Wal.parseLsn((String) e.attribute("switchLsn")), e.timeNanos()));
      }
    });
    addInspectors(sim);
    onePrimaryPerTimeline(sim);
    standbyWalIsPrefix(sim);
    return promotions;
  }

  static PostgresNode.Settings settings() {
    return new PostgresNode.Settings(Storage.Config.defaults(), Durations.millis(200), Durations.seconds(1),
        Durations.seconds(1), Durations.seconds(1));
  }

  static PostgresNode node(Simulation sim, NodeId id) {
    return sim.isUp(id) ? sim.node(id, PostgresNode.class) : null;
  }

  /** \replication (pg_stat_replication on the primary, each standby's write/flush/replay LSNs), \heap on any server. */
  static void addInspectors(Simulation sim) {
    sim.addInspector("replication", "\\replication: pg_stat_replication (sent, write, flush, replay LSNs) and each standby's receiver",
        arg -> {
          StringBuilder b = new StringBuilder();
          for (NodeId id : SERVERS) {
            PostgresNode n = node(sim, id);
            b.append(id.name()).append(": ").append(n == null ? "down" : n.describeState()).append('\n');
          }
          return b.toString();
        });
    sim.addInspector("heap", "\\heap [table] [server]: the table's pages on a server (default: t on the primary)", arg -> {
      String[] a = arg == null || arg.isBlank() ? new String[0] : arg.trim().split("\\s+");
      String table = a.length > 0 ? a[0] : "t";
      NodeId id = a.length > 1 ? NodeId.of(a[1]) : currentPrimary(sim);
      PostgresNode n = id == null ? null : node(sim, id);
      return n == null || n.database() == null ? "server down" : Inspect.heap(n.database(), table);
    });
  }

  /** The writable server with the newest timeline, or null. */
  static NodeId currentPrimary(Simulation sim) {
    NodeId best = null;
    int bestTli = -1;
    for (NodeId id : SERVERS) {
      PostgresNode n = node(sim, id);
      if (n != null && n.role().equals("primary") && n.timeline() > bestTli) {
        best = id;
        bestTli = n.timeline();
      }
    }
    return best;
  }

  /** SAFETY invariant: at most one writable primary per timeline (promotion always starts a new one). */
  static void onePrimaryPerTimeline(Simulation sim) {
    sim.addInvariant("pg.one-primary-per-timeline", () -> {
      Map<Integer, String> byTimeline = new TreeMap<>();
      for (NodeId id : SERVERS) {
        PostgresNode n = node(sim, id);
        if (n == null || !n.role().equals("primary")) continue;
        String other = byTimeline.put(n.timeline(), id.name());
        if (other != null) return other + " and " + id.name() + " both accept writes on timeline " + n.timeline();
      }
      return null;
    });
  }

  /**
   * SAFETY invariant: what a standby has replayed is byte for byte the start of the WAL of the primary it
   * follows on the same timeline (checked incrementally: each newly replayed stretch once).
   */
  static void standbyWalIsPrefix(Simulation sim) {
    Map<String, Long> checkedTo = new HashMap<>();
    sim.addInvariant("pg.standby-wal-is-prefix", () -> {
      NodeId primaryId = currentPrimary(sim);
      PostgresNode primary = primaryId == null ? null : node(sim, primaryId);
      if (primary == null) return null;
      for (NodeId id : SERVERS) {
        PostgresNode s = node(sim, id);
        if (s == null || s.receiver() == null || s.timeline() != primary.timeline()) continue;
        String key = id.name() + "@" + sim.incarnation(id) + "/" + primaryId.name() + "@" + sim.incarnation(primaryId) + "/" + s.timeline();
        Long checked = checkedTo.get(key);
        // a new pair starts from the oldest WAL both still hold (checkpoints remove older segments)
        long from = checked != null ? checked : Math.max(s.oldestWalLsn(), primary.oldestWalLsn());
        long to = s.receiver().replayLsn();
        if (to <= from) continue;
        // only the newly replayed stretch is read and compared: earlier bytes were checked already
        if (primary.oldestWalLsn() > from) from = Math.max(primary.oldestWalLsn(), s.oldestWalLsn()); // removed since: gone from both sides' view
        if (to <= from) continue;
        byte[] mine = s.walBytes(from, to);
        byte[] theirs = primary.walBytes(from, to);
        if (theirs.length < to - from) {
          return id.name() + " replayed WAL to " + Wal.formatLsn(to) + " but " + primaryId.name() + "'s WAL ends at "
              + Wal.formatLsn(from + theirs.length);
        }
        int differs = Arrays.mismatch(mine, theirs);
        if (differs >= 0) {
          return id.name() + "'s replayed WAL differs from " + primaryId.name() + "'s at byte " + Wal.formatLsn(from + differs)
              + " on timeline " + s.timeline();
        }
        checkedTo.put(key, to);
      }
      return null;
    });
  }

  /** Every commit acknowledged to the client, by server and timeline (from pg.reply and the servers' timelines). */
  static Map<Long, Acked> followAcks(Simulation sim) {
    Map<Long, Acked> acks = new TreeMap<>();
    Map<String, Integer> timelines = new HashMap<>();
    sim.trace().addListener(e -> {
      if (!SERVERS.stream().anyMatch(id -> id.name().equals(e.node()))) return;
      if (e.kind().equals("pg.promote")) timelines.put(e.node(), ((Number) e.attribute("timeline")).intValue());
      if (e.kind().equals("pg.reply") && e.attribute("commitLsn") != null) {
        long q = ((Number) e.attribute("query")).longValue();
        int tli = timelines.computeIfAbsent(e.node(), n -> {
          PostgresNode node = node(sim, NodeId.of(n));
          return node == null ? 1 : node.timeline();
        });
        acks.put(q, new Acked(q, e.node(), tli, Wal.parseLsn((String) e.attribute("commitLsn"))));
      }
    });
    return acks;
  }

  /** The ids in table t on a server. */
  static Set<Long> presentIds(PostgresNode n) {
    Set<Long> out = new TreeSet<>();
    Result r = n.database().execute("check", "select id from t");
    if (r instanceof Result.Rows rows) for (List<Object> row : rows.rows()) out.add((Long) row.get(0));
    return out;
  }

  /**
   * SAFETY: every INSERT acknowledged with "count 1" is on the current primary, and nothing nobody inserted.
   * With {@code asyncAllowed}, a loss is excused exactly by PostgreSQL's rule for asynchronous replication: a
   * commit acknowledged on the old timeline whose commit record ends after the switch point (the end of the WAL
   * the promoted standby had received) never reached the new primary.
   */
  static CheckResult ackedCommitsOnNewPrimary(Simulation sim, String name, Map<Long, Acked> acks, List<Promotion> promotions,
      boolean asyncAllowed) {
    NodeId pid = currentPrimary(sim);
    PgClient c = PgScenarios.client(sim);
    PostgresNode p = pid == null ? null : node(sim, pid);
    if (p == null || c == null) return CheckResult.ok(name, "no primary at the end (faults): nothing to judge");
    if (p.database().table("t") == null) return CheckResult.ok(name, "faults kept the table from being created: nothing to judge");
    Set<Long> present = presentIds(p);
    Set<Long> phantom = new TreeSet<>(present);
    phantom.removeAll(PgScenarios.inserts(c, false));
    if (!phantom.isEmpty()) return CheckResult.failed(name, "rows nobody inserted on " + pid.name() + ": " + phantom);
    Set<Long> acked = PgScenarios.inserts(c, true);
    List<String> lost = new ArrayList<>();
    Map<String, List<String>> allowed = new LinkedHashMap<>();
    for (long id : acked) {
      if (present.contains(id)) continue;
      lost.add(PgScenarios.insertName(id));
      Acked a = acks.get(id);
      if (!asyncAllowed || a == null) continue;
      for (Promotion pr : promotions) {
        if (pr.node().equals(pid.name()) && !a.node().equals(pr.node()) && a.timeline() == pr.oldTimeline() && a.commitLsn() > pr.switchLsn()) {
          allowed.computeIfAbsent("asynchronous replication: acknowledged by " + a.node() + " on timeline " + a.timeline()
              + " after the WAL " + pr.node() + " had received when promoted (timeline " + pr.oldTimeline() + " ends at "
              + Wal.formatLsn(pr.switchLsn()) + ")", k -> new ArrayList<>()).add(PgScenarios.insertName(id));
          break;
        }
      }
    }
    String summary = acked.size() + " acknowledged inserts, " + present.size() + " rows on " + pid.name() + " (timeline "
        + p.timeline() + ")" + (lost.isEmpty() ? ", none lost" : ", lost " + lost.size() + " " + lost);
    return CheckResult.losses(name, summary, lost, allowed);
  }
}
