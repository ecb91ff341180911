package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.cassandra.cql.Action;
import sim.cassandra.cql.Ddl;
import sim.cassandra.cql.Parser;
import sim.cassandra.cql.QueryProcessor;
import sim.cassandra.cql.Session;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.ring.TokenMetadata;
import sim.cassandra.ring.TokenRing;
import sim.cassandra.schema.Schema;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.script.StatementResult;
import sim.cassandra.storage.CommitLogPosition;
import sim.cassandra.storage.SSTable;
import sim.cassandra.storage.StorageEngine;
import sim.core.Message;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;

/**
 * A Cassandra node: every node is a replica for its token ranges and a coordinator for the clients
 * connected to it. As a replica it appends each mutation to the commit log, applies it to the memtable
 * and acknowledges — at once under {@code commitlog_sync: periodic}, after the covering fsync under
 * batch and group. It flushes memtables to SSTables, gossips every second, and keeps Paxos state.
 */
public final class CassandraNode implements sim.core.Node {
  public static final String BREAK_ACK_BEFORE_COMMITLOG = "cassandra.ack-before-commitlog";
  public static final String BREAK_READ_ONE = "cassandra.read-one-replica-for-quorum";
  public static final String BREAK_TOMBSTONE_TIE = "cassandra.ignore-tombstone-tie";
  public static final String BREAK_INCONSISTENT_RANGE_MOVEMENT = "cassandra.inconsistent-range-movement";

  private final NodeConfig config;
  private final List<NodeId> peers;
  private StorageEngine storage;
  private Gossiper gossiper;
  private Coordinator coordinator;
  private Hints hints;
  private Paxos paxos;
  private RepairSession repairSession;
  private PaxosStore paxosStore;
  private TokenMetadata tokenMetadata;
  private RangeMovementSession movement;
  private final TreeMap<NodeId, Session> sessions = new TreeMap<>();
  private long generation;
  private CommitLogService commitLogService;
  private final TreeMap<Long, Runnable> afterFsync = new TreeMap<>();
  private long nextFsyncId = 1;
  private long mutationsApplied;
  private int peerSchemaStatements;

  public CassandraNode(NodeConfig config, List<NodeId> peers) {
    this.config = config;
    this.peers = List.copyOf(peers);
  }

  // ---- accessors for the node's parts ----

  NodeConfig config() {
    return config;
  }

  /** The normal ring as this node's gossip knows it (natural replicas). */
  TokenRing ring() {
    return tokenMetadata.ring();
  }

  public TokenMetadata tokenMetadata() {
    return tokenMetadata;
  }

  RangeMovementSession movement() {
    return movement;
  }

  /** nodetool netstats' mode: STARTING (outside the ring), JOINING, NORMAL, LEAVING, DECOMMISSIONED. */
  public String mode() {
    return movement.mode().name();
  }

  NodeId self() {
    return config.endpoint().id();
  }

  String datacenter() {
    return config.endpoint().datacenter();
  }

  Schema schema() {
    return storage.schema();
  }

  public StorageEngine storage() {
    return storage;
  }

  Gossiper gossiper() {
    return gossiper;
  }

  Coordinator coordinator() {
    return coordinator;
  }

  RepairSession repairSession() {
    return repairSession;
  }

  Hints hints() {
    return hints;
  }

  /** Cassandra's {@code nowInSec}: this node's wall clock in seconds (the same clock write timestamps come from). */
  static long nowInSec(NodeContext ctx) {
    return Math.floorDiv(ClusterClock.micros(ctx), 1_000_000L);
  }

  long incarnationTag() {
    return generation % 1000;
  }

  long counterId() {
    long h = 1469598103934665603L;
    for (char c : self().name().toCharArray()) h = (h ^ c) * 1099511628211L;
    return h == Long.MIN_VALUE ? h + 1 : h;
  }

