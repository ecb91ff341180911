package sim.cassandra.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import sim.cassandra.cql.Action;
import sim.cassandra.db.DecoratedKey;
import sim.cassandra.db.Mutation;
import sim.cassandra.db.Partition;
import sim.cassandra.schema.KeyspaceMetadata;
import sim.cassandra.schema.TableMetadata;
import sim.cassandra.script.ConsistencyLevel;
import sim.cassandra.script.StatementResult;
import sim.cassandra.storage.TableStore;
import sim.core.NodeContext;
import sim.core.NodeId;

/**
 * Lightweight transactions (Paxos v1, Cassandra's default {@code paxos_variant}) in both roles, and
 * schema changes. The proposer's ballot is the coordinator's clock in microseconds (made unique per node
 * and always past any ballot it has seen), and the committed update is written with that timestamp.
 */
final class Paxos {
  private static final int NODE_BITS = 10;
  private final CassandraNode node;
  private final TreeMap<Long, PaxosRound> rounds = new TreeMap<>();
  private final TreeMap<Long, Object[]> schemaChanges = new TreeMap<>();
  private final TreeMap<Long, Action.Read> serialReads = new TreeMap<>();
  private long lastBallot = Long.MIN_VALUE;

  Paxos(CassandraNode node) {
    this.node = node;
  }

  static long micros(long ballot) {
    return ballot >> NODE_BITS;
  }

  private long nextBallot(NodeContext ctx, long atLeast) {
    long micros = Math.max(ClusterClock.micros(ctx), Math.max(micros(lastBallot), micros(atLeast)) + 1);
    long index = Math.floorMod(node.self().name().hashCode(), 1 << NODE_BITS);
    lastBallot = (micros << NODE_BITS) | index;
    return lastBallot;
  }

  // ---- proposer ----

  void cas(NodeContext ctx, Coordinator.ClientRequest req, Action.Cas cas) {
    start(ctx, req, cas, false, null);
  }

  /** A SERIAL read: prepare a ballot (finishing any proposal left half done), then answer from the promises' data. */
  void serialRead(NodeContext ctx, Coordinator.ClientRequest req, Action.Read read) {
    if (read.commands().size() != 1 || read.commands().get(0).isRange()) {
      node.coordinator().answer(ctx, req, new StatementResult.Error("INVALID", "SERIAL/LOCAL_SERIAL consistency may only be requested for one partition at a time"));
      return;
    }
    Action.ReadCommand c = read.commands().get(0);
    Action.Cas probe = new Action.Cas(c.table(), c.key(), (p, b) -> null, read.consistency(), ConsistencyLevel.QUORUM);
    start(ctx, req, probe, true, read);
  }

  private void start(NodeContext ctx, Coordinator.ClientRequest req, Action.Cas cas, boolean readOnly, Action.Read read) {
    KeyspaceMetadata ks = node.schema().keyspace(cas.table().keyspace());
    List<NodeId> replicas = node.ring().replicas(cas.key().token(), ks);
    List<NodeId> alive = replicas.stream().filter(node.gossiper()::isUp).toList();
    int quorum = ConsistencyRules.blockFor(cas.serial(), ks, node.datacenter());
    if (ConsistencyRules.unavailable(cas.serial(), ks, alive, node.ring(), node.datacenter()) != null) {
      node.coordinator().answer(ctx, req, new StatementResult.Error("UNAVAILABLE", "Cannot achieve consistency level " + cas.serial()));
      return;
    }
    long id = node.coordinator().newId();
    PaxosRound r = new PaxosRound(id, cas, alive, quorum, ctx.localTimeNanos(), readOnly);
    rounds.put(id, r);
    requests.put(id, req);
    if (read != null) serialReads.put(id, read);
    prepare(ctx, r, Long.MIN_VALUE);
    ctx.setTimer(new CassandraTimer.RequestTimeout(id), (node.config().casContentionTimeoutMs() + node.config().writeRequestTimeoutMs()) * 1_000_000L);
  }

  private final TreeMap<Long, Coordinator.ClientRequest> requests = new TreeMap<>();

  private void prepare(NodeContext ctx, PaxosRound r, long atLeast) {
    if (r.proposedOwn) r.ourProposals.add(r.ballot);
    r.reset(nextBallot(ctx, atLeast));
    ctx.point("cassandra.paxos.prepare", "ballot " + r.ballot + " for " + r.cas.table().qualifiedName() + " key " + r.cas.key(),
        "ballot", r.ballot, "token", r.cas.key().token(), "attempt", r.attempts);
    for (NodeId n : r.replicas) ctx.send(n, new CassandraMessage.Prepare(r.id, r.cas.table().qualifiedName(), r.cas.key(), r.ballot));
  }

