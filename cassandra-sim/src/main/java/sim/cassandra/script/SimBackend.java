package sim.cassandra.script;

import java.util.Set;
import sim.cassandra.cluster.CassandraCluster;
import sim.cassandra.cluster.CassandraMessage;
import sim.cassandra.cluster.CqlClient;
import sim.cassandra.storage.StorageConfig;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.SimulationFailure;

/**
 * Runs script statements on a simulated cluster: a client connected to n1 sends each statement and the
 * simulation runs until its answer arrives (or 30 simulated seconds pass). {@code rf}, when given,
 * replaces the replication factor of every SimpleStrategy keyspace the script creates.
 */
public final class SimBackend implements ScriptBackend {
  private static final NodeId CLIENT = NodeId.of("client");
  private final Simulation sim;
  private final Integer rf;
  private long nextId = 1;

  public SimBackend(long seed, int nodes, Integer rf) {
    this.rf = rf;
    sim = new Simulation(seed);
    CassandraCluster.build(sim, nodes, 1, StorageConfig.defaults(), c -> c, Set.of());
    sim.addClient(CLIENT, CqlClient::new);
    sim.runFor(Durations.seconds(2));
  }

  public Simulation simulation() {
    return sim;
  }

  @Override
  public StatementResult execute(String cql, ConsistencyLevel consistency, ConsistencyLevel serialConsistency) {
    String statement = rf == null ? cql : cql.replaceAll("('replication_factor'\\s*:\\s*)'?\\d+'?", "$1" + rf);
    long id = nextId++;
    sim.inject(CLIENT, NodeId.of("n1"), new CassandraMessage.Query(id, statement, consistency, serialConsistency));
    CqlClient client = sim.node(CLIENT, CqlClient.class);
    long deadline = sim.nowNanos() + Durations.seconds(30);
    boolean answered = sim.runUntil(() -> client.result(id) != null || sim.nowNanos() > deadline, 50_000_000);
    StatementResult r = client.result(id);
    if (!answered || r == null) {
      throw new SimulationFailure("cassandra.script-answered", "no answer to '" + cql + "' within 30 s of simulated time", sim.seed(),
          "./sim cassandra --script FILE --seed " + sim.seed(), java.util.List.of(), null);
    }
    return r;
  }
}
