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
import sim.kafka.broker.KafkaMessage.MetadataRequest;
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.broker.PartitionState;
import sim.kafka.broker.TopicPartition;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;
import sim.kafka.record.RecordBatches;

/**
 * A consumer that polls every partition's leader from offset 0 (no group, no committed offsets). It records
 * what it read and the high watermark each fetch response carried, so checks can hold the broker to
 * "consumers read only below the HW" and "what was read stays in the log".
 */
public final class Consumer implements Node {
  /** A record as read, with the HW of the response that carried it. */
  public record Consumed(int partition, long offset, String value, long highWatermark) {}

  private record Poll() implements Timer {}

  private final String topic;
  private final int numPartitions;
  private final List<NodeId> bootstrap;
  private final TreeMap<Integer, NodeId> leaders = new TreeMap<>();
  private final TreeMap<Integer, Long> positions = new TreeMap<>();
  private final TreeMap<Integer, Long> inFlightSinceMs = new TreeMap<>();
  private final List<Consumed> consumed = new ArrayList<>();
  private long nextCorrelationId;
  private int bootstrapIndex;

  public Consumer(String topic, int numPartitions, List<NodeId> bootstrap) {
    this.topic = topic;
    this.numPartitions = numPartitions;
    this.bootstrap = List.copyOf(bootstrap);
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
        if (s.leader() == null) leaders.remove(s.tp().partition()); else leaders.put(s.tp().partition(), s.leader());
      }
    } else if (m instanceof FetchResponse r) {
      onFetchResponse(ctx, r);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (!(t instanceof Poll)) return;
    long now = ctx.localTimeMs();
    if (leaders.size() < numPartitions) ctx.send(bootstrap.get(bootstrapIndex++ % bootstrap.size()), new MetadataRequest(nextCorrelationId++));
    for (int p = 0; p < numPartitions; p++) {
      Long since = inFlightSinceMs.get(p);
      if (since != null && now - since < 2000) continue;
      NodeId leader = leaders.get(p);
      if (leader == null) continue;
      inFlightSinceMs.put(p, now);
      ctx.send(leader, new FetchRequest(nextCorrelationId++, null, new TopicPartition(topic, p), positions.get(p), -1, 1 << 20));
    }
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  private void onFetchResponse(NodeContext ctx, FetchResponse r) {
    int p = r.tp().partition();
    inFlightSinceMs.remove(p);
    if (r.error() != Errors.NONE) {
      leaders.remove(p);
      return;
    }
    if (r.records().isEmpty()) return;
    long position = positions.get(p);
    List<LogRecord> records;
    try {
      records = RecordBatches.allRecords(r.records().bytes());
    } catch (CorruptRecordException e) {
      ctx.note(r.tp() + ": fetched data fails its check (check.crcs=true): " + e.getMessage() + "; fetching again");
      return;
    }
    for (LogRecord rec : records) {
      if (rec.offset() < position) continue;
      consumed.add(new Consumed(p, rec.offset(), rec.valueText(), r.highWatermark()));
      position = rec.offset() + 1;
    }
    positions.put(p, position);
  }

  public List<Consumed> consumed() {
    return List.copyOf(consumed);
  }

  @Override
  public String describeState() {
    return "consumer positions " + positions + ", read " + consumed.size() + " records";
  }
}
