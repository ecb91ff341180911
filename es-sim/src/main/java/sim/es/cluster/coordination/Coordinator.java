package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.disk.SimDisk;
import sim.es.cluster.coordination.CoordinationMessage.ApplyCommitRequest;
import sim.es.cluster.coordination.CoordinationMessage.ApplyCommitResponse;
import sim.es.cluster.coordination.CoordinationMessage.JoinRequest;
import sim.es.cluster.coordination.CoordinationMessage.PeersRequest;
import sim.es.cluster.coordination.CoordinationMessage.PeersResponse;
import sim.es.cluster.coordination.CoordinationMessage.PreVoteRejected;
import sim.es.cluster.coordination.CoordinationMessage.PreVoteRequest;
import sim.es.cluster.coordination.CoordinationMessage.PreVoteResponse;
import sim.es.cluster.coordination.CoordinationMessage.PublishRejected;
import sim.es.cluster.coordination.CoordinationMessage.PublishRequest;
import sim.es.cluster.coordination.CoordinationMessage.PublishResponse;
import sim.es.cluster.coordination.CoordinationMessage.StartJoinRequest;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.ClusterStateJson;
import sim.es.cluster.state.VotingConfiguration;

/**
 * A master-eligible node's part in electing a master and publishing cluster states (Elasticsearch's
 * Coordinator), around the rules of {@link CoordinationState}.
 * <ul>
 *   <li>A CANDIDATE runs election attempts ({@code cluster.election.*}): a pre-vote round first
 *       (PreVoteCollector: nodes answer only if they know no other leader, and a node that accepted a
 *       fresher state does not count), then on a quorum of pre-votes StartJoin in {@code max(term seen) + 1};
 *       the votes (Joins) come back, a quorum makes it LEADER ({@code becomeLeader}).</li>
 *   <li>The LEADER publishes each new state to every node (PublishRequest), commits it once a quorum of the
 *       voting configuration accepted it (ApplyCommit), and one publication runs at a time; a publication
 *       that cannot commit within {@code cluster.publish.timeout}, or whose remaining nodes cannot form a
 *       quorum, makes it step down. It checks every follower ({@link FaultDetection}).</li>
 *   <li>A FOLLOWER accepts states of its leader's term, applies committed ones, and checks its leader.</li>
 * </ul>
 * "Persist before speaking": a node writes its term and accepted state to {@code _state/} and fsyncs it
 * through the kernel's durability door before it sends the Join or the PublishResponse that depends on it.
 */
public final class Coordinator implements CoordinationState.PersistedState {
  public enum Mode { CANDIDATE, LEADER, FOLLOWER }

  /** The rest of the node: what it does with committed states and with the master's work. */
  public interface Host {
    /** A committed state to apply (every node, the master included). */
    void onStateCommitted(NodeContext ctx, ClusterState state);

    /** This node won the election in its current term; {@code joins} are the requests of the nodes that joined it. Publish the first state. */
    void onBecomeLeader(NodeContext ctx, Set<String> joiners, List<JoinRequest> joins);

    /** As leader: {@code node} asks to join (or rejoin) the cluster. */
    void onJoinRequest(NodeContext ctx, JoinRequest request);

    /** As leader: fault detection gave up on {@code node} (the incarnation {@code ephemeralId}). */
    void onFollowerFailed(NodeContext ctx, String node, String ephemeralId, String reason);

    /** As leader: the running publication finished (committed or not); the next may start. */
    void onPublicationDone(NodeContext ctx, boolean committed);

    /** This node's shard copies on disk, for its JoinRequests. */
    Map<Integer, String> shardStores();

    /** This incarnation's ephemeral id. */
    String ephemeralId();
  }

  static final String STATE_FILE = "_state/coordination";

  private final String self;
  private final String zone;
  private final CoordinationSettings settings;
  private final Host host;
  private final boolean brokenQuorum;
  private SimDisk disk;
  private long currentTerm;
  private ClusterState lastAccepted = ClusterState.empty();
  private CoordinationState state;
  private Mode mode = Mode.CANDIDATE;
  private String leader;
  private long maxTermSeen;
  private ClusterState applied = ClusterState.empty();
  private long electionEpoch;
  private long electionAttempt;
  private PreVoteRound preVote;
  private final Set<String> disconnected = new TreeSet<>();
  private long nextPersistId;
  private final TreeMap<Long, List<Runnable>> afterPersist = new TreeMap<>();
  private Publication publication;
  private final FaultDetection faultDetection;
  private String lastStepDown = "";
  private long ledTerm; // the term this node led in, for the step-down message

