package sim.cassandra.cql;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;

/**
 * What a statement asks of the cluster, decided by the coordinator's query processor: nothing more (an
 * answer), writes at a consistency level, reads (then turned into rows), a compare-and-set through Paxos,
 * or a schema change sent to every node. The coordinator node carries it out with messages.
 */
public sealed interface Action {
  record Done(StatementResult result) implements Action {}

  record Write(List<Mutation> mutations, ConsistencyLevel consistency, boolean counter, StatementResult onSuccess) implements Action {}

  /** One partition ({@code key} set) or a token range {@code (fromExclusive, toInclusive]} of a table. */
  record ReadCommand(TableMetadata table, DecoratedKey key, long fromExclusive, long toInclusive) {
    public static ReadCommand partition(TableMetadata t, DecoratedKey k) {
      return new ReadCommand(t, k, 0, 0);
    }

    public static ReadCommand range(TableMetadata t, long fromExclusive, long toInclusive) {
      return new ReadCommand(t, null, fromExclusive, toInclusive);
    }

    public boolean isRange() {
      return key == null;
    }
  }

  record Read(List<ReadCommand> commands, ConsistencyLevel consistency, Function<List<Partition>, StatementResult> then) implements Action {}

  /** The outcome of a CAS's read step: apply {@code update} (if applied) and answer {@code result}. */
  record CasDecision(boolean applied, Partition update, StatementResult result) {}

  /** {@code decide} gets the partition as Paxos read it and the ballot's timestamp (the write's timestamp). */
  record Cas(TableMetadata table, DecoratedKey key, BiFunction<Partition, Long, CasDecision> decide, ConsistencyLevel serial,
      ConsistencyLevel commit) implements Action {}

  /** A DDL statement to apply on every node (schema travels as the statement and the keyspace in use). */
  record SchemaChange(String ddl, String keyspace, StatementResult result) implements Action {}
}
