package sim.kafka.history;

import java.util.List;
import java.util.Optional;
import sim.core.lin.LogModel.Log;
import sim.core.lin.Model;

/**
 * The sequential specification of a Kafka partition as acks=all producers and consumers see it: one log
 * per partition; a produce appends its value at the end and answers that offset; a fetch from offset
 * {@code o} answers the values at {@code o, o+1, ...} (any prefix of what is there: a fetch may stop at the
 * high watermark or at {@code max.bytes}). A fetch may also fail with OFFSET_OUT_OF_RANGE when retention or
 * DeleteRecords moved the log start offset past {@code o}: legal whenever that log start lies above {@code o} and
 * within the log (the log start never passes the high watermark), and it changes nothing — the records below the
 * log start are gone from the broker, not lost writes, and every later read at or past it still sees them at
 * their offsets. What Kafka promises with acks=all, the idempotent producer and clean elections: this holds in
 * real time, partition by partition.
 *
 * <p>The state is core's persistent {@link Log}: each state is the one before plus one record, so the checker's
 * memo costs a node per state, not a copy of the log (many produces of unknown outcome multiply the states;
 * copies ran an explore out of heap on kafka.write-path).
 */
public final class PartitionLogModel implements Model<Log, LogOperation, Object> {
  @Override
  public Log init() {
    return Log.empty();
  }

  @Override
  public Optional<Log> step(Log log, LogOperation op, Object output) {
    if (op instanceof LogOperation.Produce p) {
      if (!(output instanceof Long offset) || offset != log.size()) return Optional.empty();
      return Optional.of(log.append(p.value()));
    }
    LogOperation.Read r = (LogOperation.Read) op;
    if (output instanceof LogOperation.OutOfRange o) {
      return r.fromOffset() < o.logStartOffset() && o.logStartOffset() <= log.size() ? Optional.of(log) : Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<String> values = (List<String>) output;
    if (r.fromOffset() < 0 || r.fromOffset() + values.size() > log.size()) return Optional.empty();
    return log.holdsAt(r.fromOffset(), values) ? Optional.of(log) : Optional.empty();
  }

  @Override
  public Log stepUnknown(Log log, LogOperation op) {
    return op instanceof LogOperation.Produce p ? log.append(p.value()) : log;
  }

  @Override
  public String partition(LogOperation op) {
    return op.partition();
  }

  @Override
  public String describe(Log log) {
    List<String> values = log.values();
    return values.size() <= 8 ? values.toString() : "[" + values.size() + " records ending " + values.subList(values.size() - 3, values.size()) + "]";
  }
}
