package sim.cassandra.scenario;

import sim.cassandra.script.ConsistencyLevel;

/**
 * One client operation and how it ended. Writes carry the client-side timestamp they were sent with
 * (the driver's timestamp generator); reads carry the value and {@code writetime} they returned.
 */
public final class Op {
  public enum Kind { WRITE, READ, CAS }

  public enum Status { PENDING, OK, FAILED, UNKNOWN }

  public final long id;
  public final String client;
  public final Kind kind;
  /** The table the operation is on: a write is read back only by reads of the same table and key. */
  public final String table;
  public final String key;
  public final String value;
  public final String expect;
  public final long timestamp;
  public final ConsistencyLevel consistency;
  public final long invokedNanos;
  public long completedNanos = -1;
  public Status status = Status.PENDING;
  public String resultValue;
  public long resultTimestamp = Long.MIN_VALUE;
  public Boolean applied;
  public String error;

  Op(long id, String client, Kind kind, String table, String key, String value, String expect, long timestamp, ConsistencyLevel cl,
      long invokedNanos) {
    this.id = id;
    this.client = client;
    this.kind = kind;
    this.table = table;
    this.key = key;
    this.value = value;
    this.expect = expect;
    this.timestamp = timestamp;
    this.consistency = cl;
    this.invokedNanos = invokedNanos;
  }

  public String label() {
    return client + "#" + id + " " + kind + " " + key + (value == null ? "" : "=" + value);
  }

  @Override
  public String toString() {
    return label() + " " + status + (resultValue == null ? "" : " -> " + resultValue + "@" + resultTimestamp) + (error == null ? "" : " (" + error + ")");
  }
}