  void onPromise(NodeContext ctx, NodeId from, CassandraMessage.Promise p) {
    PaxosRound r = rounds.get(p.id());
    if (r == null || r.phase != PaxosRound.Phase.PREPARE) return;
    if (!p.promised()) {
      // a newer ballot was promised elsewhere: back off a little, then try with a higher one
      r.phase = PaxosRound.Phase.DONE;
      long retryAt = Math.max(p.inProgressBallot(), r.ballot);
      ctx.setTimer(new CassandraTimer.PaxosRetry(r.id, retryAt), ctx.random("paxos").nextLong(1_000_000L, 100_000_000L));
      return;
    }
    r.promises.put(from, p);
    if (r.promises.size() < r.quorum) return;
    long latestCommit = Long.MIN_VALUE;
    CassandraMessage.Promise inProgress = null;
    for (CassandraMessage.Promise q : r.promises.values()) {
      latestCommit = Math.max(latestCommit, q.mostRecentCommit());
      if (q.inProgress() != null && (inProgress == null || q.inProgressBallot() > inProgress.inProgressBallot())) inProgress = q;
    }
    if (!r.ourProposals.isEmpty() && r.ourProposals.contains(latestCommit)) {
      // our earlier proposal, refused by some, was committed after all (another proposer finished it)
      r.phase = PaxosRound.Phase.DONE;
      finish(ctx, r, r.decision.result());
      return;
    }
    if (inProgress != null && inProgress.inProgressBallot() > latestCommit) {
      if (r.ourProposals.contains(inProgress.inProgressBallot())) r.finishingOurs = true;
      // finish the earlier, accepted but uncommitted proposal with our ballot before our own
      r.phase = PaxosRound.Phase.REPAIR_PROPOSE;
      r.proposal = inProgress.inProgress();
      ctx.point("cassandra.paxos.repair", "re-proposing in-progress ballot " + inProgress.inProgressBallot(), "ballot", r.ballot);
      for (NodeId n : r.replicas) ctx.send(n, new CassandraMessage.Propose(r.id, r.cas.table().qualifiedName(), r.ballot, r.proposal));
      return;
    }
    TableStore schema = node.storage().store(r.cas.table());
    Partition current = null;
    CassandraMessage.Promise newestCommit = null;
    for (CassandraMessage.Promise q : r.promises.values()) {
      if (q.mostRecentCommitUpdate() != null && (newestCommit == null || q.mostRecentCommit() > newestCommit.mostRecentCommit())) newestCommit = q;
      if (q.data() == null) continue;
      current = current == null ? q.data() : Partition.merge(current, q.data(), schema);
    }
    if (newestCommit != null) {
      // the latest commit any promiser knows (from system.paxos) counts even where its data write was lost;
      // replicas that never learned it are sent it again, as Cassandra's PaxosRepair does
      Partition committed = newestCommit.mostRecentCommitUpdate();
      current = current == null ? committed : Partition.merge(current, committed, schema);
      for (var e : r.promises.entrySet()) {
        if (e.getValue().mostRecentCommit() < newestCommit.mostRecentCommit()) {
          ctx.send(e.getKey(), new CassandraMessage.Commit(-1, r.cas.table().qualifiedName(), newestCommit.mostRecentCommit(), committed));
        }
      }
    }
    if (r.readOnly) {
      r.phase = PaxosRound.Phase.DONE;
      finish(ctx, r, serialReads.get(r.id).then().apply(current == null ? List.of() : List.of(current)));
      return;
    }
    r.decision = r.cas.decide().apply(current, micros(r.ballot));
    if (!r.decision.applied()) {
      r.phase = PaxosRound.Phase.DONE;
      finish(ctx, r, r.decision.result());
      return;
    }
    r.phase = PaxosRound.Phase.PROPOSE;
    r.proposedOwn = true;
    r.proposal = r.decision.update();
    ctx.point("cassandra.paxos.propose", "ballot " + r.ballot + " proposes the update", "ballot", r.ballot, "token", r.cas.key().token());
    for (NodeId n : r.replicas) ctx.send(n, new CassandraMessage.Propose(r.id, r.cas.table().qualifiedName(), r.ballot, r.proposal));
  }

