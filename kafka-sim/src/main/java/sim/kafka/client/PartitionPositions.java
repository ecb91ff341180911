package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * The partitions a consumer-protocol member owns and where it is in each (kafka-clients' {@code SubscriptionState} with
 * the fetcher and the auto-commit): a new one starts at its committed offset (OffsetFetch) or per
 * {@code auto.offset.reset} (ListOffsets); fetched records are processed, then their offset committed with the member's
 * epoch (at least once), or committed first and processed once acknowledged (at most once).
 */
final class PartitionPositions {
  /** What the member knows of one partition it owns. */
  private static final class Owned {
    long position = -1;
    boolean resolving = true;
    long fetchInFlight = -1;
    long fetchSinceMs;
    final List<LogRecord> awaitingCommit = new ArrayList<>();
  }

  private final GroupConsumerConfig config;
  private final GroupLedger ledger;
  private final Supplier<String> memberId;
  private final IntSupplier memberEpoch;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<TopicPartition, Owned> owned = new TreeMap<>();
  private final TreeSet<NodeId> unreachable = new TreeSet<>();

  PartitionPositions(GroupConsumerConfig config, GroupLedger ledger, Supplier<String> memberId, IntSupplier memberEpoch) {
    this.config = config;
    this.ledger = ledger;
    this.memberId = memberId;
    this.memberEpoch = memberEpoch;
  }

  // ---- metadata and connections ----

  void onMetadata(String topic, List<PartitionState> states) {
    for (PartitionState s : states) {
      if (!s.tp().topic().equals(topic)) continue;
      if (s.leader() == null) leaders.remove(s.tp().partition());
      else leaders.put(s.tp().partition(), s.leader());
    }
  }

  int leadersKnown() {
    return leaders.size();
  }

  void reachable(NodeId from) {
    unreachable.remove(from);
  }

  boolean isReachable(NodeId n) {
    return !unreachable.contains(n);
  }