  /** A pre-vote round: who said yes. */
  private static final class PreVoteRound {
    final TreeSet<String> votes = new TreeSet<>();
    boolean electionStarted;
  }

  public Coordinator(String self, String zone, CoordinationSettings settings, Host host, boolean brokenQuorum) {
    this.self = self;
    this.zone = zone;
    this.settings = settings;
    this.host = host;
    this.brokenQuorum = brokenQuorum;
    this.faultDetection = new FaultDetection(this, settings);
  }

  // --- PersistedState: in memory here, made durable by persist() ---

  @Override
  public long currentTerm() {
    return currentTerm;
  }

  @Override
  public ClusterState lastAcceptedState() {
    return lastAccepted;
  }

  @Override
  public void setCurrentTerm(long term) {
    currentTerm = term;
  }

  @Override
  public void setLastAcceptedState(ClusterState s) {
    lastAccepted = s;
  }

  // --- start ---

  /** Loads the persisted term and state (or bootstraps from {@code cluster.initial_master_nodes}), then becomes a candidate. */
  public void start(NodeContext ctx) {
    disk = ctx.disk();
    nextRequestId = requestIdBase(ctx);
    for (String f : disk.list("_state/coordination-")) disk.delete(f); // a write that never became durable
    boolean bootstrap = !disk.exists(STATE_FILE);
    if (!bootstrap) {
      ClusterStateJson.Persisted p = ClusterStateJson.decode(disk.readAll(STATE_FILE));
      currentTerm = p.currentTerm();
      lastAccepted = p.lastAcceptedState();
    }
    state = new CoordinationState(self, this, brokenQuorum);
    if (bootstrap) {
      VotingConfiguration initial = new VotingConfiguration(settings.initialMasterNodes());
      state.setInitialState(ClusterState.empty().withConfigs(initial, initial));
      persist(ctx, () -> {});
    }
    applied = lastAccepted.withMaster(null);
    ctx.point("es.coord.start", self + " starts in term " + currentTerm + " with accepted state version " + lastAccepted.version()
        + (bootstrap ? " (bootstrapped: voting configuration " + lastAccepted.lastAcceptedConfig() + ")" : ""),
        "term", currentTerm, "version", lastAccepted.version());
    becomeCandidate(ctx, "start");
    ctx.setTimer(new CoordinationTimer.FindPeers(), 0); // PeerFinder starts probing at once (after every node is up)
  }

  /** PeerFinder, while a candidate: ask every seed node whom it knows as master. */
  private void findPeers(NodeContext ctx) {
    if (mode != Mode.CANDIDATE) return;
    for (String n : settings.initialMasterNodes()) if (!n.equals(self)) ctx.send(node(n), new PeersRequest(self, currentTerm));
  }

  // --- persistence: the durability door before speaking ---

  /** Writes the term and accepted state, fsyncs, renames into place, then runs {@code then}. */
  void persist(NodeContext ctx, Runnable then) {
    long id = nextPersistId++;
    String tmp = "_state/coordination-" + id + ".tmp";
    disk.create(tmp);
    disk.write(tmp, 0, ClusterStateJson.encode(new ClusterStateJson.Persisted(currentTerm, lastAccepted)));
    afterPersist.put(id, new ArrayList<>(List.of(then)));
    ctx.fsyncThen(tmp, new CoordinationTimer.Persisted(id));
  }

  private void onPersisted(NodeContext ctx, long id) {
    String tmp = "_state/coordination-" + id + ".tmp";
    if (disk.exists(tmp)) disk.rename(tmp, STATE_FILE); // atomic, and fsyncs complete in order
    List<Runnable> then = afterPersist.remove(id);
    if (then != null) for (Runnable r : then) r.run();
  }

  // --- messages ---

