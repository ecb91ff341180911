package sim.kafka.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 */
public final class PartitionLogModel implements Model<List<String>, LogOperation, Object> {
  @Override
  public List<String> init() {
    return List.of();
  }

  @Override
  public Optional<List<String>> step(List<String> log, LogOperation op, Object output) {
    if (op instanceof LogOperation.Produce p) {
      if (!(output instanceof Long offset) || offset != log.size()) return Optional.empty();
      return Optional.of(append(log, p.value()));
    }
    LogOperation.Read r = (LogOperation.Read) op;
    if (output instanceof LogOperation.OutOfRange o) {
      return r.fromOffset() < o.logStartOffset() && o.logStartOffset() <= log.size() ? Optional.of(log) : Optional.empty();
    }
    @SuppressWarnings("unchecked")
    List<String> values = (List<String>) output;
    if (r.fromOffset() < 0 || r.fromOffset() + values.size() > log.size()) return Optional.empty();
    int from = (int) r.fromOffset();
    return log.subList(from, from + values.size()).equals(values) ? Optional.of(log) : Optional.empty();
  }

  @Override
  public List<String> stepUnknown(List<String> log, LogOperation op) {
    return op instanceof LogOperation.Produce p ? append(log, p.value()) : log;
  }

  @Override
  public String partition(LogOperation op) {
    return op.partition();
  }

  @Override
  public String describe(List<String> log) {
    return log.size() <= 8 ? log.toString() : "[" + log.size() + " records ending " + log.subList(log.size() - 3, log.size()) + "]";
  }

  private static List<String> append(List<String> log, String value) {
    List<String> next = new ArrayList<>(log.size() + 1);
    next.addAll(log);
    next.add(value);
    return List.copyOf(next);
  }
}
