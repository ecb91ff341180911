package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.cassandra.cql.Action;
import sim.cassandra.db.Mutation;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * The coordinator role of a node (Cassandra's {@code StorageProxy}): carries out a statement's
 * {@link Action} with messages to the replicas. Writes go to every replica believed alive (a hint is
 * kept for the others) and succeed when the consistency level's blockFor replicas acknowledge within
 * {@code write_request_timeout}; reads are {@link ReadCoordinator}'s; lightweight transactions run Paxos.
 */
final class Coordinator {
  private final CassandraNode node;
  private final TreeMap<Long, Object> pending = new TreeMap<>();
  private final ReadCoordinator reads;
  private long nextId = 1;

  Coordinator(CassandraNode node, long nowNanos) {
    this.node = node;
    this.reads = new ReadCoordinator(node, this, nowNanos);
  }

  ReadCoordinator reads() {
    return reads;
  }

  /** A client statement in flight: who asked, and what is left to answer. */
  static final class ClientRequest {
    final NodeId client;
    final long queryId;
    final ConsistencyLevel consistency;

    ClientRequest(NodeId client, long queryId, ConsistencyLevel consistency) {
      this.client = client;
      this.queryId = queryId;
      this.consistency = consistency;
    }
  }

  static final class WriteState {
    final long id;
    final ClientRequest request;
    final Mutation mutation;
    final KeyspaceMetadata keyspace;
    final ConsistencyLevel cl;
    final List<NodeId> replicas;
    /** The pending replicas among {@link #replicas}: blockFor is raised by their count. */
    final List<NodeId> pending;
    final List<NodeId> acked = new ArrayList<>();
    final List<NodeId> hinted = new ArrayList<>();
    final WriteGroup group;
    boolean done;

    WriteState(long id, ClientRequest request, Mutation m, KeyspaceMetadata ks, ConsistencyLevel cl, List<NodeId> replicas, List<NodeId> pending,
        WriteGroup group) {
      this.id = id;
      this.request = request;
      this.mutation = m;
      this.keyspace = ks;
      this.cl = cl;
      this.replicas = replicas;
      this.pending = pending;
      this.group = group;
    }
  }

  /** The writes of one statement (a batch, an IN): it succeeds when every one of them has. */
  static final class WriteGroup {
    int remaining;
    boolean failed;
    final StatementResult onSuccess;
    final Runnable after;

    WriteGroup(int remaining, StatementResult onSuccess, Runnable after) {
      this.remaining = remaining;
      this.onSuccess = onSuccess;
      this.after = after;
    }
  }

  long newId() {
    return nextId++ * 1000 + node.incarnationTag();
  }

  Object pending(long id) {
    return pending.get(id);
  }

  void register(long id, Object state) {
    pending.put(id, state);
  }

  void forget(long id) {
    pending.remove(id);
  }

  // ---- answering clients ----

  void answer(NodeContext ctx, ClientRequest r, StatementResult result) {
    ctx.send(r.client, new CassandraMessage.Result(r.queryId, result));
  }

  // ---- writes ----

  void write(NodeContext ctx, ClientRequest request, Action.Write w, Runnable after) {
    if (w.counter()) {
      counterWrite(ctx, request, w);
      return;
    }
    List<Object[]> plans = new ArrayList<>();
    for (Mutation m : w.mutations()) {
      KeyspaceMetadata ks = node.schema().keyspace(m.keyspace());
      List<NodeId> pending = pendingReplicas(m.key().token(), ks);
      List<NodeId> replicas = new ArrayList<>(node.ring().replicas(m.key().token(), ks));
      replicas.addAll(pending);
      List<NodeId> alive = new ArrayList<>();
      for (NodeId r : replicas) if (node.gossiper().isUp(r)) alive.add(r);
      String unavailable = ConsistencyRules.unavailable(w.consistency(), ks, alive, pending, node.ring(), node.datacenter());
      if (unavailable != null && !(w.consistency() == ConsistencyLevel.ANY)) {
        answer(ctx, request, new StatementResult.Error("UNAVAILABLE", unavailable));
        return;
      }
      plans.add(new Object[] {m, ks, replicas});
    }
    WriteGroup group = new WriteGroup(plans.size(), w.onSuccess(), after);
    if (plans.isEmpty()) {
      answer(ctx, request, w.onSuccess());
      return;
    }
    for (Object[] p : plans) startWrite(ctx, request, (Mutation) p[0], (KeyspaceMetadata) p[1], w.consistency(), castList(p[2]), group);
  }

  /**
   * The pending replicas of a token during a bootstrap or decommission: a write goes to them as well as
   * to the natural replicas, so that whichever placement the ring ends in holds it.
   */
  private List<NodeId> pendingReplicas(long token, KeyspaceMetadata ks) {
    return node.tokenMetadata().pendingReplicas(token, ks);
  }

  @SuppressWarnings("unchecked")
  private static List<NodeId> castList(Object o) {
    return (List<NodeId>) o;
  }

  private void startWrite(NodeContext ctx, ClientRequest request, Mutation m, KeyspaceMetadata ks, ConsistencyLevel cl,
      List<NodeId> replicas, WriteGroup group) {
    long id = newId();
    List<NodeId> pendingReplicas = new ArrayList<>(replicas);
    pendingReplicas.removeAll(node.ring().replicas(m.key().token(), ks));
    WriteState s = new WriteState(id, request, m, ks, cl, replicas, pendingReplicas, group);
    pending.put(id, s);
    int blockFor = ConsistencyRules.blockForWrite(cl, ks, node.datacenter(), pendingReplicas, node.ring());
    if (pendingReplicas.isEmpty()) {
      ctx.point("cassandra.coordinator.write", m.qualifiedTable() + " token " + m.key().token() + " to " + replicas + " at " + cl,
          "table", m.qualifiedTable(), "token", m.key().token(), "consistency", cl.name(), "replicas", replicas.toString(), "blockFor", blockFor);
    } else {
      ctx.point("cassandra.coordinator.write", m.qualifiedTable() + " token " + m.key().token() + " to " + replicas + " at " + cl + " (pending " + pendingReplicas + ", blockFor " + blockFor + ")",
          "table", m.qualifiedTable(), "token", m.key().token(), "consistency", cl.name(), "replicas", replicas.toString(), "blockFor", blockFor,
          "pending", pendingReplicas.toString());
    }
    for (NodeId r : replicas) {
      if (node.gossiper().isUp(r)) {
        ctx.send(r, new CassandraMessage.MutationRequest(id, m, null));
      } else if (node.hints().store(ctx, r, m)) {
        s.hinted.add(r);
      }
    }
    if (cl == ConsistencyLevel.ANY && !s.hinted.isEmpty()) {
      s.acked.add(s.hinted.get(0));
      checkWrite(ctx, s);
    }
    if (!s.done) ctx.setTimer(new CassandraTimer.RequestTimeout(id), node.config().writeRequestTimeoutMs() * 1_000_000L);
  }

  void onMutationAck(NodeContext ctx, NodeId from, long id) {
    Object p = pending.get(id);
    if (p instanceof ReadCoordinator.ReadGroup) {
      reads.onReadRepairAck(ctx, from, id);
      return;
    }
    if (!(p instanceof WriteState s)) {
      node.onOtherAck(ctx, from, id);
      return;
    }
    if (!s.acked.contains(from)) s.acked.add(from);
    checkWrite(ctx, s);
    if (s.acked.size() + s.hinted.size() >= s.replicas.size()) pending.remove(id);
  }

  private void checkWrite(NodeContext ctx, WriteState s) {
    if (s.done) return;
    boolean ok = s.cl == ConsistencyLevel.ANY ? !s.acked.isEmpty()
        : ConsistencyRules.satisfied(s.cl, s.keyspace, s.acked, s.pending, node.ring(), node.datacenter());
    if (!ok) return;
    s.done = true;
    if (--s.group.remaining == 0 && !s.group.failed) {
      if (s.group.after != null) s.group.after.run();
      else answer(ctx, s.request, s.group.onSuccess);
    }
  }

  void onWriteTimeout(NodeContext ctx, WriteState s) {
    pending.remove(s.id);
    // Replicas that never answered get a hint, as Cassandra's write response handler does on timeout.
    for (NodeId r : s.replicas) {
      if (!s.acked.contains(r) && !s.hinted.contains(r)) node.hints().store(ctx, r, s.mutation);
    }
    if (s.done) return;
    s.done = true;
    if (!s.group.failed) {
      s.group.failed = true;
      int received = 0;
      for (NodeId a : s.acked) if (ConsistencyRules.counts(s.cl, a, node.ring(), node.datacenter())) received++;
      answer(ctx, s.request, new StatementResult.Error("WRITE_TIMEOUT", "Operation timed out - received only " + received + " responses."));
    }
  }

  /** Counters: the coordinator hands the deltas to a live replica, the leader, which replicates its shard. */
  private void counterWrite(NodeContext ctx, ClientRequest request, Action.Write w) {
    for (Mutation m : w.mutations()) {
      KeyspaceMetadata ks = node.schema().keyspace(m.keyspace());
      List<NodeId> replicas = node.ring().replicas(m.key().token(), ks);
      NodeId leader = null;
      if (replicas.contains(node.self()) ) leader = node.self();
      for (NodeId r : replicas) if (leader == null && node.gossiper().isUp(r)) leader = r;
      List<NodeId> alive = replicas.stream().filter(node.gossiper()::isUp).toList();
      String unavailable = ConsistencyRules.unavailable(w.consistency(), ks, alive, node.ring(), node.datacenter());
      if (leader == null || unavailable != null) {
        answer(ctx, request, new StatementResult.Error("UNAVAILABLE", unavailable != null ? unavailable : "Cannot achieve consistency level " + w.consistency()));
        return;
      }
    }
    long id = newId();
    WriteGroup group = new WriteGroup(w.mutations().size(), w.onSuccess(), null);
    pending.put(id, new Object[] {request, group});
    for (Mutation m : w.mutations()) {
      KeyspaceMetadata ks = node.schema().keyspace(m.keyspace());
      List<NodeId> replicas = node.ring().replicas(m.key().token(), ks);
      NodeId leader = replicas.contains(node.self()) ? node.self() : replicas.stream().filter(node.gossiper()::isUp).findFirst().orElseThrow();
      ctx.send(leader, new CassandraMessage.CounterLeaderRequest(id, m, w.consistency()));
    }
    ctx.setTimer(new CassandraTimer.RequestTimeout(id), node.config().writeRequestTimeoutMs() * 1_000_000L);
  }

  void onCounterLeaderResponse(NodeContext ctx, long id, StatementResult error) {
    if (!(pending.get(id) instanceof Object[] state)) return;
    ClientRequest request = (ClientRequest) state[0];
    WriteGroup group = (WriteGroup) state[1];
    if (error != null) {
      pending.remove(id);
      answer(ctx, request, error);
      return;
    }
    if (--group.remaining == 0) {
      pending.remove(id);
      answer(ctx, request, group.onSuccess);
    }
  }

  /** The leader's part: apply the shard locally, then replicate it like any write at the level. */
  void leadCounter(NodeContext ctx, NodeId from, CassandraMessage.CounterLeaderRequest req) {
    Mutation shard = node.storage().leaderCounterMutation(req.delta(), node.counterId());
    KeyspaceMetadata ks = node.schema().keyspace(shard.keyspace());
    List<NodeId> replicas = new ArrayList<>(node.ring().replicas(shard.key().token(), ks));
    replicas.addAll(pendingReplicas(shard.key().token(), ks));
    ClientRequest upstream = new ClientRequest(from, -1, req.consistency());
    WriteGroup group = new WriteGroup(1, null, () -> ctx.send(from, new CassandraMessage.CounterLeaderResponse(req.id(), null)));
    startWrite(ctx, upstream, shard, ks, req.consistency(), replicas, group);
  }
}
