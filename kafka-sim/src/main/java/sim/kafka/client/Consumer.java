package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.kafka.broker.Errors;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.KafkaMessage.ListOffsetsRequest;
import sim.kafka.broker.KafkaMessage.ListOffsetsResponse;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.history.LogOperation;
import sim.kafka.history.OperationLog;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * A consumer that polls every partition's leader from offset 0 (no group, no committed offsets: as
 * {@code auto.offset.reset=earliest} with a log that starts at 0). A fetch below the log start offset (retention
 * deleted what it had not read yet) fails with OFFSET_OUT_OF_RANGE; the consumer then resets by
 * {@code auto.offset.reset=earliest}: ListOffsets for the log start, and it goes on from there. It records
 * what it read, the leader epoch of the batch each record came in and the high watermark each fetch response
 * carried, so checks can hold the broker to "consumers read only committed records" and "what was read
 * stays in the log".
 */
public final class Consumer implements Node {
  /**
   * A record as read: the HW of the response that carried it, and its batch (base offset, CRC and the leader
   * epoch the batch was written in, as {@code ConsumerRecord.leaderEpoch()} gives it).
   */
  public record Consumed(int partition, long offset, String key, String value, long highWatermark, int leaderEpoch, long batchBaseOffset,
      long batchCrc) {}

  private record Poll() implements Timer {}

  private final PartitionPoller poller;
  /** Partitions whose position is being reset (ListOffsets in flight), with the position that was out of range. */
  private final TreeMap<Integer, Long> resetting = new TreeMap<>();
  private final List<Consumed> consumed = new ArrayList<>();
  private final OperationLog history;

  public Consumer(String topic, int numPartitions, List<NodeId> bootstrap) {
    this(topic, numPartitions, bootstrap, OperationLog.NONE);
  }

  public Consumer(String topic, int numPartitions, List<NodeId> bootstrap, OperationLog history) {
    this.history = history;
    this.poller = new PartitionPoller(topic, numPartitions, bootstrap);
  }

  @Override
  public void start(NodeContext ctx) {
    poller.start();
    ctx.setTimer(new Poll(), Durations.seconds(4));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof MetadataResponse r) {
      poller.onMetadata(r);
    } else if (m instanceof FetchResponse r) {
      onFetchResponse(ctx, r);
    } else if (m instanceof ListOffsetsResponse r) {
      onListOffsets(ctx, r);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (!(t instanceof Poll)) return;
    poller.poll(ctx, history::nowNanos, resetting::containsKey, (id, tp, position) -> new FetchRequest(id, null, tp, position, -1, 1 << 20));
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  /** The leader's process died: the fetch in flight fails now (a disconnect), and the next poll asks for metadata. */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    poller.onDisconnected(peer, p -> ctx.note(poller.topic() + "-" + p + ": connection to " + peer + " reset; fetch failed, refreshing metadata"));
  }

  private void onFetchResponse(NodeContext ctx, FetchResponse r) {
    int p = r.tp().partition();
    PartitionPoller.InFlight f = poller.answered(p);
    if (r.error() == Errors.OFFSET_OUT_OF_RANGE && r.logStartOffset() > poller.position(p)) {
      outOfRange(ctx, r, f);
      return;
    }
    if (r.error() != Errors.NONE) {
      poller.forgetLeader(p);
      return;
    }
    if (r.records().isEmpty()) return;
    long position = poller.position(p);
    byte[] bytes = r.records().bytes();
    List<String> values = new ArrayList<>();
    long from = position;
    try {
      for (int pos = 0; pos < bytes.length; ) {
        BatchHeader h = RecordBatches.validate(bytes, pos, bytes.length);
        for (LogRecord rec : RecordBatches.records(bytes, pos)) {
          if (rec.offset() < position) continue;
          consumed.add(new Consumed(p, rec.offset(), rec.key() == null ? null : rec.keyText(), rec.valueText(), r.highWatermark(), h.partitionLeaderEpoch(), h.baseOffset(), h.crc()));
          values.add(rec.valueText());
          position = rec.offset() + 1;
        }
        pos += h.sizeInBytes();
      }
    } catch (CorruptRecordException e) {
      ctx.note(r.tp() + ": fetched data fails its check (check.crcs=true): " + e.getMessage() + "; fetching again");
      return;
    }
    poller.position(p, position);
    if (values.isEmpty()) return;
    if (f != null) history.ok(history.invoke(ctx.self().name(), new LogOperation.Read(r.tp().toString(), from), f.sentAtNanos()), values);
    ctx.point("kafka.consumer.poll", r.tp() + " poll returns " + (values.size() == 1 ? values.get(0) : values.get(0) + ".." + values.get(values.size() - 1))
            + " (offsets " + from + ".." + (position - 1) + ", HW " + r.highWatermark() + ")",
        "partition", r.tp().toString(), "fromOffset", from, "lastOffset", position - 1, "records", values.size(), "highWatermark", r.highWatermark());
  }

  /**
   * The position is below the leader's log start offset: the records there were deleted. The read is written
   * down as failed with OFFSET_OUT_OF_RANGE (a legal answer, not a lost write), and the position is reset by
   * {@code auto.offset.reset=earliest} (kafka-clients' {@code Fetcher} then {@code OffsetFetcher}).
   */
  private void outOfRange(NodeContext ctx, FetchResponse r, PartitionPoller.InFlight f) {
    int p = r.tp().partition();
    long position = poller.position(p);
    if (f != null && f.fetchOffset() == position) {
      history.ok(history.invoke(ctx.self().name(), new LogOperation.Read(r.tp().toString(), position), f.sentAtNanos()),
          new LogOperation.OutOfRange(r.logStartOffset()));
    }
    ctx.note(r.tp() + ": fetch at offset " + position + " is OFFSET_OUT_OF_RANGE (log start offset " + r.logStartOffset()
        + "); auto.offset.reset=earliest: asking for the earliest offset");
    resetting.put(p, position);
    NodeId leader = poller.leader(p);
    if (leader == null) {
      resetting.remove(p);
      return;
    }
    ctx.send(leader, new ListOffsetsRequest(poller.nextCorrelationId(), r.tp(), -2));
  }

  private void onListOffsets(NodeContext ctx, ListOffsetsResponse r) {
    int p = r.tp().partition();
    Long from = resetting.remove(p);
    if (from == null) return;
    if (r.error() != Errors.NONE) {
      poller.forgetLeader(p); // the next poll refreshes metadata and fetches again, failing again if still behind
      return;
    }
    long to = Math.max(r.offset(), poller.position(p));
    poller.position(p, to);
    ctx.point("kafka.consumer.reset", r.tp() + " position " + from + " -> " + to + " (auto.offset.reset=earliest: the log start offset; "
            + (to - from) + " records deleted by retention before this consumer read them)",
        "partition", r.tp().toString(), "fromOffset", from, "toOffset", to, "skipped", to - from);
  }

  public List<Consumed> consumed() {
    return List.copyOf(consumed);
  }

  /** The number of records read so far; with {@link #consumed(int)} a copy-free walk for checks. */
  public int consumedCount() {
    return consumed.size();
  }

  public Consumed consumed(int index) {
    return consumed.get(index);
  }

  @Override
  public String describeState() {
    return "consumer positions " + poller.describePositions() + ", read " + consumed.size() + " records";
  }
}
