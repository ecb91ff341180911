package sim.kafka.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.core.Simulation;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.TxnConsumer;
import sim.kafka.group.GroupCoordinator;

/**
 * {@code kafka.eos-output-exactly-once}, after every event: no input record's output reaches a read_committed consumer
 * twice. Each output record names its input record ({@code topic-partition@offset} as its key); two output records at
 * different offsets with the same key are one input processed twice and both committed — what
 * {@code sendOffsetsToTransaction} exists to prevent. (Missing output is the story check
 * {@code kafka.story.every-input-transformed}: a run may end before the transformer caught up.)
 *
 * <p>Excused, from the moment on, and named: a loss moment Kafka allows (an ISR-wide power loss, an unclean election) on
 * an input partition (its offsets then name other records), an output partition or the group's offsets partition (its
 * committed offsets may go back while the output they covered survives).
 */
final class ExactlyOnceCheck {
  static final String NAME = "kafka.eos-output-exactly-once";

  private final KafkaCluster cluster;
  private final ClusterWatch watch;
  private TxnConsumer seen;
  private int checked;
  /** Input key → the output partition@offset first returned for it. */
  private final Map<String, String> outputOf = new HashMap<>();
  /** The loss moment that excuses duplicates from then on (partition: rules), or null. */
  private String excusedBy;
  private final List<String> excusedDuplicates = new ArrayList<>();

  ExactlyOnceCheck(KafkaCluster cluster, ClusterWatch watch) {
    this.cluster = cluster;
    this.watch = watch;
  }

  void register(Simulation sim) {
    sim.addInvariant(NAME, this::check);
    sim.addFinalCheck(AT_END, this::atEnd);
  }

  static final String AT_END = "kafka.eos-output-once-at-end";

  /** The verdict over the whole run: no duplicate, or only duplicates after a loss moment Kafka allows, named. */
  private sim.core.check.CheckResult atEnd() {
    String v = check();
    if (v != null) return sim.core.check.CheckResult.failed(AT_END, v);
    String detail = outputOf.size() + " input records output once for read_committed";
    if (excusedDuplicates.isEmpty()) {
      return sim.core.check.CheckResult.ok(AT_END, detail + (excusedBy == null ? "" : "; judged only until " + excusedBy));
    }
    return sim.core.check.CheckResult.excused(AT_END, sim.core.check.Excuse.ofRules(List.of("loss moment on " + excusedBy), excusedDuplicates),
        detail + "; " + excusedDuplicates.size() + " output twice after records were lost as Kafka allows (" + excusedBy + ")");
  }

  /** The partitions whose loss moments excuse a duplicate: input, output, and the offsets partitions. */
  private List<TopicPartition> guarded() {
    List<TopicPartition> out = new ArrayList<>(cluster.dataPartitions());
    out.addAll(cluster.txnPartitions());
    for (TopicPartition tp : cluster.partitions()) if (tp.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) out.add(tp);
    return out;
  }

  String check() {
    for (TopicPartition tp : guarded()) {
      if (excusedBy == null && !watch.losses.eventsOn(tp).isEmpty()) excusedBy = tp + ": " + watch.losses.eventsOn(tp).keySet();
    }
    TxnConsumer c = cluster.txnConsumer(KafkaCluster.READ_COMMITTED);
    if (c == null) return null;
    if (c != seen) {
      seen = c; // a restarted consumer reads again from 0: the same offsets again are no duplicate
      checked = 0;
    }
    for (; checked < c.returnedCount(); checked++) {
      TxnConsumer.Returned r = c.returned(checked);
      if (r.key() == null) continue;
      String at = cluster.txnPartitions().get(r.partition()) + "@" + r.offset();
      String first = outputOf.putIfAbsent(r.key(), at);
      if (first == null || first.equals(at)) continue;
      if (excusedBy != null) {
        excusedDuplicates.add(r.key());
        continue;
      }
      return "input " + r.key() + " was output twice for read_committed: at " + first + " and at " + at + " (" + r.value() + ")";
    }
    return null;
  }

  /** How many input records have an output so far, for the story. */
  int outputs() {
    return outputOf.size();
  }
}
