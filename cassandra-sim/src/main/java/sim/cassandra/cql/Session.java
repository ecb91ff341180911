package sim.cassandra.cql;

/** A client connection's state on its coordinator: the keyspace set by USE, and its last write timestamp. */
public final class Session {
  private String keyspace;
  private long lastTimestampMicros = Long.MIN_VALUE;

  public String keyspace() {
    return keyspace;
  }

  public void use(String ks) {
    keyspace = ks;
  }

  /** ClientState.getTimestamp: the clock in microseconds, but always past the last one this connection used. */
  public long nextTimestamp(long clockMicros) {
    long ts = Math.max(clockMicros, lastTimestampMicros + 1);
    lastTimestampMicros = ts;
    return ts;
  }
}