  /** A broker's process died: its fetches fail now, and its leaderships are unknown until the metadata says again. */
  void disconnected(NodeId peer) {
    unreachable.add(peer);
    for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
      if (e.getValue().fetchInFlight >= 0 && peer.equals(leaders.get(e.getKey().partition()))) {
        e.getValue().fetchInFlight = -1;
        leaders.remove(e.getKey().partition());
      }
    }
  }

  // ---- ownership ----

  List<TopicPartition> owned() {
    return List.copyOf(owned.keySet());
  }

  /** Newly assigned partitions: ask the coordinator where each stands. */
  void assign(NodeContext ctx, TreeSet<TopicPartition> added, NodeId coordinator, long correlationId) {
    for (TopicPartition tp : added) owned.put(tp, new Owned());
    if (coordinator != null) ctx.send(coordinator, new KafkaMessage.OffsetFetchRequest(correlationId, config.groupId(), List.copyOf(added)));
  }

  /**
   * Revoked partitions stop being fetched; committing after processing, their positions are returned to be committed
   * before the revocation is acknowledged. Records committed-before-processing but not yet acknowledged are dropped:
   * their commit may still succeed, and then nobody processes them (at most once).
   */
  Map<TopicPartition, Long> revoke(NodeContext ctx, TreeSet<TopicPartition> revoked) {
    TreeMap<TopicPartition, Long> positions = new TreeMap<>();
    for (TopicPartition tp : revoked) {
      Owned o = owned.remove(tp);
      if (o != null && o.position >= 0 && config.commitMode() == GroupConsumerConfig.CommitMode.AFTER_PROCESSING) positions.put(tp, o.position);
    }
    return positions;
  }

  void loseAll() {
    owned.clear();
  }

  // ---- positions ----

  void onOffsetFetch(NodeContext ctx, KafkaMessage.OffsetFetchResponse r) {
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      Owned o = owned.get(e.getKey());
      if (o == null || !o.resolving) continue;
      if (e.getValue() >= 0) {
        o.position = e.getValue();
        o.resolving = false;
        ctx.note(config.groupId() + " " + e.getKey() + " resumes at committed offset " + e.getValue());
      } else {
        NodeId leader = leaders.get(e.getKey().partition());
        if (leader == null) continue;
        ctx.send(leader, new KafkaMessage.ListOffsetsRequest(0, e.getKey(), config.autoOffsetReset().equals("earliest") ? -2 : -1));
      }
    }
  }

  void onListOffsets(KafkaMessage.ListOffsetsResponse r) {
    Owned o = owned.get(r.tp());
    if (r.error() != Errors.NONE) leaders.remove(r.tp().partition());
    if (o == null || r.error() != Errors.NONE || !o.resolving) return;
    o.position = r.offset();
    o.resolving = false;
  }

  // ---- fetching, processing, committing ----

  void fetchOwned(NodeContext ctx, NodeId coordinator, LongSupplier ids) {
    long now = ctx.localTimeMs();
    for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
      Owned o = e.getValue();
      NodeId leader = leaders.get(e.getKey().partition());
      if (o.resolving && o.position < 0) {
        if (leader != null && now - o.fetchSinceMs > 2000) {
          o.fetchSinceMs = now;
          ctx.send(coordinator, new KafkaMessage.OffsetFetchRequest(ids.getAsLong(), config.groupId(), List.of(e.getKey())));
        }
        continue;
      }
      if (o.position < 0 || !o.awaitingCommit.isEmpty() || (o.fetchInFlight >= 0 && now - o.fetchSinceMs < 2000) || leader == null) continue;
      o.fetchInFlight = ids.getAsLong();
      o.fetchSinceMs = now;
      ctx.send(leader, new FetchRequest(o.fetchInFlight, null, e.getKey(), o.position, -1, 1 << 20));
    }
  }

  void onFetch(NodeContext ctx, FetchResponse r, NodeId coordinator) {
    Owned o = owned.get(r.tp());
    if (o == null || r.correlationId() != o.fetchInFlight) return;
    o.fetchInFlight = -1;
    if (r.error() != Errors.NONE) {
      leaders.remove(r.tp().partition());
      return;
    }
    List<LogRecord> records;
    try {
      records = RecordBatches.recordsFrom(r.records().bytes(), o.position);
    } catch (CorruptRecordException e) {
      return;
    }
    if (records.isEmpty()) return;
    long next = records.get(records.size() - 1).offset() + 1;
    if (config.commitMode() == GroupConsumerConfig.CommitMode.AFTER_PROCESSING) process(ctx, r.tp(), records);
    else o.awaitingCommit.addAll(records); // at most once: processed only once the commit is acknowledged
    o.position = next;
    commit(ctx, coordinator, Map.of(r.tp(), next), r.correlationId() + 1_000_000_000L);
  }

  private void process(NodeContext ctx, TopicPartition tp, List<LogRecord> records) {
    for (LogRecord rec : records) {
      ledger.processed(new GroupLedger.Processed(ctx.self().name(), memberId.get(), memberEpoch.getAsInt(), tp, rec.offset(), rec.valueText(), ctx.localTimeNanos()));
    }
    ctx.point("kafka.consumer.process", config.groupId() + " " + memberId.get() + " processes " + tp + " offsets " + records.get(0).offset() + ".."
            + records.get(records.size() - 1).offset(), "group", config.groupId(), "member", memberId.get(), "memberEpoch", memberEpoch.getAsInt(),
        "partition", tp.toString(), "fromOffset", records.get(0).offset(), "lastOffset", records.get(records.size() - 1).offset());
  }

  private void commit(NodeContext ctx, NodeId coordinator, Map<TopicPartition, Long> offsets, long correlationId) {
    if (coordinator == null || memberEpoch.getAsInt() <= 0) return;
    ctx.send(coordinator, new KafkaMessage.OffsetCommitRequest(correlationId, config.groupId(), memberEpoch.getAsInt(), memberId.get(),
        config.groupInstanceId(), offsets));
  }

  void onCommit(NodeContext ctx, KafkaMessage.OffsetCommitResponse r) {
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      Owned o = owned.get(e.getKey());
      if (r.error() == Errors.NONE) {
        ledger.committed(new GroupLedger.Commit(ctx.self().name(), memberId.get(), memberEpoch.getAsInt(), e.getKey(), e.getValue(), ctx.localTimeNanos()));
        if (o != null && !o.awaitingCommit.isEmpty()) {
          process(ctx, e.getKey(), List.copyOf(o.awaitingCommit));
          o.awaitingCommit.clear();
        }
      } else if (o != null && !o.awaitingCommit.isEmpty()) {
        // Not committed (a stale epoch, a moved coordinator): not ours to process yet; fetch them again.
        o.position = o.awaitingCommit.get(0).offset();
        o.awaitingCommit.clear();
      }
    }
  }

  String describe() {
    StringBuilder b = new StringBuilder();
    owned.forEach((tp, o) -> b.append("  ").append(tp).append(" at ").append(o.position < 0 ? "?" : o.position).append('\n'));
    return b.toString();
  }
}
