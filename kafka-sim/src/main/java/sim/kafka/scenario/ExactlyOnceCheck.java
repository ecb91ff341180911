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
 * <p>Excused, and named by {@code kafka.eos-output-once-at-end}: a duplicate after a loss moment Kafka allows (an ISR-wide
 * power loss, an unclean election) on the group's offsets partition (its committed offsets may go back while the
 * output they covered survives), on the input record's partition (its offset then names another record) or on an
 * output partition the record appeared in.
 */
final class ExactlyOnceCheck {
  static final String NAME = "kafka.eos-output-exactly-once";

  private final KafkaCluster cluster;
  private final ClusterWatch watch;
  private TxnConsumer seen;
  private int checked;
  /** Input key → the output partition@offset first returned for it. */
  private final Map<String, String> outputOf = new HashMap<>();
  /** The loss moments that excused duplicates (partition: rules). */
  private final java.util.TreeSet<String> excusedBy = new java.util.TreeSet<>();
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
    if (excusedDuplicates.isEmpty()) return sim.core.check.CheckResult.ok(AT_END, detail);
    return sim.core.check.CheckResult.excused(AT_END, sim.core.check.Excuse.ofRules(List.of("loss moment on " + excusedBy), excusedDuplicates),
        detail + "; " + excusedDuplicates.size() + " output twice after records were lost as Kafka allows (" + excusedBy + ")");
  }

  /**
   * The loss moments that excuse this duplicate, or null: one on the group's offsets partition (its committed offsets
   * may have gone back while the output they covered survived), on the input record's partition (its offset may now
   * name another record), or on either output partition it appeared in.
   */
  private String excuse(String inputKey, String first, String at) {
    List<TopicPartition> tps = new ArrayList<>();
    for (TopicPartition tp : cluster.partitions()) if (tp.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) tps.add(tp);
    for (TopicPartition tp : cluster.dataPartitions()) if (inputKey.startsWith(tp + "@")) tps.add(tp);
    for (TopicPartition tp : cluster.txnPartitions()) if (first.startsWith(tp + "@") || at.startsWith(tp + "@")) tps.add(tp);
    for (TopicPartition tp : tps) {
      if (!watch.losses.eventsOn(tp).isEmpty()) return tp + ": " + watch.losses.eventsOn(tp).keySet();
    }
    return null;
  }

  String check() {
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
      String excused = excuse(r.key(), first, at);
      if (excused != null) {
        excusedDuplicates.add(r.key());
        excusedBy.add(excused);
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
