package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntSupplier;
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
 * The partitions a group member owns and where it is in each (kafka-clients' {@code SubscriptionState} with the fetcher
 * and the auto-commit), for both group protocols: a new one starts at its committed offset (OffsetFetch) or per
 * {@code auto.offset.reset} (ListOffsets); fetched records are processed, then their offset committed with the member's
 * generation or epoch (at least once), or committed first and processed once acknowledged (at most once).
 */
final class PartitionPositions {
  /** How the consumer that owns these positions numbers its requests and sends its commits (each keeps its own ids). */
  interface Requests {
    long listOffsets();

    /** The id of an OffsetFetch the positions send again for a partition still without a position. */
    long offsetFetch(NodeContext ctx);

    long fetch();

    /** Commits {@code offsets} after the fetch {@code fetchCorrelationId} answered. */
    void commit(NodeContext ctx, Map<TopicPartition, Long> offsets, long fetchCorrelationId);
  }

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
  private final Requests requests;
  /** What the trace calls {@link #memberEpoch}: "memberEpoch" or "generation". */
  private final String epochName;
  /**
   * At most once, classic protocol: records whose commit was sent before their partition was revoked are processed when
   * it is acknowledged (the application holds them, its commitSync returns before the rebalance); null: dropped.
   */
  private final Map<TopicPartition, List<LogRecord>> revokedAwaitingCommit;

  /**
   * {@code memberEpoch} (named {@code epochName} in the trace) is what commits and the ledger carry: the member epoch
   * (consumer protocol) or the generation (classic). {@code processRevokedOnceCommitted}: see {@link #revokedAwaitingCommit}.
   */
  PartitionPositions(GroupConsumerConfig config, GroupLedger ledger, Supplier<String> memberId, String epochName, IntSupplier memberEpoch,
      Requests requests, boolean processRevokedOnceCommitted) {
    this.epochName = epochName;
    this.config = config;
    this.ledger = ledger;
    this.memberId = memberId;
    this.memberEpoch = memberEpoch;
    this.requests = requests;
    this.revokedAwaitingCommit = processRevokedOnceCommitted ? new TreeMap<>() : null;
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

  boolean owns(TopicPartition tp) {
    return owned.containsKey(tp);
  }

  /** Newly assigned partitions, without a position until {@link #fetchOffsets} is answered. */
  void own(TreeSet<TopicPartition> added) {
    for (TopicPartition tp : added) owned.put(tp, new Owned());
  }

  /** Asks the coordinator where each newly assigned partition stands. */
  void fetchOffsets(NodeContext ctx, TreeSet<TopicPartition> added, NodeId coordinator, long correlationId) {
    if (coordinator != null) ctx.send(coordinator, new KafkaMessage.OffsetFetchRequest(correlationId, config.groupId(), List.copyOf(added)));
  }

  /** {@link #own} then {@link #fetchOffsets}. */
  void assign(NodeContext ctx, TreeSet<TopicPartition> added, NodeId coordinator, long correlationId) {
    own(added);
    fetchOffsets(ctx, added, coordinator, correlationId);
  }

  /**
   * Revoked partitions stop being fetched; committing after processing, their positions are returned to be committed
   * before the revocation is acknowledged. Records committed-before-processing but not yet acknowledged are dropped
   * (their commit may still succeed, and then nobody processes them: at most once), or kept to be processed once it is.
   */
  Map<TopicPartition, Long> revoke(NodeContext ctx, java.util.Collection<TopicPartition> revoked) {
    TreeMap<TopicPartition, Long> positions = new TreeMap<>();
    for (TopicPartition tp : revoked) {
      Owned o = owned.remove(tp);
      if (o != null && o.position >= 0 && config.commitMode() == GroupConsumerConfig.CommitMode.AFTER_PROCESSING) positions.put(tp, o.position);
      if (o != null && !o.awaitingCommit.isEmpty() && revokedAwaitingCommit != null) revokedAwaitingCommit.put(tp, List.copyOf(o.awaitingCommit));
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
        ctx.send(leader, new KafkaMessage.ListOffsetsRequest(requests.listOffsets(), e.getKey(), config.autoOffsetReset().equals("earliest") ? -2 : -1));
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

  void fetchOwned(NodeContext ctx, NodeId coordinator) {
    long now = ctx.localTimeMs();
    for (Map.Entry<TopicPartition, Owned> e : owned.entrySet()) {
      Owned o = e.getValue();
      NodeId leader = leaders.get(e.getKey().partition());
      if (o.resolving && o.position < 0) {
        if (leader != null && coordinator != null && now - o.fetchSinceMs > 2000) {
          o.fetchSinceMs = now;
          ctx.send(coordinator, new KafkaMessage.OffsetFetchRequest(requests.offsetFetch(ctx), config.groupId(), List.of(e.getKey())));
        }
        continue;
      }
      if (o.position < 0 || !o.awaitingCommit.isEmpty() || (o.fetchInFlight >= 0 && now - o.fetchSinceMs < 2000) || leader == null) continue;
      o.fetchInFlight = requests.fetch();
      o.fetchSinceMs = now;
      ctx.send(leader, new FetchRequest(o.fetchInFlight, null, e.getKey(), o.position, -1, 1 << 20));
    }
  }

  void onFetch(NodeContext ctx, FetchResponse r) {
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
    requests.commit(ctx, Map.of(r.tp(), next), r.correlationId());
  }

  private void process(NodeContext ctx, TopicPartition tp, List<LogRecord> records) {
    for (LogRecord rec : records) {
      ledger.processed(new GroupLedger.Processed(ctx.self().name(), memberId.get(), memberEpoch.getAsInt(), tp, rec.offset(), rec.valueText(), ctx.localTimeNanos()));
    }
    ctx.point("kafka.consumer.process", config.groupId() + " " + memberId.get() + " processes " + tp + " offsets " + records.get(0).offset() + ".."
            + records.get(records.size() - 1).offset(), "group", config.groupId(), "member", memberId.get(), epochName, memberEpoch.getAsInt(),
        "partition", tp.toString(), "fromOffset", records.get(0).offset(), "lastOffset", records.get(records.size() - 1).offset());
  }

  void onCommit(NodeContext ctx, KafkaMessage.OffsetCommitResponse r) {
    for (Map.Entry<TopicPartition, Long> e : r.offsets().entrySet()) {
      Owned o = owned.get(e.getKey());
      List<LogRecord> revoked = revokedAwaitingCommit == null ? null : revokedAwaitingCommit.remove(e.getKey());
      if (revoked != null && r.error() == Errors.NONE) process(ctx, e.getKey(), revoked);
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
