package sim.kafka.scenario;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.kafka.broker.TopicPartition;
import sim.kafka.client.GroupConsumerConfig;
import sim.kafka.client.GroupLedger;
import sim.kafka.client.Producer;
import sim.kafka.group.GroupCoordinator;
import sim.kafka.group.GroupRecords;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * The consumer group's safety checks: no partition given to two members in one generation; every
 * acknowledged commit still in {@code __consumer_offsets} at the end (read from the partition's log, not
 * the coordinator's memory), unless that partition lost records the way Kafka allows; and, committing after
 * processing, every acknowledged record processed at least once.
 */
final class GroupChecks {
  private final KafkaCluster cluster;
  private final ClusterWatch watch;
  private final ClusterSpec.GroupSpec spec;
  private int assignmentsChecked;
  private final Map<String, String> ownerInGeneration = new HashMap<>();

  GroupChecks(KafkaCluster cluster, ClusterWatch watch, ClusterSpec.GroupSpec spec) {
    this.cluster = cluster;
    this.watch = watch;
    this.spec = spec;
  }

  void register(Simulation sim) {
    sim.addInvariant("kafka.group-one-owner-per-generation", this::oneOwnerPerGeneration);
    sim.addFinalCheck("kafka.group-committed-offsets-kept", this::committedOffsetsKept);
    sim.addFinalCheck("kafka.group-processed-at-least-once", this::processedAtLeastOnce);
    if (spec.config().consumerProtocol()) sim.addInvariant(ONE_HOLDER_AT_A_TIME, this::oneHolderAtATime);
  }

  static final String ONE_HOLDER_AT_A_TIME = "kafka.consumer-group-one-holder-at-a-time";

  /**
   * KIP-848 without a barrier: on every coordinator, at every moment, a partition is held (assigned, or assigned and
   * still being revoked) by at most one member of the group. A partition is handed to its next owner only after its
   * previous one acknowledged the revocation or left the group, whatever the epochs.
   */
  private String oneHolderAtATime() {
    for (var b : cluster.brokers()) {
      var broker = cluster.broker(b);
      if (broker == null) continue;
      Map<TopicPartition, String> twice = broker.groupCoordinator().consumerGroupDoublyHeld(spec.config().groupId());
      if (!twice.isEmpty()) return b + " coordinates " + spec.config().groupId() + " with partitions held by two members at once: " + twice;
    }
    return null;
  }

  private int lossMomentsSeen;

  private String oneOwnerPerGeneration() {
    int moments = watch.losses.eventsOn(offsetsPartition()).size();
    if (moments > lossMomentsSeen) {
      // The group's own state was lost the way Kafka allows (the offsets partition's ISR crashed, or an unclean
      // election): the coordinator starts again from what survived, generation numbers with it.
      lossMomentsSeen = moments;
      ownerInGeneration.clear();
    }
    List<GroupLedger.Assignment> all = cluster.groupLedger().assignments();
    for (; assignmentsChecked < all.size(); assignmentsChecked++) {
      GroupLedger.Assignment a = all.get(assignmentsChecked);
      for (TopicPartition tp : a.partitions()) {
        String key = a.generation() + "/" + tp;
        // A static member that restarted keeps its identity (group.instance.id) under a new member id; the old id is fenced.
        String before = ownerInGeneration.putIfAbsent(key, a.owner());
        if (before != null && !before.equals(a.owner())) {
          return tp + " assigned to both " + before + " and " + a.owner() + " in generation " + a.generation();
        }
      }
    }
    return null;
  }

  TopicPartition offsetsPartition() {
    return new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, GroupCoordinator.partitionFor(spec.config().groupId(), spec.offsetsTopicPartitions()));
  }

  /** The committed offsets as the offsets partition's log holds them at the end: last value per key. */
  Map<TopicPartition, Long> committedInLog() {
    Map<TopicPartition, Long> out = new TreeMap<>();
    var leader = cluster.controller() == null ? null : cluster.controller().partition(offsetsPartition());
    var broker = leader == null || leader.leader() == null ? null : cluster.broker(leader.leader());
    if (broker == null || broker.log(offsetsPartition()) == null) return out;
    for (LogRecord r : RecordBatches.allRecords(broker.log(offsetsPartition()).read(0, Long.MAX_VALUE, Integer.MAX_VALUE))) {
      if (r.key() == null || !(GroupRecords.key(r.key()) instanceof GroupRecords.OffsetKey k) || !k.group().equals(spec.config().groupId())) continue;
      TopicPartition tp = new TopicPartition(k.topic(), k.partition());
      if (r.value() == null) out.remove(tp);
      else out.put(tp, GroupRecords.offsetValue(r.value()).offset());
    }
    return out;
  }

  private CheckResult committedOffsetsKept() {
    String name = "kafka.group-committed-offsets-kept";
    Map<TopicPartition, Long> inLog = committedInLog();
    Map<TopicPartition, Long> maxAcked = new TreeMap<>();
    Map<TopicPartition, Long> lastAckedAt = new TreeMap<>();
    for (GroupLedger.Commit c : cluster.groupLedger().commits()) {
      maxAcked.merge(c.tp(), c.offset(), Math::max);
      lastAckedAt.merge(c.tp(), c.atNanos(), Math::max);
    }
    List<String> lost = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : maxAcked.entrySet()) {
      long kept = inLog.getOrDefault(e.getKey(), -1L);
      if (kept < e.getValue()) lost.add(e.getKey() + "@" + e.getValue() + " (log has " + (kept < 0 ? "none" : kept) + ")");
    }
    String detail = lost.isEmpty() ? "every acknowledged commit (" + cluster.groupLedger().commits().size() + ") is in " + offsetsPartition()
        + ": " + inLog : lost.size() + " partitions' committed offsets went back";
    Map<String, List<String>> rules = new TreeMap<>();
    watch.losses.eventsOn(offsetsPartition()).forEach((rule, at) -> rules.put(rule + " (the offsets partition)", lost));
    return CheckResult.losses(name, detail, lost, rules);
  }

  private CheckResult processedAtLeastOnce() {
    String name = "kafka.group-processed-at-least-once";
    if (spec.config().commitMode() != GroupConsumerConfig.CommitMode.AFTER_PROCESSING || !spec.config().autoOffsetReset().equals("earliest")) {
      return CheckResult.ok(name, "not promised: commits before processing or auto.offset.reset=" + spec.config().autoOffsetReset());
    }
    TreeSet<String> processed = new TreeSet<>();
    for (GroupLedger.Processed p : cluster.groupLedger().processed()) processed.add(p.tp() + ":" + p.offset() + "=" + p.value());
    List<String> missed = new ArrayList<>();
    Map<String, List<String>> allowed = new TreeMap<>();
    Map<Integer, Map<Long, String>> logs = new TreeMap<>();
    for (Producer.Acked a : cluster.producer().acked()) {
      TopicPartition tp = cluster.partitions().get(a.partition());
      Map<Long, String> log = logs.computeIfAbsent(a.partition(), i -> cluster.finalLog(tp));
      if (a.offset() < 0 || !a.value().equals(log.get(a.offset()))) continue; // lost from the log: acked-records-kept judges that
      if (processed.contains(tp + ":" + a.offset() + "=" + a.value())) continue;
      String record = a.value() + "@" + tp + ":" + a.offset();
      missed.add(record);
      for (String rule : reusedOffsetRules(tp, a.offset(), watch.losses.eventsOn(tp), cluster.groupLedger().commits(), cluster.groupLedger().processed())) {
        allowed.computeIfAbsent(rule, k -> new ArrayList<>()).add(record);
      }
    }
    int twice = cluster.groupLedger().processed().size() - processed.size();
    String detail = missed.isEmpty() ? "every acknowledged record still in the log was processed (" + processed.size() + " records; "
        + twice + " processed more than once)" : missed.size() + " records never processed " + missed.subList(0, Math.min(6, missed.size()));
    return CheckResult.losses(name, detail, missed, allowed);
  }

  /**
   * The loss moments that excuse the group never reading the record at {@code offset} of {@code tp}: after a loss
   * Kafka allows, the partition hands out its offsets again from what survived; a group that had already read past
   * an offset <em>before that moment</em> goes on from its position (its fetch position, or its committed offset
   * after a rebalance) and never reads the new record written there. The position counts only commits and
   * processed records at or before the moment: a position reached after it was reached over the new records, so it
   * excuses nothing.
   */
  static List<String> reusedOffsetRules(TopicPartition tp, long offset, Map<String, Long> lossEventsOnTp, List<GroupLedger.Commit> commits,
      List<GroupLedger.Processed> processed) {
    List<String> rules = new ArrayList<>();
    for (Map.Entry<String, Long> e : lossEventsOnTp.entrySet()) {
      long at = e.getValue();
      long position = -1;
      for (GroupLedger.Commit c : commits) if (c.tp().equals(tp) && c.atNanos() <= at) position = Math.max(position, c.offset());
      for (GroupLedger.Processed p : processed) if (p.tp().equals(tp) && p.atNanos() <= at) position = Math.max(position, p.offset() + 1);
      if (offset < position) {
        rules.add(e.getKey() + ", then " + tp + " reused offsets the group had already read past (position " + position + " by "
            + String.format(java.util.Locale.ROOT, "%.3fs", at / 1e9) + ")");
      }
    }
    return rules;
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
