package sim.cassandra.cql;

import java.util.ArrayList;
import java.util.List;
import sim.cassandra.db.Bytes;
import sim.cassandra.db.Clustering;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Partition;
import sim.cassandra.db.Row;
import sim.cassandra.schema.ColumnMetadata;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;

/**
 * A lightweight transaction's decision, taken on the partition as Paxos read it: IF NOT EXISTS, IF EXISTS
 * or IF col op value, answered with {@code [applied]} and, when not applied, the current values
 * (every column for IF NOT EXISTS, the conditions' columns otherwise). The write uses the ballot's timestamp.
 */
final class Cas {
  private Cas() {}

  static Action action(TableMetadata t, WritePlan plan, Ast.Conditions conditions, QueryProcessor.Clock clock, int ttl,
      ConsistencyLevel serial, ConsistencyLevel commit) {
    if (plan.keys().size() != 1) throw new CqlException.Invalid("IN on the partition key is not supported with conditional updates");
    if (!conditions.ifNotExists() && plan.clustering() == null && !t.clusteringColumns().isEmpty()) {
      throw new CqlException.Invalid("DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF conditions");
    }
    for (Ast.Condition c : conditions.columns()) {
      ColumnMetadata col = t.column(c.column());
      if (col == null) throw new CqlException.Invalid("Undefined column name " + c.column() + " in table " + t.qualifiedName());
      if (col.isPrimaryKey()) throw new CqlException.Invalid("PRIMARY KEY column '" + col.name() + "' cannot have IF conditions");
    }
    if (!serial.isSerial()) throw new CqlException.Invalid("Invalid consistency for conditional update: " + serial + ", serial consistency levels are SERIAL and LOCAL_SERIAL");
    DecoratedKey key = plan.keys().get(0);
    Clustering clustering = plan.clustering() == null ? Clustering.EMPTY : plan.clustering();
    return new Action.Cas(t, key, (current, ballotMicros) -> {
      Row row = current == null ? null : current.rows().get(clustering);
      boolean exists = row != null && row.hasLiveData(clock.nowInSec())
          || (t.clusteringColumns().isEmpty() && current != null && current.staticRow() != null && current.staticRow().hasLiveData(clock.nowInSec()));
      List<String> names = new ArrayList<>(List.of("[applied]"));
      List<String> values = new ArrayList<>();
      boolean applied;
      if (conditions.ifNotExists()) {
        applied = !exists;
        if (!applied) {
          for (ColumnMetadata c : SelectStatement.selectStarOrder(t)) {
            names.add(c.name());
            values.add(RowValues.format(t, current, row, c, clock.nowInSec()));
          }
        }
      } else if (conditions.ifExists()) {
        applied = exists;
      } else {
        applied = exists;
        if (exists) {
          for (Ast.Condition c : conditions.columns()) applied &= holds(t, current, row, c, clock.nowInSec());
          if (!applied) {
            for (ColumnMetadata col : SelectStatement.selectStarOrder(t)) {
              if (conditions.columns().stream().noneMatch(c -> c.column().equals(col.name()))) continue;
              names.add(col.name());
              values.add(RowValues.format(t, current, row, col, clock.nowInSec()));
            }
          }
        }
      }
      List<String> first = new ArrayList<>(List.of(Boolean.toString(applied)));
      first.addAll(values);
      StatementResult result = new StatementResult.Rows(names, List.of(first));
      Partition update = null;
      if (applied) {
        Modifications m = new Modifications(t, ballotMicros, clock.nowInSec(), ttl);
        plan.apply(m);
        update = m.mutations().get(0).update();
      }
      return new Action.CasDecision(applied, update, result);
    }, serial, commit);
  }

  private static boolean holds(TableMetadata t, Partition p, Row row, Ast.Condition c, long nowInSec) {
    ColumnMetadata col = t.column(c.column());
    Object current = RowValues.value(t, p, row, col, nowInSec);
    Object wanted = Values.value(c.value(), col);
    if (current == null || wanted == null) {
      return switch (c.op()) {
        case "=" -> current == wanted;
        case "!=" -> current != wanted;
        default -> false;
      };
    }
    Bytes a = col.type().serialize(current);
    Bytes b = col.type().serialize(wanted);
    int cmp = col.type().compare(a, b);
    return switch (c.op()) {
      case "=" -> cmp == 0;
      case "!=" -> cmp != 0;
      case "<" -> cmp < 0;
      case "<=" -> cmp <= 0;
      case ">" -> cmp > 0;
      case ">=" -> cmp >= 0;
      default -> throw new CqlException.Invalid("Unsupported operator " + c.op() + " in IF condition");
    };
  }
}