  public List<String> hintsDescription() {
    List<String> out = new ArrayList<>();
    for (Hint h : hints.all()) out.add(h.toString());
    return out;
  }

  public boolean believesUp(NodeId n) {
    return gossiper.isUp(n);
  }

  public String gossipView(long nowNanos) {
    return gossiper.describe(nowNanos);
  }

  public long mutationsApplied() {
    return mutationsApplied;
  }

  // ---- lifecycle ----

  @Override
  public void start(NodeContext ctx) {
    storage = new StorageEngine(ctx.disk(), config.storage());
    StorageEngine.Recovery r = storage.recover((schema, ksAndDdl) -> {
      try {
        Ddl.apply(schema, Parser.parse(ksAndDdl[1]), ksAndDdl[0].isEmpty() ? null : ksAndDdl[0]);
      } catch (RuntimeException e) {
        ctx.note("schema statement no longer applies: " + ksAndDdl[1] + " (" + e.getMessage() + ")");
      }
    });
    commitLogService = new CommitLogService(config.storage(), storage.commitLog());
    paxosStore = new PaxosStore(ctx.disk());
    paxosStore.load(storage::store);
    generation = ctx.localTimeMs() / 1000 + 1;
    gossiper = new Gossiper(self(), peers, generation, config.phiConvictThreshold(), ctx.localTimeNanos());
    coordinator = new Coordinator(this, ctx.localTimeNanos());
    hints = new Hints(this);
    paxos = new Paxos(this);
    repairSession = new RepairSession(this);
    tokenMetadata = new TokenMetadata(config.ring());
    movement = new RangeMovementSession(this, tokenMetadata, config.joinRing());
    movement.recover(ctx, ctx.disk());
    ctx.point("cassandra.startup", "recovered: " + r.schemaStatements() + " schema statements, " + r.sstables() + " SSTables, "
        + r.replayed() + " mutations replayed from the commit log" + (r.problems().isEmpty() ? "" : "; " + r.problems()),
        "sstables", r.sstables(), "replayed", r.replayed(), "generation", generation);
    ctx.setTimer(new CassandraTimer.GossipTick(), ctx.random("gossip").nextLong(1, config.gossipIntervalMs() * 1_000_000L));
    commitLogService.start(ctx);
    ctx.setTimer(new CassandraTimer.FlushCheck(), 1_000_000_000L);
    ctx.setTimer(new CassandraTimer.HintDispatch(), 10_000_000_000L);
    ctx.setTimer(new CassandraTimer.SpeculationThresholdUpdate(), config.readRequestTimeoutMs() * 1_000_000L);
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (movement.silent()) return; // decommissioned: messaging is shut down
    if (message instanceof CassandraMessage.Query q) {
      onQuery(ctx, from, q);
    } else if (message instanceof CassandraMessage.MutationRequest m) {
      onMutation(ctx, from, m);
    } else if (message instanceof CassandraMessage.MutationAck a) {
      if (!hints.onAck(a.id())) coordinator.onMutationAck(ctx, from, a.id());
    } else if (message instanceof CassandraMessage.ReadRequest r) {
      onRead(ctx, from, r);
    } else if (message instanceof CassandraMessage.ReadResponse r) {
      coordinator.reads().onReadResponse(ctx, from, r);
    } else if (message instanceof CassandraMessage.CounterLeaderRequest c) {
      coordinator.leadCounter(ctx, from, c);
    } else if (message instanceof CassandraMessage.CounterLeaderResponse c) {
      coordinator.onCounterLeaderResponse(ctx, c.id(), c.error());
    } else if (message instanceof CassandraMessage.SchemaPush s) {
      onSchemaPush(ctx, from, s);
    } else if (message instanceof CassandraMessage.SchemaAck s) {
      paxos.onSchemaAck(ctx, from, s.id());
    } else if (message instanceof CassandraMessage.GossipSyn s) {
      onGossip(ctx, s.states(), s.statuses());
      pullSchemaIfBehind(ctx, from, s.schemaStatements());
      ctx.send(from, new CassandraMessage.GossipAck(gossiper.snapshot(), gossiper.statuses(), storage.schemaLog().size()));
    } else if (message instanceof CassandraMessage.GossipAck a) {
      onGossip(ctx, a.states(), a.statuses());
      pullSchemaIfBehind(ctx, from, a.schemaStatements());
    } else if (message instanceof CassandraMessage.SchemaPull) {
      ctx.send(from, new CassandraMessage.SchemaLog(storage.schemaLog()));
    } else if (message instanceof CassandraMessage.SchemaLog l) {
      for (String line : l.statements()) {
        if (storage.schemaLog().contains(line)) continue;
        int tab = line.indexOf('\t');
        applySchema(ctx, tab == 0 ? null : line.substring(0, tab), line.substring(tab + 1), () -> { });
      }
    } else if (message instanceof CassandraMessage.Prepare p) {
      paxos.onPrepare(ctx, from, p, paxosStore);
    } else if (message instanceof CassandraMessage.Promise p) {
      paxos.onPromise(ctx, from, p);
    } else if (message instanceof CassandraMessage.Propose p) {
      paxos.onPropose(ctx, from, p, paxosStore);
    } else if (message instanceof CassandraMessage.Accepted a) {
      paxos.onAccepted(ctx, from, a);
    } else if (message instanceof CassandraMessage.Commit c) {
      paxos.onCommit(ctx, from, c, paxosStore);
    } else if (message instanceof CassandraMessage.CommitAck c) {
      paxos.onCommitAck(ctx, from, c);
    } else if (message instanceof CassandraMessage.NodetoolRepair r) {
      repairSession.start(ctx, r.table());
    } else if (message instanceof CassandraMessage.NodetoolJoin) {
      movement.join(ctx);
    } else if (message instanceof CassandraMessage.NodetoolDecommission) {
      movement.decommission(ctx);
    } else if (message instanceof CassandraMessage.NodetoolFlush) {
      flush(ctx, true);
    } else if (message instanceof CassandraMessage.NodetoolCompact c) {
      compact(ctx, c.major());
    } else if (message instanceof CassandraMessage.Result r) {
      ctx.note("unexpected result " + r);
    } else {
      Repair.onMessage(this, ctx, from, (CassandraMessage) message);
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (movement.silent()) return;
    if (timer instanceof CassandraTimer.RingDelayElapsed) {
      movement.onRingDelay(ctx);
    } else if (timer instanceof CassandraTimer.StreamRetry) {
      movement.onRetry(ctx);
    } else if (timer instanceof CassandraTimer.DecommissionStop) {
      movement.onStop(ctx);
    } else if (timer instanceof CassandraTimer.GossipTick t) {
      gossipRound(ctx);
    } else if (timer instanceof CassandraTimer.PeriodicSync t) {
      commitLogService.onPeriodicTimer(ctx, t);
    } else if (timer instanceof CassandraTimer.GroupWindow t) {
      commitLogService.onGroupWindowClosed(ctx);
    } else if (timer instanceof CassandraTimer.CommitLogSynced s) {
      commitLogService.onSynced(ctx, s.epoch());
    } else if (timer instanceof CassandraTimer.SchemaSynced s) {
      Runnable r = afterFsync.remove(s.requestId());
      if (r != null) r.run();
    } else if (timer instanceof CassandraTimer.RequestTimeout t) {
      onRequestTimeout(ctx, t.requestId());
    } else if (timer instanceof CassandraTimer.SpeculateRead t) {
      coordinator.reads().onSpeculate(ctx, t.requestId());
    } else if (timer instanceof CassandraTimer.SpeculationThresholdUpdate t) {
      coordinator.reads().updateSpeculationThresholds(ctx);
      ctx.setTimer(t, config.readRequestTimeoutMs() * 1_000_000L);
    } else if (timer instanceof CassandraTimer.FlushCheck t) {
      flush(ctx, false);
      ctx.setTimer(t, 1_000_000_000L);
    } else if (timer instanceof CassandraTimer.HintDispatch t) {
      hints.retryUnanswered();
      hints.dispatch(ctx);
      ctx.setTimer(t, 10_000_000_000L);
    } else {
      paxos.onTimer(ctx, (CassandraTimer) timer);
    }
  }

  private void onRequestTimeout(NodeContext ctx, long id) {
    Object p = coordinator.pending(id);
    if (p instanceof Coordinator.WriteState w) coordinator.onWriteTimeout(ctx, w);
    else if (p instanceof ReadCoordinator.ReadGroup g) coordinator.reads().onReadTimeout(ctx, g, id);
    else if (p instanceof Object[] counter) {
      coordinator.forget(id);
      coordinator.answer(ctx, (Coordinator.ClientRequest) counter[0], new StatementResult.Error("WRITE_TIMEOUT", "Operation timed out - received only 0 responses."));
    } else paxos.onTimeout(ctx, id);
  }

  // ---- client statements ----

  private void onQuery(NodeContext ctx, NodeId client, CassandraMessage.Query q) {
    Session session = sessions.computeIfAbsent(client, c -> new Session());
    long micros = ClusterClock.micros(ctx);
    Action a = QueryProcessor.process(q.cql(), session, storage.schema(), new QueryProcessor.Clock(micros, micros / 1_000_000L),
        q.consistency(), q.serial());
    Coordinator.ClientRequest req = new Coordinator.ClientRequest(client, q.id(), q.consistency());
    if (a instanceof Action.Done d) {
      coordinator.answer(ctx, req, d.result());
    } else if (a instanceof Action.Write w) {
      coordinator.write(ctx, req, w, null);
    } else if (a instanceof Action.Read r) {
      if (r.consistency().isSerial()) paxos.serialRead(ctx, req, r);
      else coordinator.reads().read(ctx, req, r);
    } else if (a instanceof Action.Cas c) {
      paxos.cas(ctx, req, c);
    } else if (a instanceof Action.SchemaChange s) {
      paxos.schemaChange(ctx, req, s, peers);
    }
  }

  void applySchema(NodeContext ctx, String keyspace, String ddl, Runnable then) {
    try {
      boolean changed = Ddl.apply(storage.schema(), Parser.parse(ddl), keyspace);
      if (!changed) {
        storage.persistSchema(keyspace, ddl);
        then.run();
        return;
      }
    } catch (RuntimeException e) {
      // it does not apply here (yet): answer as if done; gossip's schema pull brings it again later
      ctx.note("schema statement not applied: " + ddl + " (" + e.getMessage() + ")");
      then.run();
      return;
    }
    storage.persistSchema(keyspace, ddl);
    long id = nextFsyncId++;
    afterFsync.put(id, then);
    ctx.fsyncThen(StorageEngine.SCHEMA_FILE, new CassandraTimer.SchemaSynced(id));
  }

  private void onSchemaPush(NodeContext ctx, NodeId from, CassandraMessage.SchemaPush s) {
    applySchema(ctx, s.keyspace(), s.ddl(), () -> ctx.send(from, new CassandraMessage.SchemaAck(s.id())));
  }

  /** Runs {@code then} once {@code file} is durable. */
  void durably(NodeContext ctx, String file, Runnable then) {
    durably(ctx, List.of(file), then);
  }

  void durably(NodeContext ctx, List<String> files, Runnable then) {
    if (files.isEmpty()) {
      then.run();
      return;
    }
    long id = nextFsyncId++;
    afterFsync.put(id, then);
    ctx.fsyncThen(files, new CassandraTimer.SchemaSynced(id));
  }

  void onOtherAck(NodeContext ctx, NodeId from, long id) {
    paxos.onMutationAck(ctx, from, id);
  }

  // ---- the replica's write path ----

  private void onMutation(NodeContext ctx, NodeId from, CassandraMessage.MutationRequest m) {
    applyLocally(ctx, m.mutation(), () -> ctx.send(from, new CassandraMessage.MutationAck(m.id())));
  }

  /** Commit log append, memtable insert, then {@code ack} when {@code commitlog_sync} allows. */
  void applyLocally(NodeContext ctx, Mutation mutation, Runnable ack) {
    TableMetadata t = storage.schema().table(mutation.qualifiedTable());
    if (t == null) {
      ctx.note("mutation for unknown table " + mutation.qualifiedTable() + " dropped");
      return;
    }
    Mutation m = config.broken(BREAK_TOMBSTONE_TIE) ? TombstoneTieBreak.liveWinsTies(mutation, storage) : mutation;
    CommitLogPosition pos = storage.commitLog().add(m);
    ctx.point("cassandra.replica.commitlog-append", m.qualifiedTable() + " key " + m.key() + " at " + pos,
        "table", m.qualifiedTable(), "token", m.key().token(), "segment", pos.segmentId(), "position", pos.position(),
        "sync", config.storage().commitlogSync().cassandraName());
    storage.store(t).apply(m.update(), pos);
    mutationsApplied++;
    ctx.point("cassandra.replica.memtable-insert", m.qualifiedTable() + " key " + m.key() + " (memtable " + storage.store(t).memtable().liveDataSizeBytes() + "B)",
        "table", m.qualifiedTable(), "token", m.key().token(), "memtableBytes", storage.store(t).memtable().liveDataSizeBytes());
    commitLogService.afterAppend(ctx, ack, config.broken(BREAK_ACK_BEFORE_COMMITLOG));
  }

  /** Flushes memtables past the threshold (all if {@code force}); drops commit log segments no longer needed. */
  public List<SSTable> flush(NodeContext ctx, boolean force) {
    List<SSTable> flushed = storage.flush(force, nowInSec(ctx));
    for (SSTable s : flushed) {
      ctx.point("cassandra.flush", "memtable flushed to " + s.descriptor() + " (" + s.stats().partitions() + " partitions, " + s.stats().dataSizeBytes() + "B)",
          "sstable", s.descriptor().toString(), "partitions", s.stats().partitions(), "bytes", s.stats().dataSizeBytes());
    }
    if (!flushed.isEmpty()) {
      List<String> files = new ArrayList<>();
      for (SSTable s : flushed) files.addAll(s.files());
      // the SSTables are made durable before the commit log segments they replace are dropped
      durably(ctx, files, () -> {
        for (String seg : storage.discardFlushedSegments()) ctx.point("cassandra.commitlog.discard", seg + " recycled: all its data is in SSTables", "segment", seg);
      });
    }
    return flushed;
  }

  /** Compaction: the table's strategy picks, the store applies (a major compaction merges everything). */
  public void compact(NodeContext ctx, boolean major) {
    for (sim.cassandra.storage.TableStore s : storage.stores().values()) {
      List<SSTable> live = s.sstables();
      if (live.size() < 2 && !(major && live.size() == 1)) continue;
      List<Integer> gens = new ArrayList<>();
      for (SSTable t : live) gens.add(t.descriptor().generation());
      sim.cassandra.compaction.CompactionTask task = major
          ? new sim.cassandra.compaction.CompactionTask("major", gens, 0, Long.MAX_VALUE, "nodetool compact")
          : sim.cassandra.compaction.Strategies.forTable(s.metadata()).next(s.sstables(), nowInSec(ctx)).orElse(null);
      if (task == null) continue;
      List<SSTable> out = s.compact(task, nowInSec(ctx));
      List<String> files = new ArrayList<>();
      for (SSTable t : out) files.addAll(t.files());
      durably(ctx, files, s::deleteObsoleteFiles);
      ctx.point("cassandra.compaction", task.strategy() + " compacted " + task.generations() + " into " + out + " (" + task.reason() + ")",
          "table", s.metadata().qualifiedName(), "inputs", task.generations().size(), "outputs", out.size());
    }
  }

  // ---- the replica's read path ----

  private void onRead(NodeContext ctx, NodeId from, CassandraMessage.ReadRequest r) {
    TableMetadata t = storage.schema().table(r.table());
    List<Partition> data = new ArrayList<>();
    if (t != null) {
      if (r.key() != null) {
        Partition p = storage.read(t, r.key());
        if (p != null) data.add(p);
      } else {
        data.addAll(storage.readRange(t, r.fromExclusive(), r.toInclusive()));
      }
    }
    long digest = ReadRound.digest(data);
    ctx.point("cassandra.replica.read", r.table() + (r.key() != null ? " key " + r.key() : " range") + (r.digestOnly() ? " (digest)" : " (data)"),
        "table", r.table(), "digest", r.digestOnly(), "partitions", data.size());
    ctx.send(from, new CassandraMessage.ReadResponse(r.id(), r.digestOnly() ? List.of() : data, digest, r.digestOnly()));
  }

  // ---- gossip ----

  /** Schema agreement, simplified: a peer that has applied more schema statements is asked for them. */
  private void pullSchemaIfBehind(NodeContext ctx, NodeId peer, int peerStatements) {
    peerSchemaStatements = Math.max(peerSchemaStatements, peerStatements);
    if (peerStatements > storage.schemaLog().size()) ctx.send(peer, new CassandraMessage.SchemaPull());
  }

  /** Whether a peer has gossiped more schema statements than this node applied (a bootstrap waits for them). */
  boolean schemaBehind() {
    return peerSchemaStatements > storage.schemaLog().size();
  }

  private void gossipRound(NodeContext ctx) {
    gossiper.beat();
    List<NodeId> live = gossiper.live();
    if (!live.isEmpty()) ctx.send(ctx.random("gossip").pick(live), new CassandraMessage.GossipSyn(gossiper.snapshot(), gossiper.statuses(), storage.schemaLog().size()));
    List<NodeId> unreachable = gossiper.unreachable();
    if (!unreachable.isEmpty() && ctx.random("gossip").chance((double) unreachable.size() / (live.size() + 1))) {
      ctx.send(ctx.random("gossip").pick(unreachable), new CassandraMessage.GossipSyn(gossiper.snapshot(), gossiper.statuses(), storage.schemaLog().size()));
    }
    for (NodeId n : gossiper.interpret(ctx.localTimeNanos())) {
      ctx.point("cassandra.gossip.down", n + " is now DOWN (phi > " + config.phiConvictThreshold() + ")", "endpoint", n.name());
    }
    ctx.setTimer(new CassandraTimer.GossipTick(), config.gossipIntervalMs() * 1_000_000L);
  }

  private void onGossip(NodeContext ctx, Map<NodeId, sim.cassandra.gossip.HeartbeatState> states, Map<NodeId, sim.cassandra.gossip.EndpointStatus> statuses) {
    List<NodeId> up = gossiper.merge(states, ctx.localTimeNanos());
    movement.onStatuses(ctx, gossiper.mergeStatuses(statuses));
    for (NodeId n : up) {
      ctx.point("cassandra.gossip.up", n + " is now UP", "endpoint", n.name());
    }
    if (!up.isEmpty()) hints.dispatch(ctx);
  }

  @Override
  public String describeState() {
    if (storage == null) return "starting";
    StringBuilder b = new StringBuilder();
    b.append(self()).append(" dc=").append(datacenter()).append(" mutations=").append(mutationsApplied)
        .append(movement.mode() == RangeMovementSession.Mode.NORMAL ? "" : " mode=" + movement.mode()).append(" hints=").append(hints.all().size()).append(" sync=").append(config.storage().commitlogSync().cassandraName());
    return b.toString();
  }
}
