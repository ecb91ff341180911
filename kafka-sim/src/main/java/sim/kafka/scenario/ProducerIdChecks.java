package sim.kafka.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.trace.TraceEvent;
import sim.kafka.raft.KraftController;
import sim.kafka.raft.RaftNode;

/**
 * KRaft producer ids, watched from outside: no producer id is handed out twice across the cluster
 * ({@code kafka.producer-id-unique}), and a block a broker takes never overlaps another broker's (or an earlier
 * incarnation's) block and lies below a nextProducerId the quorum had committed when the broker got it
 * ({@code kafka.producer-id-block-committed}): an uncommitted block is one a controller failover can hand out again.
 */
final class ProducerIdChecks {
  private record Block(String broker, long start, long end) {}

  private final Simulation sim;
  private final List<NodeId> voters;
  /** Producer id -> the broker that handed it out. */
  private final TreeMap<Long, String> handedOut = new TreeMap<>();
  /** Block start -> the block. */
  private final TreeMap<Long, Block> blocks = new TreeMap<>();
  private String violation;
  /** The highest nextProducerId below some leader's high watermark, ever. */
  private long committedNext = -1;
  private final TreeMap<NodeId, Long> learnedHw = new TreeMap<>();

  ProducerIdChecks(Simulation sim, List<NodeId> voters) {
    this.sim = sim;
    this.voters = voters;
  }

  void register() {
    sim.trace().addListener(this::onEvent);
    sim.addInvariant("kafka.producer-id-unique", () -> violation != null && violation.startsWith("producer id") ? violation : null);
    sim.addInvariant("kafka.producer-id-block-committed", () -> {
      learnCommitted();
      return violation != null && violation.startsWith("block") ? violation : null;
    });
  }

  /** Runs before the broker's event is checked: invariants run after every event, so commits are learned in time. */
  private void learnCommitted() {
    for (NodeId v : voters) {
      KraftController k = sim.node(v, KraftController.class);
      RaftNode r = k == null ? null : k.raft();
      if (r == null || !r.isLeader()) continue;
      long hw = r.highWatermark();
      if (learnedHw.getOrDefault(v, -1L) == hw) continue;
      learnedHw.put(v, hw);
      committedNext = Math.max(committedNext, r.committedImage().nextProducerId());
    }
  }

  private void onEvent(TraceEvent e) {
    if (violation != null) return;
    if (e.kind().equals("kafka.broker.producer-id")) {
      long id = ((Number) e.attribute("producerId")).longValue();
      String before = handedOut.putIfAbsent(id, e.node());
      if (before != null) violation = "producer id " + id + " handed out twice: by " + before + " and by " + e.node();
    } else if (e.kind().equals("kafka.broker.producer-id-block")) {
      onBlock(new Block(e.node(), ((Number) e.attribute("start")).longValue(), ((Number) e.attribute("end")).longValue()));
    }
  }

  private void onBlock(Block b) {
    learnCommitted();
    if (b.end() > committedNext) {
      violation = "block [" + b.start() + ", " + b.end() + ") taken by " + b.broker() + " is not committed: the quorum's committed "
          + "nextProducerId is " + committedNext;
      return;
    }
    Map.Entry<Long, Block> below = blocks.floorEntry(b.end() - 1);
    if (below != null && below.getValue().end() > b.start()) {
      violation = "block [" + b.start() + ", " + b.end() + ") taken by " + b.broker() + " overlaps [" + below.getValue().start() + ", "
          + below.getValue().end() + ") taken by " + below.getValue().broker();
      return;
    }
    blocks.put(b.start(), b);
  }
}
