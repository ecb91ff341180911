package sim.kafka.client;

import java.util.ArrayList;
import java.util.List;
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
import sim.kafka.broker.KafkaMessage.MetadataResponse;
import sim.kafka.record.CorruptRecordException;
import sim.kafka.record.LogRecord;

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
  public record Returned(int partition, long offset, String value, long lastStableOffset, String key) {}

  private record Poll() implements Timer {}

  private final PartitionPoller poller;
  private final boolean readCommitted;
  private final List<Returned> returned = new ArrayList<>();

  public TxnConsumer(String topic, int numPartitions, List<NodeId> bootstrap, boolean readCommitted) {
    this.poller = new PartitionPoller(topic, numPartitions, bootstrap);
    this.readCommitted = readCommitted;
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
    } else if (m instanceof FetchResponse r && r.tp().topic().equals(poller.topic())) {
      onFetchResponse(ctx, r);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (!(t instanceof Poll)) return;
    byte isolation = readCommitted ? KafkaMessage.READ_COMMITTED : KafkaMessage.READ_UNCOMMITTED;
    poller.poll(ctx, () -> 0L, p -> false, (id, tp, position) -> new FetchRequest(id, null, tp, position, -1, 1 << 20, isolation));
    ctx.setTimer(new Poll(), Durations.millis(200));
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    poller.onDisconnected(peer, p -> {});
  }

  private void onFetchResponse(NodeContext ctx, FetchResponse r) {
    int p = r.tp().partition();
    poller.answered(p);
    if (r.error() != Errors.NONE) {
      poller.forgetLeader(p);
      return;
    }
    byte[] bytes = r.records().bytes();
    if (bytes.length == 0) return;
    long position = poller.position(p);
    ReadCommittedFilter.Fetched fetched;
    try {
      fetched = ReadCommittedFilter.fetched(bytes, r.abortedTransactions(), readCommitted, position);
    } catch (CorruptRecordException e) {
      ctx.note(r.tp() + ": fetched data fails its check (check.crcs=true): " + e.getMessage() + "; fetching again");
      return;
    }
    long next = fetched.nextOffset();
    List<String> values = new ArrayList<>();
    for (LogRecord rec : fetched.records()) {
      returned.add(new Returned(p, rec.offset(), rec.valueText(), r.lastStableOffset(), rec.key() == null ? null : rec.keyText()));
      values.add(rec.valueText());
    }
    poller.position(p, next);
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
    return (readCommitted ? "read_committed" : "read_uncommitted") + " positions " + poller.describePositions() + ", returned " + returned.size() + " records";
  }
}
