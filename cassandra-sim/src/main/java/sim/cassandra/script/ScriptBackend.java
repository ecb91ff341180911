package sim.cassandra.script;

/** Something that runs CQL statements: the simulated cluster, or (in tests) a real Cassandra. */
public interface ScriptBackend {
  StatementResult execute(String cql, ConsistencyLevel consistency, ConsistencyLevel serialConsistency);
}