  void onAccepted(NodeContext ctx, NodeId from, CassandraMessage.Accepted a) {
    PaxosRound r = rounds.get(a.id());
    if (r == null || (r.phase != PaxosRound.Phase.PROPOSE && r.phase != PaxosRound.Phase.REPAIR_PROPOSE)) return;
    if (!a.accepted()) {
      if (!r.refused.contains(from)) r.refused.add(from);
      // ProposeCallback: wait for every answer; only a proposal nobody accepted may be retried
      if (r.refused.size() + r.accepts.size() < r.replicas.size()) return;
      decideRefusedProposal(ctx, r);
      return;
    }
    if (!r.accepts.contains(from)) r.accepts.add(from);
    if (r.accepts.size() < r.quorum) {
      if (!r.refused.isEmpty() && r.refused.size() + r.accepts.size() >= r.replicas.size()) decideRefusedProposal(ctx, r);
      return;
    }
    boolean repairing = r.phase == PaxosRound.Phase.REPAIR_PROPOSE;
    r.phase = PaxosRound.Phase.COMMIT;
    r.commits.clear();
    ctx.point("cassandra.paxos.commit", "ballot " + r.ballot + " accepted by a quorum " + r.accepts + ": commit", "ballot", r.ballot, "repair", repairing);
    commitTarget.put(r.id, repairing);
    for (NodeId n : r.replicas) ctx.send(n, new CassandraMessage.Commit(r.id, r.cas.table().qualifiedName(), r.ballot, r.proposal));
  }

  private final TreeMap<Long, Boolean> commitTarget = new TreeMap<>();

  /** Every replica answered and no quorum accepted: retry if nobody accepted, else the outcome is unknown. */
  private void decideRefusedProposal(NodeContext ctx, PaxosRound r) {
    boolean repairing = r.phase == PaxosRound.Phase.REPAIR_PROPOSE;
    r.phase = PaxosRound.Phase.DONE;
    if (!repairing && !r.accepts.isEmpty()) {
      // some replicas accepted our proposal: a later proposer may still commit it (CasWriteUnknownResultException)
      finish(ctx, r, new StatementResult.Error("CAS_WRITE_UNKNOWN", "CAS operation result is unknown - proposal accepted by " + r.accepts.size() + " but not a quorum."));
      return;
    }
    // refused by every replica: start over with a higher ballot after a short random backoff
    ctx.setTimer(new CassandraTimer.PaxosRetry(r.id, r.ballot), ctx.random("paxos").nextLong(1_000_000L, 100_000_000L));
  }

  void onCommitAck(NodeContext ctx, NodeId from, CassandraMessage.CommitAck c) {
    PaxosRound r = rounds.get(c.id());
    if (r == null || r.phase != PaxosRound.Phase.COMMIT) return;
    if (!r.commits.contains(from)) r.commits.add(from);
    KeyspaceMetadata ks = node.schema().keyspace(r.cas.table().keyspace());
    ConsistencyLevel commitCl = r.cas.commit() == ConsistencyLevel.ANY ? ConsistencyLevel.ONE : r.cas.commit();
    if (!ConsistencyRules.satisfied(commitCl, ks, r.commits, node.ring(), node.datacenter())) return;
    if (Boolean.TRUE.equals(commitTarget.remove(r.id))) {
      if (r.finishingOurs) {
        r.phase = PaxosRound.Phase.DONE;
        finish(ctx, r, r.decision.result());
        return;
      }
      prepare(ctx, r, r.ballot);
      return;
    }
    r.phase = PaxosRound.Phase.DONE;
    finish(ctx, r, r.decision.result());
  }

  private void finish(NodeContext ctx, PaxosRound r, StatementResult result) {
    rounds.remove(r.id);
    serialReads.remove(r.id);
    Coordinator.ClientRequest req = requests.remove(r.id);
    if (req != null) node.coordinator().answer(ctx, req, result);
  }

  void onTimer(NodeContext ctx, CassandraTimer t) {
    if (t instanceof CassandraTimer.PaxosRetry pr) {
      PaxosRound r = rounds.get(pr.id());
      if (r != null) prepare(ctx, r, pr.atLeast());
    }
  }

  void onTimeout(NodeContext ctx, long id) {
    PaxosRound r = rounds.remove(id);
    if (r != null) {
      Coordinator.ClientRequest req = requests.remove(id);
      serialReads.remove(id);
      commitTarget.remove(id);
      int received = r.phase == PaxosRound.Phase.COMMIT ? r.commits.size() : r.phase == PaxosRound.Phase.PREPARE ? r.promises.size() : r.accepts.size();
      String code = r.readOnly ? "READ_TIMEOUT" : "WRITE_TIMEOUT";
      if (req != null) node.coordinator().answer(ctx, req, new StatementResult.Error(code, "Operation timed out - received only " + received + " responses."));
      return;
    }
    Object[] sc = schemaChanges.remove(id);
    if (sc != null) node.coordinator().answer(ctx, (Coordinator.ClientRequest) sc[0], (StatementResult) sc[1]);
  }

