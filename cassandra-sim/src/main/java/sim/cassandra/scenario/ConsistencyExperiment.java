package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.cluster.CqlClient;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.cassandra.storage.StorageConfig;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Simulation;

/**
 * The R + W > RF table, measured: for a replication factor, a number of replicas down, and each pair of
 * write and read levels, a write is sent through one coordinator and, the moment it is acknowledged, a read
 * of the same key through another; the read is fresh if it returns that write. One live replica (chosen by the
 * seed) misses the write, as one behind a flaky link would, and the read follows at once, before hints or
 * repair could fix it. Counted over many seeds.
 */
public final class ConsistencyExperiment {
  static final List<ConsistencyLevel> LEVELS = List.of(ConsistencyLevel.ONE, ConsistencyLevel.TWO, ConsistencyLevel.THREE,
      ConsistencyLevel.QUORUM, ConsistencyLevel.ALL);
  private static final NodeId CLIENT = NodeId.of("client");

  /** Outcomes of one cell of the table. */
  public static final class Cell {
    public int fresh;
    public int stale;
    public int unavailable;
    public int timeouts;

    public int trials() {
      return fresh + stale + unavailable + timeouts;
    }

    String render() {
      if (unavailable == trials()) return "unavail.";
      int answered = fresh + stale;
      return answered == 0 ? "timeout" : String.format(Locale.ROOT, "%5.1f%%", 100.0 * fresh / answered);
    }
  }

  private ConsistencyExperiment() {}

  static int blockFor(ConsistencyLevel cl, int rf) {
    return Checks.blockFor(cl, rf);
  }

  static List<ConsistencyLevel> levelsFor(int rf) {
    List<ConsistencyLevel> out = new ArrayList<>();
    for (ConsistencyLevel l : LEVELS) if (l == ConsistencyLevel.QUORUM || l == ConsistencyLevel.ALL || blockFor(l, rf) <= rf) out.add(l);
    return out;
  }

  /** cells keyed "W/R/k". */
  public static TreeMap<String, Cell> measure(int rf, int seeds) {
    TreeMap<String, Cell> cells = new TreeMap<>();
    for (int down = 0; down < rf; down++) {
      for (int seed = 1; seed <= seeds; seed++) trial(rf, down, seed, cells);
    }
    return cells;
  }

  private static void trial(int rf, int down, long seed, TreeMap<String, Cell> cells) {
    Simulation sim = new Simulation(seed * 1000 + rf * 10 + down);
    CassandraCluster cluster = CassandraCluster.build(sim, rf, 1, StorageConfig.defaults(), c -> c, Set.of());
    sim.addClient(CLIENT, CqlClient::new);
    sim.runFor(1_000_000_000L);
    long[] id = {1};
    NodeId n1 = cluster.nodes().get(0);
    ask(sim, id, n1, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + rf + "}", ConsistencyLevel.ONE);
    ask(sim, id, n1, "CREATE TABLE ks.kv (k text PRIMARY KEY, v text)", ConsistencyLevel.ONE);
    SimRandom r = SimRandom.of(seed, "consistency-table");
    List<NodeId> alive = new ArrayList<>(cluster.nodes());
    for (int i = 0; i < down; i++) sim.crash(alive.remove(r.nextInt(alive.size())));
    sim.runFor(30_000_000_000L);
    int key = 0;
    for (ConsistencyLevel w : levelsFor(rf)) {
      for (ConsistencyLevel rd : levelsFor(rf)) {
        Cell cell = cells.computeIfAbsent(w + "/" + rd + "/" + down, k -> new Cell());
        String k = "k" + key++;
        NodeId wc = alive.get(r.nextInt(alive.size()));
        NodeId rc = alive.get(r.nextInt(alive.size()));
        // one live replica other than the write's coordinator misses the write (a one-way network problem
        // while the write is in flight: it still gossips, so it is believed UP); the read follows at once
        List<NodeId> others = new ArrayList<>(alive);
        others.remove(wc);
        NodeId victim = others.isEmpty() ? null : others.get(r.nextInt(others.size()));
        if (victim != null) sim.network().block(wc, victim);
        StatementResult wr = ask(sim, id, wc, "INSERT INTO ks.kv (k, v) VALUES ('" + k + "', 'new')", w);
        if (victim != null) sim.network().heal();
        if (wr instanceof StatementResult.Error e) {
          if (e.code().equals("UNAVAILABLE")) cell.unavailable++;
          else cell.timeouts++;
          if (victim != null) sim.network().heal();
          sim.runFor(300_000_000L);
          continue;
        }
        StatementResult rr = ask(sim, id, rc, "SELECT v FROM ks.kv WHERE k = '" + k + "'", rd);
        if (rr instanceof StatementResult.Rows rows) {
          if (!rows.rows().isEmpty() && "'new'".equals(rows.rows().get(0).get(0))) cell.fresh++;
          else cell.stale++;
        } else if (rr instanceof StatementResult.Error e && e.code().equals("UNAVAILABLE")) {
          cell.unavailable++;
        } else {
          cell.timeouts++;
        }
        if (victim != null) sim.network().heal();
        sim.runFor(300_000_000L);
      }
    }
  }

  private static StatementResult ask(Simulation sim, long[] id, NodeId coordinator, String cql, ConsistencyLevel cl) {
    long q = id[0]++;
    sim.inject(CLIENT, coordinator, new CassandraMessage.Query(q, cql, cl, ConsistencyLevel.SERIAL));
    CqlClient c = sim.node(CLIENT, CqlClient.class);
    sim.runUntil(() -> c.result(q) != null, 2_000_000);
    return c.result(q);
  }

  /** The table as Markdown: one row per (W, R), one column per number of replicas down. */
  public static String render(int rf, TreeMap<String, Cell> cells) {
    StringBuilder b = new StringBuilder("RF " + rf + ": share of reads returning the write acknowledged just before (columns: replicas down)\n\n| W | R | R+W>RF |");
    for (int d = 0; d < rf; d++) b.append(" ").append(d).append(" down |");
    b.append("\n|---|---|---|");
    for (int d = 0; d < rf; d++) b.append("---|");
    b.append('\n');
    for (ConsistencyLevel w : levelsFor(rf)) {
      for (ConsistencyLevel rd : levelsFor(rf)) {
        boolean overlap = blockFor(w, rf) + blockFor(rd, rf) > rf;
        b.append("| ").append(w).append(" | ").append(rd).append(" | ").append(overlap ? "yes" : "no").append(" |");
        for (int d = 0; d < rf; d++) b.append(' ').append(cells.get(w + "/" + rd + "/" + d).render()).append(" |");
        b.append('\n');
      }
    }
    return b.toString();
  }
}
