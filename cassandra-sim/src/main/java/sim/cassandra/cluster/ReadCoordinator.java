package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.cassandra.cql.Action;
import sim.cassandra.cql.Action.ReadCommand;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.metrics.DecayingHistogram;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.schema.SpeculativeRetryPolicy;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.cassandra.storage.TableStore;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * The read path of a coordinator (StorageProxy.fetchRows with AbstractReadExecutor, ReadCallback and the
 * digest and data resolvers). Each single-partition read contacts blockFor live replicas, one for data and
 * the rest for digests, and is answered once blockFor of the contacted replicas have answered with the data
 * among them; on a digest mismatch it reads data, reconciles and repairs before answering.
 *
 * <p>Speculative retry (the table's {@code speculative_retry}): a read that has not heard enough by its
 * threshold after it started asks one replica more, for a digest when the data is already in, for data
 * otherwise. The {@code 99p} default takes the threshold from the table's coordinator read latency, recomputed
 * every {@code read_request_timeout} (CassandraDaemon's SPECULATION_THRESHOLD_UPDATER); until the first
 * recomputation it is half that timeout. {@code ALWAYS} contacts one replica more from the start; {@code NONE}
 * never speculates. A read whose live replicas are all contacted already cannot speculate.
 */
final class ReadCoordinator {
  private final CassandraNode node;
  private final Coordinator coordinator;
  /** Per table: coordinatorReadLatency (microseconds) and the speculation threshold it gives. */
  private final TreeMap<String, DecayingHistogram> readLatency = new TreeMap<>();
  private final TreeMap<String, Long> sampleReadLatencyMicros = new TreeMap<>();
  private final long startedNanos;

  ReadCoordinator(CassandraNode node, Coordinator coordinator, long nowNanos) {
    this.node = node;
    this.coordinator = coordinator;
    this.startedNanos = nowNanos;
  }

  /** The reads of one statement (an IN, a range split at the ring's tokens): answered when every round is done. */
  static final class ReadGroup {
    final Coordinator.ClientRequest request;
    final List<ReadRound> rounds = new ArrayList<>();
    final Action.Read action;
    final long startedNanos;
    boolean answered;

    ReadGroup(Coordinator.ClientRequest request, Action.Read action, long startedNanos) {
      this.request = request;
      this.action = action;
      this.startedNanos = startedNanos;
    }
  }

  void read(NodeContext ctx, Coordinator.ClientRequest request, Action.Read r) {
    if (r.consistency() == ConsistencyLevel.EACH_QUORUM) {
      coordinator.answer(ctx, request, new StatementResult.Error("INVALID", "EACH_QUORUM ConsistencyLevel is only supported for writes"));
      return;
    }
    if (r.consistency() == ConsistencyLevel.ANY) {
      coordinator.answer(ctx, request, new StatementResult.Error("INVALID", "ANY ConsistencyLevel is only supported for writes"));
      return;
    }
    ConsistencyLevel cl = r.consistency().isSerial() ? (r.consistency() == ConsistencyLevel.SERIAL ? ConsistencyLevel.QUORUM : ConsistencyLevel.LOCAL_QUORUM) : r.consistency();
    ReadGroup g = new ReadGroup(request, r, ctx.localTimeNanos());
    List<ReadCommand> commands = new ArrayList<>();
    for (ReadCommand c : r.commands()) commands.addAll(split(c));
    for (ReadCommand c : commands) {
      KeyspaceMetadata ks = node.schema().keyspace(c.table().keyspace());
      long token = c.isRange() ? c.toInclusive() : c.key().token();
      List<NodeId> candidates = candidates(node.ring().replicas(token, ks), cl);
      String unavailable = ConsistencyRules.unavailable(cl, ks, candidates, node.ring(), node.datacenter());
      if (unavailable != null) {
        coordinator.answer(ctx, request, new StatementResult.Error("UNAVAILABLE", unavailable));
        return;
      }
      int blockFor = node.config().broken(CassandraNode.BREAK_READ_ONE) ? 1 : ConsistencyRules.blockFor(cl, ks, node.datacenter());
      SpeculativeRetryPolicy retry = c.isRange() ? new SpeculativeRetryPolicy.Never() : c.table().speculativeRetry();
      int contacts = Math.min(blockFor + (retry instanceof SpeculativeRetryPolicy.Always ? 1 : 0), candidates.size());
      g.rounds.add(new ReadRound(coordinator.newId(), c, new ArrayList<>(candidates.subList(0, contacts)), candidates, blockFor, retry));
    }
    if (g.rounds.isEmpty()) {
      coordinator.answer(ctx, request, r.then().apply(List.of()));
      return;
    }
    for (ReadRound round : g.rounds) start(ctx, g, round, cl);
  }

  /** The live replicas a read may contact, the coordinator itself first (the snitch's proximity order). */
  private List<NodeId> candidates(List<NodeId> replicas, ConsistencyLevel cl) {
    List<NodeId> alive = new ArrayList<>();
    if (replicas.contains(node.self())) alive.add(node.self());
    for (NodeId n : replicas) {
      if (!n.equals(node.self()) && node.gossiper().isUp(n) && ConsistencyRules.counts(cl, n, node.ring(), node.datacenter())) alive.add(n);
    }
    return alive;
  }

  /** AbstractReadExecutor.executeAsync, then the wait of maybeTryAdditionalReplicas as a timer. */
  private void start(NodeContext ctx, ReadGroup g, ReadRound round, ConsistencyLevel cl) {
    coordinator.register(round.id, g);
    ReadCommand c = round.command;
    ctx.point("cassandra.coordinator.read", c.table().qualifiedName() + (c.isRange() ? " range" : " token " + c.key().token()) + " from " + round.contacted + " at " + cl,
        "table", c.table().qualifiedName(), "consistency", cl.name(), "replicas", round.contacted.toString(), "blockFor", round.blockFor);
    int dataRequests = round.contacted.size() > round.blockFor ? 2 : 1;
    for (int i = 0; i < round.contacted.size(); i++) sendRead(ctx, round, round.contacted.get(i), i >= dataRequests);
    long timeoutMs = c.isRange() ? node.config().rangeRequestTimeoutMs() : node.config().readRequestTimeoutMs();
    ctx.setTimer(new CassandraTimer.RequestTimeout(round.id), timeoutMs * 1_000_000L);
    if (!mayStillSpeculate(round)) return;
    long thresholdMicros = sampleReadLatencyMicros(c.table().qualifiedName());
    // shouldSpeculateAndMaybeWait: no speculation when the threshold is past the read's own timeout
    if (thresholdMicros > timeoutMs * 1000L) return;
    long waitedNanos = ctx.localTimeNanos() - g.startedNanos;
    ctx.setTimer(new CassandraTimer.SpeculateRead(round.id), Math.max(0, thresholdMicros * 1000L - waitedNanos));
  }

  private static boolean mayStillSpeculate(ReadRound round) {
    boolean policyAllows = !(round.retry instanceof SpeculativeRetryPolicy.Never || round.retry instanceof SpeculativeRetryPolicy.Always);
    return policyAllows && round.contacted.size() < round.candidates.size();
  }

  /** SpeculatingReadExecutor.maybeTryAdditionalReplicas, once the threshold has passed. */
  void onSpeculate(NodeContext ctx, long id) {
    if (!(coordinator.pending(id) instanceof ReadGroup g)) return;
    ReadRound round = round(g, id);
    if (round == null || round.phase != ReadRound.Phase.DIGEST || round.satisfied()) return;
    boolean dataPresent = !round.data.isEmpty();
    NodeId extra = null;
    for (NodeId n : round.candidates) if (!round.contacted.contains(n)) { extra = n; break; }
    if (extra == null) return;
    round.contacted.add(extra);
    ctx.point("cassandra.coordinator.speculative-retry", round.command.table().qualifiedName() + " speculating read retry on " + extra
        + " (" + (dataPresent ? "digest" : "data") + ") after " + (ctx.localTimeNanos() - g.startedNanos) / 1000 + " us",
        "table", round.command.table().qualifiedName(), "replica", extra.name(), "digest", dataPresent);
    sendRead(ctx, round, extra, dataPresent);
  }

  /** A range read is split at the ring's tokens, so each piece has one replica set. */
  private List<ReadCommand> split(ReadCommand c) {
    if (!c.isRange()) return List.of(c);
    List<ReadCommand> out = new ArrayList<>();
    long from = c.fromExclusive();
    for (long t : node.ring().tokens().keySet()) {
      if (t <= from) continue;
      if (t >= c.toInclusive()) break;
      out.add(ReadCommand.range(c.table(), from, t));
      from = t;
    }
    out.add(ReadCommand.range(c.table(), from, c.toInclusive()));
    return out;
  }

  private void sendRead(NodeContext ctx, ReadRound round, NodeId to, boolean digestOnly) {
    ReadCommand c = round.command;
    ctx.send(to, new CassandraMessage.ReadRequest(round.id, c.table().qualifiedName(), c.key(),
        c.isRange() ? c.fromExclusive() : 0, c.isRange() ? c.toInclusive() : 0, digestOnly));
  }

  private static ReadRound round(ReadGroup g, long id) {
    for (ReadRound r : g.rounds) if (r.id == id) return r;
    return null;
  }

  void onReadResponse(NodeContext ctx, NodeId from, CassandraMessage.ReadResponse resp) {
    if (!(coordinator.pending(resp.id()) instanceof ReadGroup g)) return;
    ReadRound round = round(g, resp.id());
    if (round == null || round.phase == ReadRound.Phase.DONE || round.phase == ReadRound.Phase.REPAIR) return;
    round.digests.put(from, resp.digest());
    if (!resp.digestOnly()) round.data.put(from, resp.data());
    if (round.phase == ReadRound.Phase.DIGEST) {
      if (!round.satisfied()) return;
      if (round.digests.values().stream().distinct().count() == 1) {
        round.result = round.data.values().iterator().next();
        finishRound(ctx, g, round);
        return;
      }
      round.mismatch = true;
      round.phase = ReadRound.Phase.FULL_DATA;
      ctx.point("cassandra.coordinator.digest-mismatch", round.command.table().qualifiedName() + " digests " + round.digests.keySet() + " differ: reading data from all",
          "table", round.command.table().qualifiedName(), "replicas", round.contacted.toString());
      for (NodeId n : round.contacted) if (!round.data.containsKey(n)) sendRead(ctx, round, n, false);
      return;
    }
    if (round.data.size() < round.blockFor) return;
    repair(ctx, g, round);
  }

  /** Reconciles the data answers and sends each answering replica whose data differs the difference. */
  private void repair(NodeContext ctx, ReadGroup g, ReadRound round) {
    TableStore schema = node.storage().store(round.command.table());
    List<Partition> merged = round.reconcile(schema);
    round.result = merged;
    round.phase = ReadRound.Phase.REPAIR;
    for (var e : round.data.entrySet()) {
      NodeId n = e.getKey();
      List<Partition> theirs = e.getValue();
      if (ReadRound.digest(theirs) == ReadRound.digest(merged)) continue;
      for (Partition p : merged) {
        Partition have = theirs.stream().filter(x -> x.key().equals(p.key())).findFirst().orElse(null);
        if (p.equals(have)) continue;
        round.repairsSent++;
        ctx.point("cassandra.coordinator.read-repair", "repairing " + n + " for key " + p.key(), "replica", n.name(), "token", p.key().token());
        ctx.send(n, new CassandraMessage.MutationRequest(round.id, new Mutation(round.command.table().keyspace(), round.command.table().name(), p), null));
      }
    }
    if (round.repairsSent == 0) finishRound(ctx, g, round);
  }

  void onReadRepairAck(NodeContext ctx, NodeId from, long id) {
    if (!(coordinator.pending(id) instanceof ReadGroup g)) return;
    ReadRound r = round(g, id);
    if (r == null || r.phase != ReadRound.Phase.REPAIR) return;
    r.repairAcks.add(from);
    if (r.repairAcks.size() >= r.repairsSent) finishRound(ctx, g, r);
  }

  private void finishRound(NodeContext ctx, ReadGroup g, ReadRound round) {
    round.phase = ReadRound.Phase.DONE;
    coordinator.forget(round.id);
    if (g.answered) return;
    for (ReadRound r : g.rounds) if (r.phase != ReadRound.Phase.DONE) return;
    List<Partition> all = new ArrayList<>();
    for (ReadRound r : g.rounds) all.addAll(r.result);
    answer(ctx, g, g.action.then().apply(all));
  }

  void onReadTimeout(NodeContext ctx, ReadGroup g, long id) {
    ReadRound r = round(g, id);
    if (r == null || r.phase == ReadRound.Phase.DONE) return;
    coordinator.forget(id);
    int received = r.phase == ReadRound.Phase.REPAIR ? r.repairAcks.size() : r.responses();
    r.phase = ReadRound.Phase.DONE;
    if (g.answered) return;
    answer(ctx, g, new StatementResult.Error("READ_TIMEOUT", "Operation timed out - received only " + Math.min(received, r.blockFor) + " responses."));
  }

  /**
   * readRegular's finally block: whatever the outcome, every table the statement read records the
   * statement's latency in its coordinatorReadLatency (range reads count elsewhere, as scans).
   */
  private void answer(NodeContext ctx, ReadGroup g, StatementResult result) {
    g.answered = true;
    long now = ctx.localTimeNanos();
    TreeSet<String> tables = new TreeSet<>();
    for (ReadRound r : g.rounds) if (!r.command.isRange()) tables.add(r.command.table().qualifiedName());
    for (String t : tables) readLatency.computeIfAbsent(t, k -> new DecayingHistogram(startedNanos)).update((now - g.startedNanos) / 1000, now);
    coordinator.answer(ctx, g.request, result);
  }

  /** ColumnFamilyStore.sampleReadLatencyMicros: read_request_timeout / 2 until the first update. */
  private long sampleReadLatencyMicros(String table) {
    return sampleReadLatencyMicros.getOrDefault(table, node.config().readRequestTimeoutMs() * 1000L / 2);
  }

  /** SPECULATION_THRESHOLD_UPDATER: every table's threshold from its policy and latency so far. */
  void updateSpeculationThresholds(NodeContext ctx) {
    long now = ctx.localTimeNanos();
    for (var t : node.schema().tables()) {
      String name = t.qualifiedName();
      DecayingHistogram latency = readLatency.computeIfAbsent(name, k -> new DecayingHistogram(startedNanos));
      long before = sampleReadLatencyMicros(name);
      long after = t.speculativeRetry().thresholdMicros(latency, now, before);
      sampleReadLatencyMicros.put(name, after);
      if (after != before && after != Long.MAX_VALUE) {
        ctx.point("cassandra.speculation-threshold", name + " speculative_retry " + t.speculativeRetry() + ": threshold " + before + " us -> " + after + " us",
            "table", name, "thresholdMicros", after);
      }
    }
  }

  /** What the stepper's inspector shows: each table's threshold and how many reads its latency holds. */
  String describe(long nowNanos) {
    StringBuilder sb = new StringBuilder();
    for (var t : node.schema().tables()) {
      String name = t.qualifiedName();
      DecayingHistogram h = readLatency.get(name);
      sb.append("  ").append(name).append(" speculative_retry ").append(t.speculativeRetry()).append(", threshold ").append(sampleReadLatencyMicros(name))
          .append(" us, ").append(h == null ? 0 : h.size(nowNanos)).append(" reads sampled\n");
    }
    return sb.toString();
  }
}