  public boolean onMessage(NodeContext ctx, String from, CoordinationMessage m) {
    disconnected.remove(from);
    heardAt.put(from, ctx.localTimeNanos());
    if (m instanceof PeersRequest) ctx.send(node(from), new PeersResponse(self, leader(), currentTerm));
    else if (m instanceof PeersResponse r) onPeersResponse(ctx, r);
    else if (m instanceof PreVoteRequest r) onPreVoteRequest(ctx, r);
    else if (m instanceof PreVoteResponse r) onPreVoteResponse(ctx, r);
    else if (m instanceof PreVoteRejected r) updateMaxTermSeen(ctx, r.currentTerm());
    else if (m instanceof StartJoinRequest r) onStartJoin(ctx, r);
    else if (m instanceof JoinRequest r) onJoinRequest(ctx, r);
    else if (m instanceof PublishRequest r) onPublishRequest(ctx, r);
    else if (m instanceof PublishResponse r) onPublishResponse(ctx, r);
    else if (m instanceof PublishRejected r && publication != null) publication.fail(ctx, r.source(), r.reason());
    else if (m instanceof ApplyCommitRequest r) onApplyCommit(ctx, r);
    else if (m instanceof ApplyCommitResponse r && publication != null) publication.onCommitAck(ctx, r);
    else faultDetection.onMessage(ctx, from, m);
    return true;
  }

  /** The connection to {@code peer} was reset (it crashed): until it speaks again, requests to it fail at once. */
  public void onPeerDisconnected(NodeContext ctx, String peer) {
    disconnected.add(peer);
    faultDetection.onDisconnected(ctx, peer);
    if (publication != null) publication.fail(ctx, peer, "disconnected");
  }

  boolean isDisconnected(String peer) {
    return disconnected.contains(peer);
  }

  public void onTimer(NodeContext ctx, CoordinationTimer t) {
    if (t instanceof CoordinationTimer.Persisted p) {
      onPersisted(ctx, p.id());
    } else if (t instanceof CoordinationTimer.ElectionAttempt e) {
      onElectionAttempt(ctx, e);
    } else if (t instanceof CoordinationTimer.FindPeers f) {
      findPeers(ctx);
      ctx.setTimer(f, Durations.millis(settings.findPeersIntervalMs()));
    } else if (t instanceof CoordinationTimer.PublishTimeout p) {
      if (publication != null && publication.term == p.term() && publication.version == p.version()) publication.timeout(ctx);
    } else if (t instanceof CoordinationTimer.PublishRetry p) {
      if (publication != null && publication.term == p.term() && publication.version == p.version()) {
        publication.retransmit(ctx);
        ctx.setTimer(p, Durations.seconds(1));
      }
    } else {
      faultDetection.onTimer(ctx, t);
    }
  }

  // --- discovery and elections ---

  private void onPeersResponse(NodeContext ctx, PeersResponse r) {
    updateMaxTermSeen(ctx, r.term());
    if (mode != Mode.CANDIDATE || r.knownLeader() == null || !r.knownLeader().equals(r.source())) return;
    // an active master was found (PeerFinder.onActiveMasterFound): ask to join it, no vote needed
    ctx.send(node(r.source()), new JoinRequest(self, host.ephemeralId(), zone, currentTerm, null, host.shardStores()));
  }

  void becomeCandidate(NodeContext ctx, String reason) {
    Mode old = mode;
    String oldLeader = leader;
    mode = Mode.CANDIDATE;
    leader = null;
    boolean was = old != Mode.CANDIDATE;
    if (old == Mode.LEADER) {
      lastStepDown = reason;
      ctx.point("es.master.stepdown", self + " stops being master of term " + ledTerm + ": " + reason, "term", ledTerm, "reason", reason);
      if (publication != null) publication.abandon(ctx);
    } else if (old == Mode.FOLLOWER) {
      ctx.point("es.coord.leader-lost", self + " no longer follows " + oldLeader + ": " + reason, "term", currentTerm, "leader", String.valueOf(oldLeader));
    }
    faultDetection.stop();
    applied = applied.withMaster(null); // the no-master block: this node knows no master now
    // PeerFinder.activate probes at once (handleWakeUp), not find_peers_interval later: a node the master removed
    // finds it again and rejoins with its shard copies straight away
    if (was) findPeers(ctx);
    if (was || preVote == null) startElectionScheduler(ctx);
  }

  private void startElectionScheduler(NodeContext ctx) {
    electionEpoch++;
    electionAttempt = 0;
    scheduleElection(ctx, 0);
  }

