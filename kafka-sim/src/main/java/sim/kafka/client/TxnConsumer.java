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
import sim.kafka.broker.KafkaMessage;
import sim.kafka.broker.KafkaMessage.FetchRequest;
import sim.kafka.broker.KafkaMessage.FetchResponse;
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.BatchHeader;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * A consumer of a transactional topic with {@code isolation.level} read_committed or read_uncommitted, polling every
 * partition's leader from offset 0. read_committed: the leader answers only below the last stable offset, with the
 * aborted transactions its batches overlap, and {@link ReadCommittedFilter} drops those records and the markers;
 * read_uncommitted: everything below the high watermark, aborted and still-open transactions included. Either way
 * the position moves past every batch returned, markers included. What it returned is kept for the checks (lost
 * on a crash, as a consumer without committed offsets starts again from 0).
 */
public final class TxnConsumer implements Node {
  /** A record the consumer returned to the application. */
  public record Returned(int partition, long offset, String value, long lastStableOffset) {}

  private record Poll() implements Timer {}

  private record InFlight(NodeId leader, long sinceMs) {}

  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final boolean readCommitted;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<Integer, Long> positions = new TreeMap<>();
  private final TreeMap<Integer, InFlight> inFlight = new TreeMap<>();
  private final List<Returned> returned = new ArrayList<>();
  private long nextCorrelationId;
  private int bootstrapIndex;

  public TxnConsumer(String topic, int numPartitions, List<NodeId> bootstrap, boolean readCommitted) {
    this.topic = topic;
    this.numPartitions = numPartitions;
    this.bootstrap = List.copyOf(bootstrap);
    this.readCommitted = readCommitted;
  }

  @Override
  public void start(NodeContext ctx) {
    for (int p = 0; p < numPartitions; p++) positions.put(p, 0L);
    ctx.setTimer(new Poll(), Durations.seconds(4));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof MetadataResponse r) {
      for (PartitionState s : r.partitions()) {
        if (!s.tp().topic().equals(topic)) continue;
        if (s.leader() == null) leaders.remove(s.tp().partition());
        else leaders.put(s.tp().partition(), s.leader());
      }
    } else if (m instanceof FetchResponse r && r.tp().topic().equals(topic)) {
      onFetchResponse(ctx, r);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (!(t instanceof Poll)) return;
    long now = ctx.localTimeMs();
    if (leaders.size() < numPartitions) ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new MetadataRequest(nextCorrelationId++));
    for (int p = 0; p < numPartitions; p++) {
      InFlight f = inFlight.get(p);
      NodeId leader = leaders.get(p);
      if ((f != null && now - f.sinceMs() < 2000) || leader == null) continue;
      inFlight.put(p, new InFlight(leader, now));
      ctx.send(leader, new FetchRequest(nextCorrelationId++, null, new TopicPartition(topic, p), positions.get(p), -1, 1 << 20,
          readCommitted ? KafkaMessage.READ_COMMITTED : KafkaMessage.READ_UNCOMMITTED));
    }
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    for (int p = 0; p < numPartitions; p++) {
      InFlight f = inFlight.get(p);
      if (f == null || !f.leader().equals(peer)) continue;
      inFlight.remove(p);
      leaders.remove(p);
    }
  }

  private void onFetchResponse(NodeContext ctx, FetchResponse r) {
    int p = r.tp().partition();
    inFlight.remove(p);
    if (r.error() != Errors.NONE) {
      leaders.remove(p);
      return;
    }
    byte[] bytes = r.records().bytes();
    if (bytes.length == 0) return;
    long position = positions.get(p);
    long next = position;
    List<LogRecord> records;
    try {
      for (int pos = 0; pos < bytes.length; ) {
        BatchHeader h = RecordBatches.validate(bytes, pos, bytes.length);
        next = Math.max(next, h.nextOffset());
        pos += h.sizeInBytes();
      }
      records = readCommitted ? ReadCommittedFilter.visible(bytes, r.abortedTransactions()) : ReadCommittedFilter.uncommitted(bytes);
    } catch (CorruptRecordException e) {
      ctx.note(r.tp() + ": fetched data fails its check (check.crcs=true): " + e.getMessage() + "; fetching again");
      return;
    }
    List<String> values = new ArrayList<>();
    for (LogRecord rec : records) {
      if (rec.offset() < position) continue;
      returned.add(new Returned(p, rec.offset(), rec.valueText(), r.lastStableOffset()));
      values.add(rec.valueText());
    }
    positions.put(p, next);
    if (values.isEmpty()) return;
    ctx.point("kafka.consumer.poll", r.tp() + " poll (" + (readCommitted ? "read_committed" : "read_uncommitted") + ") returns " + values
            + " (position " + position + " -> " + next + (readCommitted ? ", LSO " + r.lastStableOffset() : "") + ", HW " + r.highWatermark() + ")",
        "partition", r.tp().toString(), "fromOffset", position, "nextOffset", next, "records", values.size(), "highWatermark", r.highWatermark(),
        "isolation", readCommitted ? "read_committed" : "read_uncommitted");
  }

  public boolean readCommitted() {
    return readCommitted;
  }

  public int returnedCount() {
    return returned.size();
  }

  public Returned returned(int i) {
    return returned.get(i);
  }

  public List<Returned> returned() {
    return List.copyOf(returned);
  }

  @Override
  public String describeState() {
    return (readCommitted ? "read_committed" : "read_uncommitted") + " positions " + positions + ", returned " + returned.size() + " records";
  }
}
