package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.NodeConfig;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.storage.StorageConfig;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/**
 * A Cassandra lesson: a cluster, clients running a workload on {@code ks.kv}, the shared safety checks
 * (SSTables immutable, acknowledged writes readable at R + W > RF), and the lesson's own setup and checks.
 */
final class CassandraScenario extends LessonScenario {
  /** A workload client: its coordinators, its levels, and which keys it touches. */
  record Client(String name, List<String> coordinators, String table, int keys, double writeFraction, ConsistencyLevel writeCl,
      ConsistencyLevel readCl, long startNanos, long stopNanos, long gapNanos, boolean lwt) {}

  /** What the lesson adds once the cluster and clients exist. */
  interface Extra {
    void setup(Simulation sim, Run run);
  }

  /** Everything a lesson's extra setup and checks may look at. */
  static final class Run {
    final CassandraCluster cluster;
    final History history;
    final Checks.Watch watch;
    final Set<String> breaks;

    Run(CassandraCluster cluster, History history, Checks.Watch watch, Set<String> breaks) {
      this.cluster = cluster;
      this.history = history;
      this.watch = watch;
      this.breaks = breaks;
    }
  }

  private final int nodes;
  private final int outside;
  private final int rf;
  private final String tableOptions;
  private final StorageConfig storage;
  private final UnaryOperator<NodeConfig> tune;
  private final List<Client> clients;
  private final List<String> consults;
  private final Extra extra;
  private final TreeMap<String, String> tableOptionsByTable = new TreeMap<>();

  CassandraScenario(Lesson lesson, int nodes, int rf, String tableOptions, StorageConfig storage, UnaryOperator<NodeConfig> tune,
      List<Client> clients, List<String> consults, Extra extra) {
    this(lesson, nodes, 0, rf, tableOptions, storage, tune, clients, consults, extra);
  }

  /** With {@code outside} more nodes started outside the ring ({@code join_ring=false}), for a bootstrap. */
  CassandraScenario(Lesson lesson, int nodes, int outside, int rf, String tableOptions, StorageConfig storage, UnaryOperator<NodeConfig> tune,
      List<Client> clients, List<String> consults, Extra extra) {
    super(lesson);
    this.nodes = nodes;
    this.outside = outside;
    this.rf = rf;
    this.tableOptions = tableOptions;
    this.storage = storage;
    this.tune = tune;
    this.clients = clients;
    this.consults = consults;
    this.extra = extra;
  }

  /** {@code table} is created with {@code options} instead of the scenario's shared table options. */
  CassandraScenario withTableOptions(String table, String options) {
    tableOptionsByTable.put(table, options);
    return this;
  }

  static List<String> schema(int rf, String tableOptions, List<String> tables) {
    return schema(rf, t -> tableOptions, tables);
  }

  private static List<String> schema(int rf, Function<String, String> tableOptions, List<String> tables) {
    List<String> s = new ArrayList<>();
    s.add("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': " + rf + "}");
    for (String t : tables) s.add("CREATE TABLE IF NOT EXISTS " + t + " (k text PRIMARY KEY, v text)" + tableOptions.apply(t));
    return s;
  }

  @Override
  public void setup(Simulation sim) {
    Set<String> breaks = new TreeSet<>();
    for (String rule : consults) if (sim.isBroken(rule)) breaks.add(rule);
    Checks.Watch watch = new Checks.Watch(sim);
    CassandraCluster cluster = CassandraCluster.build(sim, nodes, outside, 1, storage, tune, breaks);
    History history = new History(sim);
    TreeSet<String> tables = new TreeSet<>();
    for (Client c : clients) tables.add(c.table());
    List<String> schema = schema(rf, t -> tableOptionsByTable.getOrDefault(t, tableOptions), new ArrayList<>(tables));
    int index = 0;
    for (Client c : clients) {
      List<NodeId> coords = new ArrayList<>();
      for (String n : c.coordinators()) coords.add(NodeId.of(n));
      WorkloadClient.Plan plan = new WorkloadClient.Plan(c.name(), coords, schema, c.table(), c.keys(), c.writeFraction(), c.writeCl(),
          c.readCl(), c.startNanos(), c.stopNanos(), c.gapNanos(), c.lwt(), index++);
      sim.addClient(NodeId.of(c.name()), () -> new WorkloadClient(plan, history));
    }
    Run run = new Run(cluster, history, watch, breaks);
    sim.addInvariant("cassandra.sstables-immutable", () -> Checks.sstablesImmutable(watch));
    List<String> replicas = new ArrayList<>();
    for (NodeId n : cluster.nodes()) replicas.add(n.name());
    long syncPeriod = Durations.millis(storage.commitlogSyncPeriodMs());
    sim.addFinalCheck("cassandra.acked-writes-readable",
        () -> Checks.ackedWritesReadable("cassandra.acked-writes-readable", history, rf, storage.commitlogSync(), syncPeriod, watch, replicas));
    if (extra != null) extra.setup(sim, run);
  }
}