  private void scheduleElection(NodeContext ctx, long gracePeriodMs) {
    long delay = settings.electionDelayMs(electionAttempt, ctx.random("election").nextLong(), gracePeriodMs);
    ctx.setTimer(new CoordinationTimer.ElectionAttempt(electionEpoch * 1_000_000 + electionAttempt), Durations.millis(delay));
    electionAttempt++;
  }

  private void onElectionAttempt(NodeContext ctx, CoordinationTimer.ElectionAttempt e) {
    if (mode != Mode.CANDIDATE || e.attempt() / 1_000_000 != electionEpoch) return;
    scheduleElection(ctx, settings.electionDurationMs());
    if (!lastAccepted.lastAcceptedConfig().nodeIds().contains(self)) return; // localNodeMayWinElection
    preVote = new PreVoteRound();
    state.setVisibleNodes(visibleNodes(ctx));
    ctx.point("es.coord.prevote", self + " requests pre-votes in term " + currentTerm + " (last accepted term " + lastAccepted.term() + " version "
        + lastAccepted.version() + ")", "term", currentTerm);
    for (String n : masterEligible()) {
      if (n.equals(self)) onPreVoteResponse(ctx, new PreVoteResponse(self, currentTerm, lastAccepted.term(), lastAccepted.version()));
      else ctx.send(node(n), new PreVoteRequest(self, currentTerm));
    }
  }

  private void onPreVoteRequest(NodeContext ctx, PreVoteRequest r) {
    updateMaxTermSeen(ctx, r.currentTerm());
    String known = mode == Mode.LEADER ? self : leader;
    if (known != null && !known.equals(r.source())) {
      ctx.send(node(r.source()), new PreVoteRejected(self, currentTerm, "rejecting pre-vote from " + r.source() + " as there is already a leader: " + known));
      return;
    }
    ctx.send(node(r.source()), new PreVoteResponse(self, currentTerm, lastAccepted.term(), lastAccepted.version()));
  }

  private void onPreVoteResponse(NodeContext ctx, PreVoteResponse r) {
    updateMaxTermSeen(ctx, r.currentTerm());
    if (preVote == null || mode != Mode.CANDIDATE) return;
    boolean fresher = r.lastAcceptedTerm() > lastAccepted.term()
        || (r.lastAcceptedTerm() == lastAccepted.term() && r.lastAcceptedVersion() > lastAccepted.version());
    if (fresher) return; // a node that accepted a newer state should win instead
    preVote.votes.add(r.source());
    if (preVote.electionStarted || !state.isElectionQuorum(preVote.votes)) return;
    preVote.electionStarted = true;
    startElection(ctx);
  }

  private void startElection(NodeContext ctx) {
    long term = Math.max(currentTerm, maxTermSeen) + 1;
    ctx.point("es.coord.election", self + " starts an election in term " + term, "term", term);
    for (String n : masterEligible()) {
      if (n.equals(self)) onStartJoin(ctx, new StartJoinRequest(self, term));
      else ctx.send(node(n), new StartJoinRequest(self, term));
    }
  }

  private void onStartJoin(NodeContext ctx, StartJoinRequest r) {
    Join join;
    try {
      join = joinLeaderInTerm(ctx, r.source(), r.term());
    } catch (Rejected e) {
      return;
    }
    persist(ctx, () -> {
      if (r.source().equals(self)) handleJoin(ctx, join);
      else ctx.send(node(r.source()), new JoinRequest(self, host.ephemeralId(), zone, join.term(), join, host.shardStores()));
    });
  }

  /** Moves to {@code term}, voting for {@code source}; this node becomes a candidate. */
  private Join joinLeaderInTerm(NodeContext ctx, String source, long term) {
    if (term <= currentTerm) throw new Rejected("incoming term " + term + " not greater than current term " + currentTerm);
    ledTerm = currentTerm;
    Join join = state.handleStartJoin(source, term);
    ctx.point("es.coord.vote", self + " moves to term " + term + " and votes for " + source, "term", term, "for", source);
    if (mode != Mode.CANDIDATE) becomeCandidate(ctx, "joined " + source + " in term " + term);
    return join;
  }

  /** ensureTermAtLeast: a message from a higher term moves this node there; returns its join for {@code source}, or null. */
  private Join ensureTermAtLeast(NodeContext ctx, String source, long term) {
    if (term <= currentTerm) return null;
    return joinLeaderInTerm(ctx, source, term);
  }

