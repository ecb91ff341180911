package sim.kafka.raft;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import sim.core.NodeId;
import sim.kafka.log.Log;
import sim.kafka.raft.RaftMessage.Errors;
import sim.kafka.raft.RaftMessage.FetchRequest;
import sim.kafka.raft.RaftMessage.FetchResponse;

/**
 * The leader's side of Fetch: KafkaRaftClient's tryCompleteFetchRequest (which fetches it cannot serve from the log) and its
 * fetch purgatory (a fetch at the log end waits for new records, up to the fetch max wait), and LeaderState's observer
 * states (each broker's fetch offset, shown and never counted toward the high watermark).
 */
final class LeaderFetches {
  private final TreeMap<NodeId, FetchRequest> parked = new TreeMap<>();
  private final TreeMap<NodeId, Long> observers = new TreeMap<>();

  void clear() {
    parked.clear();
    observers.clear();
  }

  /**
   * The answer to a fetch the log cannot serve (ReplicatedLog.validateOffsetAndEpoch): the latest snapshot's id for a fetch
   * from an empty log or below the log start, a diverging epoch for a log that differs; null for a valid fetch.
   */
  static FetchResponse refusal(MetadataLog log, int epoch, NodeId self, long highWatermark, FetchRequest r) {
    MetadataLog.Validation valid = log.validateFetch(r.fetchOffset(), r.lastFetchedEpoch());
    return switch (valid.kind()) {
      case SNAPSHOT -> new FetchResponse(epoch, self, Errors.NONE, List.of(), highWatermark, -1, -1, valid.offset(), valid.epoch());
      case DIVERGING -> new FetchResponse(epoch, self, Errors.NONE, List.of(), highWatermark, Math.max(0, valid.epoch()), Math.max(0, valid.offset()));
      case VALID -> null;
    };
  }

  void observed(NodeId observer, long fetchOffset) {
    observers.put(observer, fetchOffset);
  }

  /** Answers with the batches from the fetch offset, or parks a fetch at the log end until there is something new. */
  void serveOrPark(NodeId from, FetchRequest r, Log log, BiConsumer<NodeId, List<RaftMessage.Batch>> answer) {
    if (r.fetchOffset() < log.logEndOffset()) answer.accept(from, batches(log, r));
    else parked.put(from, r);
  }

  /** New records, a moved high watermark or the fetch max wait: every parked fetch is answered. */
  void answerParked(Log log, BiConsumer<NodeId, List<RaftMessage.Batch>> answer) {
    for (NodeId v : new ArrayList<>(parked.keySet())) answer.accept(v, batches(log, parked.remove(v)));
  }

  private static List<RaftMessage.Batch> batches(Log log, FetchRequest r) {
    return MetadataBatches.split(log.read(r.fetchOffset(), Long.MAX_VALUE, 1 << 20));
  }

  String describeObservers(long highWatermark) {
    return observers.isEmpty() ? "" : "\nobservers' fetch offsets (high watermark " + highWatermark + "): " + observers;
  }
}
