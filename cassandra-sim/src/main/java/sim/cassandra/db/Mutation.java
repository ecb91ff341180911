package sim.cassandra.db;

/** A write to one partition of one table: what the commit log records and the memtable applies. */
public record Mutation(String keyspace, String table, Partition update) {
  public DecoratedKey key() {
    return update.key();
  }

  public String qualifiedTable() {
    return keyspace + "." + table;
  }

  @Override
  public String toString() {
    return "Mutation(" + qualifiedTable() + " " + update + ")";
  }
}