  void updateMaxTermSeen(NodeContext ctx, long term) {
    maxTermSeen = Math.max(maxTermSeen, term);
    if (mode == Mode.LEADER && maxTermSeen > currentTerm && publication == null) {
      becomeCandidate(ctx, "saw a higher term " + maxTermSeen);
      startElection(ctx); // the node most likely to win bumps its term at once
    }
  }

  private void onJoinRequest(NodeContext ctx, JoinRequest r) {
    if (mode != Mode.LEADER) pendingJoins.put(r.source(), r); // JoinHelper keeps them for when the election is won
    if (r.join() != null) {
      Join mine = ensureTermAtLeast(ctx, self, r.join().term());
      if (mine != null) {
        persist(ctx, () -> {
          handleJoin(ctx, mine);
          handleJoin(ctx, r.join());
        });
      } else {
        handleJoin(ctx, r.join());
      }
    }
    if (mode == Mode.LEADER && !pendingJoinsJustUsed.contains(r.source())) host.onJoinRequest(ctx, r);
    pendingJoinsJustUsed.clear();
  }

  private final Set<String> pendingJoinsJustUsed = new TreeSet<>();

  private final TreeMap<String, JoinRequest> pendingJoins = new TreeMap<>();

  private void handleJoin(NodeContext ctx, Join join) {
    boolean won;
    try {
      won = state.handleJoin(join);
    } catch (Rejected e) {
      return;
    }
    if (won && mode == Mode.CANDIDATE) becomeLeader(ctx);
  }

  private void becomeLeader(NodeContext ctx) {
    mode = Mode.LEADER;
    ledTerm = currentTerm;
    leader = self;
    ctx.point("es.master.elected", self + " is elected master in term " + currentTerm + " with votes " + state.joinVoters(), "term", currentTerm,
        "master", self, "votes", String.join(",", state.joinVoters()));
    Set<String> joiners = new TreeSet<>(state.joinVoters());
    List<JoinRequest> joins = new ArrayList<>(pendingJoins.values());
    pendingJoinsJustUsed.addAll(pendingJoins.keySet());
    pendingJoins.clear();
    host.onBecomeLeader(ctx, joiners, joins);
  }

  // --- publication ---

  public boolean publicationInProgress() {
    return publication != null;
  }

  /** As leader: publish {@code next} (term and version are set here) to every node in it. */
  public void publish(NodeContext ctx, ClusterState next) {
    if (mode != Mode.LEADER || publication != null) throw new Rejected("not ready to publish");
    ClusterState s = next.withTermAndVersion(currentTerm, lastAccepted.version() + 1).withMaster(self);
    try {
      state.handleClientValue(s);
    } catch (Rejected e) {
      ctx.note("publication refused: " + e.getMessage());
      host.onPublicationDone(ctx, false);
      return;
    }
    List<String> targets = new ArrayList<>();
    for (var n : s.nodes()) targets.add(n.id());
    if (!targets.contains(self)) targets.add(self);
    publication = new Publication(this, s, targets);
    ctx.point("es.state.publish", self + " publishes cluster state version " + s.version() + " (term " + s.term() + ") to " + targets,
        "term", s.term(), "version", s.version());
    ctx.setTimer(new CoordinationTimer.PublishTimeout(s.term(), s.version()), Durations.millis(settings.publishTimeoutMs()));
    ctx.setTimer(new CoordinationTimer.PublishRetry(s.term(), s.version()), Durations.seconds(1));
    for (String t : targets) {
      if (t.equals(self)) onPublishRequest(ctx, new PublishRequest(self, s));
      else if (disconnected.contains(t)) publication.fail(ctx, t, "disconnected");
      else ctx.send(node(t), new PublishRequest(self, s));
    }
  }

  /** Resends a publication's request to a target that did not answer. */
  void sendPublish(NodeContext ctx, String target, ClusterState s) {
    if (!target.equals(self)) ctx.send(node(target), new PublishRequest(self, s));
  }

