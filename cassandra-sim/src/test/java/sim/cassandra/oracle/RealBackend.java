package sim.cassandra.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.ScriptBackend;
import sim.cassandra.script.StatementResult;

/** Runs script statements on a real Cassandra over the native protocol. */
public final class RealBackend implements ScriptBackend {
  private final NativeClient client;

  public RealBackend(NativeClient client) {
    this.client = client;
  }

  @Override
  public StatementResult execute(String cql, ConsistencyLevel consistency, ConsistencyLevel serialConsistency) {
    try {
      return client.query(cql, consistency.code, serialConsistency.code);
    } catch (IOException e) {
      throw new UncheckedIOException("real Cassandra: " + cql, e);
    }
  }
}