  // ---- acceptor ----

  void onPrepare(NodeContext ctx, NodeId from, CassandraMessage.Prepare p, PaxosStore store) {
    TableMetadata t = node.schema().table(p.table());
    if (t == null) return;
    PaxosState s = store.get(p.table(), p.key());
    Partition data = node.storage().read(t, p.key());
    if (p.ballot() <= s.promised()) {
      ctx.send(from, new CassandraMessage.Promise(p.id(), false, s.promised(), null, s.mostRecentCommit(), null, null));
      return;
    }
    store.put(p.table(), p.key(), new PaxosState(p.ballot(), s.acceptedBallot(), s.accepted(), s.mostRecentCommit(), s.committed()));
    node.durably(ctx, PaxosStore.FILE, () -> ctx.send(from, new CassandraMessage.Promise(p.id(), true, s.acceptedBallot(), s.accepted(), s.mostRecentCommit(), s.committed(), data)));
  }

  void onPropose(NodeContext ctx, NodeId from, CassandraMessage.Propose p, PaxosStore store) {
    DecoratedKey key = p.update().key();
    PaxosState s = store.get(p.table(), key);
    if (p.ballot() < s.promised()) {
      ctx.send(from, new CassandraMessage.Accepted(p.id(), false));
      return;
    }
    store.put(p.table(), key, new PaxosState(p.ballot(), p.ballot(), p.update(), s.mostRecentCommit(), s.committed()));
    node.durably(ctx, PaxosStore.FILE, () -> ctx.send(from, new CassandraMessage.Accepted(p.id(), true)));
  }

  void onCommit(NodeContext ctx, NodeId from, CassandraMessage.Commit c, PaxosStore store) {
    DecoratedKey key = c.update().key();
    TableMetadata t = node.schema().table(c.table());
    if (t == null) return;
    PaxosState s = store.get(c.table(), key);
    boolean clears = s.acceptedBallot() <= c.ballot();
    boolean newest = c.ballot() >= s.mostRecentCommit();
    store.put(c.table(), key, new PaxosState(Math.max(s.promised(), c.ballot()), clears ? Long.MIN_VALUE : s.acceptedBallot(),
        clears ? null : s.accepted(), Math.max(s.mostRecentCommit(), c.ballot()), newest ? c.update() : s.committed()));
    node.applyLocally(ctx, new Mutation(t.keyspace(), t.name(), c.update()), () -> ctx.send(from, new CassandraMessage.CommitAck(c.id())));
  }

  void onMutationAck(NodeContext ctx, NodeId from, long id) {
    // acks for hints replayed by an older incarnation: nothing to do
  }

  // ---- schema changes: pushed to every node, answered once all live ones have it ----

  void schemaChange(NodeContext ctx, Coordinator.ClientRequest req, Action.SchemaChange s, List<NodeId> peers) {
    long id = node.coordinator().newId();
    List<NodeId> targets = new ArrayList<>();
    for (NodeId p : peers) if (!p.equals(node.self()) && node.gossiper().isUp(p)) targets.add(p);
    schemaChanges.put(id, new Object[] {req, s.result(), targets, new ArrayList<NodeId>()});
    node.applySchema(ctx, s.keyspace(), s.ddl(), () -> {
      ctx.point("cassandra.schema.change", s.ddl(), "statement", s.ddl());
      for (NodeId p : targets) ctx.send(p, new CassandraMessage.SchemaPush(id, s.keyspace(), s.ddl()));
      maybeFinishSchema(ctx, id);
    });
    ctx.setTimer(new CassandraTimer.RequestTimeout(id), 10_000_000_000L);
  }

  @SuppressWarnings("unchecked")
  void onSchemaAck(NodeContext ctx, NodeId from, long id) {
    Object[] sc = schemaChanges.get(id);
    if (sc == null) return;
    ((List<NodeId>) sc[3]).add(from);
    maybeFinishSchema(ctx, id);
  }

  @SuppressWarnings("unchecked")
  private void maybeFinishSchema(NodeContext ctx, long id) {
    Object[] sc = schemaChanges.get(id);
    if (sc == null) return;
    if (((List<NodeId>) sc[3]).containsAll((List<NodeId>) sc[2])) {
      schemaChanges.remove(id);
      node.coordinator().answer(ctx, (Coordinator.ClientRequest) sc[0], (StatementResult) sc[1]);
    }
  }
}