  private void onPublishRequest(NodeContext ctx, PublishRequest r) {
    if (!r.source().equals(self) && r.state().term() == currentTerm && r.state().term() == lastAccepted.term()
        && r.state().version() == lastAccepted.version() && r.source().equals(leader)) {
      ctx.send(node(r.source()), new PublishResponse(self, currentTerm, lastAccepted.version(), null)); // a retransmission: already accepted
      return;
    }
    String mine = r.state().node(self).map(n -> n.ephemeralId()).orElse(host.ephemeralId());
    if (!r.source().equals(self) && !mine.equals(host.ephemeralId())) { // sent to the process this node was before it restarted
      ctx.send(node(r.source()), new PublishRejected(self, r.state().version(), "the state lists " + self + " as incarnation " + mine
          + ", this is " + host.ephemeralId() + ": a publication to a previous process"));
      return;
    }
    Join join;
    try {
      join = ensureTermAtLeast(ctx, r.source(), r.state().term());
      state.handlePublishRequest(r.state());
    } catch (Rejected e) {
      if (!r.source().equals(self)) ctx.send(node(r.source()), new PublishRejected(self, r.state().version(), e.getMessage()));
      else if (publication != null) publication.fail(ctx, self, e.getMessage());
      return;
    }
    if (!r.source().equals(self) && (mode != Mode.FOLLOWER || !r.source().equals(leader))) becomeFollower(ctx, r.source());
    ClusterState accepted = r.state();
    persist(ctx, () -> {
      PublishResponse resp = new PublishResponse(self, accepted.term(), accepted.version(), join);
      if (r.source().equals(self)) onPublishResponse(ctx, resp);
      else ctx.send(node(r.source()), resp);
    });
  }

  private void becomeFollower(NodeContext ctx, String newLeader) {
    Mode old = mode;
    mode = Mode.FOLLOWER;
    leader = newLeader;
    if (old == Mode.LEADER) {
      lastStepDown = "a publication from " + newLeader;
      ctx.point("es.master.stepdown", self + " stops being master of term " + ledTerm + ": follows " + newLeader, "term", ledTerm,
          "reason", "follows " + newLeader);
      if (publication != null) publication.abandon(ctx);
    }
    faultDetection.stop();
    preVote = null;
    electionEpoch++; // the election scheduler stops
    ctx.point("es.coord.follower", self + " follows " + newLeader + " in term " + currentTerm, "term", currentTerm, "leader", newLeader);
    faultDetection.startLeaderChecks(ctx, newLeader);
  }

  private void onPublishResponse(NodeContext ctx, PublishResponse r) {
    if (r.join() != null) handleJoin(ctx, r.join());
    if (publication == null || mode != Mode.LEADER) return;
    try {
      boolean quorum = state.handlePublishResponse(r.source(), r.term(), r.version()).isPresent();
      publication.accepted(ctx, r.source());
      if (quorum) publication.committed(ctx);
    } catch (Rejected e) {
      // a response to an older publication, or from a node in another term
    }
  }

  void sendCommit(NodeContext ctx, String target, long term, long version) {
    if (target.equals(self)) onApplyCommit(ctx, new ApplyCommitRequest(self, term, version));
    else ctx.send(node(target), new ApplyCommitRequest(self, term, version));
  }

  private void onApplyCommit(NodeContext ctx, ApplyCommitRequest r) {
    if (!r.source().equals(self) && applied.term() == r.term() && applied.version() == r.version()) {
      ctx.send(node(r.source()), new ApplyCommitResponse(self, r.term(), r.version())); // a retransmission: already applied
      return;
    }
    try {
      state.handleCommit(r.term(), r.version());
    } catch (Rejected e) {
      return;
    }
    ClusterState committed = lastAccepted;
    persist(ctx, () -> { }); // the committed configuration, durably
    applied = committed;
    ctx.point("es.state.applied", self + " applies cluster state version " + committed.version() + " (term " + committed.term() + ", master "
        + committed.masterNodeId() + ")", "term", committed.term(), "version", committed.version());
    host.onStateCommitted(ctx, committed);
    if (mode == Mode.LEADER) faultDetection.updateFollowers(ctx, committed);
    ApplyCommitResponse ack = new ApplyCommitResponse(self, r.term(), r.version());
    if (r.source().equals(self)) {
      if (publication != null) publication.onCommitAck(ctx, ack);
    } else {
      ctx.send(node(r.source()), ack);
    }
  }

  /** The publication ended; as leader, step down if it did not commit. */
  void publicationDone(NodeContext ctx, Publication p, boolean committed, String why) {
    if (publication != p) return;
    publication = null;
    ctx.point(committed ? "es.state.published" : "es.state.publish-failed", self + (committed ? " completed" : " failed") + " the publication of version "
        + p.version + (why.isEmpty() ? "" : ": " + why), "term", p.term, "version", p.version, "committed", committed);
    if (!committed && mode == Mode.LEADER) becomeCandidate(ctx, "publication of version " + p.version + " failed: " + why);
    host.onPublicationDone(ctx, committed);
    if (mode == Mode.LEADER) updateMaxTermSeen(ctx, maxTermSeen);
  }

  /** Whether these votes are a publish quorum of the committed and the published configuration. */
  boolean isQuorum(Set<String> votes, ClusterState s) {
    return lastAccepted.lastCommittedConfig().hasQuorum(votes) && s.lastAcceptedConfig().hasQuorum(votes);
  }

  // --- views and helpers ---

  void onFollowerFailed(NodeContext ctx, String node, String ephemeralId, String reason) {
    if (mode != Mode.LEADER) return;
    if (publication != null) publication.fail(ctx, node, reason);
    host.onFollowerFailed(ctx, node, ephemeralId, reason);
  }

  void onLeaderFailed(NodeContext ctx, String reason) {
    if (mode == Mode.FOLLOWER) becomeCandidate(ctx, reason);
  }

  /** For the leader check: does this leader still count {@code follower} in? */
  String leaderCheckRejection(String follower) {
    if (mode != Mode.LEADER) return "rejecting leader check from " + follower + ": this node is not the master";
    if (!applied.hasNode(follower) && !lastAccepted.hasNode(follower)) return "rejecting leader check from " + follower + ": it was removed from the cluster";
    return null;
  }

  /** For the follower check: does this node follow {@code master} in {@code term}? */
  String followerCheckRejection(NodeContext ctx, String master, long term) {
    Join join = ensureTermAtLeast(ctx, master, term);
    if (join != null) persist(ctx, () -> {});
    if (currentTerm != term) return "current term is " + currentTerm + ", rejecting follower check of term " + term;
    if (lastAccepted.term() < currentTerm) {
      if (mode != Mode.FOLLOWER || !master.equals(leader)) becomeFollower(ctx, master);
      return null;
    }
    if (mode == Mode.FOLLOWER) return null;
    return "received follower check from faulty master " + master;
  }

  /** The master-eligible nodes (the seed hosts are all of them). */
  List<String> masterEligible() {
    return settings.initialMasterNodes();
  }

  /** For the broken quorum rule: the nodes heard from within a leader-check timeout, and this one. */
  private List<String> visibleNodes(NodeContext ctx) {
    List<String> out = new ArrayList<>();
    for (String n : settings.initialMasterNodes()) {
      Long at = heardAt.get(n);
      boolean recent = at != null && ctx.localTimeNanos() - at <= Durations.millis(settings.leaderCheckTimeoutMs());
      if (n.equals(self) || (recent && !disconnected.contains(n))) out.add(n);
    }
    return out;
  }

  private final TreeMap<String, Long> heardAt = new TreeMap<>();

  static sim.core.NodeId node(String id) {
    return sim.core.NodeId.of(id);
  }

  String self() {
    return self;
  }

  public Mode mode() {
    return mode;
  }

  public String leader() {
    return mode == Mode.LEADER ? self : leader;
  }

  public long term() {
    return currentTerm;
  }

  /** The last committed state this node applied (with no master while it is a candidate). */
  public ClusterState applied() {
    return applied;
  }

  public ClusterState lastAccepted() {
    return lastAccepted;
  }

  private long nextRequestId;

  /**
   * Request ids start at a random base each incarnation, so an answer to a request of the node's previous life
   * (delivered after a restart) never matches a request of this one — what a new TCP connection guarantees.
   */
  public static long requestIdBase(NodeContext ctx) {
    return (ctx.random("request-ids").nextLong() & 0xFFFFFFL) << 32;
  }

  String ephemeralId() {
    return host.ephemeralId();
  }

  long nextRequestId() {
    return ++nextRequestId;
  }

  public String describe() {
    return mode + (mode == Mode.FOLLOWER ? " of " + leader : "") + ", term " + currentTerm + ", accepted version " + lastAccepted.version()
        + " (term " + lastAccepted.term() + "), applied version " + applied.version()
        + (publication != null ? ", publishing version " + publication.version : "") + (lastStepDown.isEmpty() ? "" : "; last step-down: " + lastStepDown)
        + faultDetection.describe();
  }
}
