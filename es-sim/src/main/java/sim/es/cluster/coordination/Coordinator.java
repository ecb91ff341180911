package sim.es.cluster.coordination;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
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
 * The parts, as Elasticsearch divides them: {@link PreVoteCollector} (election attempts and pre-votes),
 * {@link JoinHelper} (votes and join requests), {@link PublicationTransportHandler} and {@link Publication}
 * (publishing and committing), {@link FaultDetection} (LeaderChecker, FollowersChecker). This class holds the
 * node's mode, term and states, persists them, and moves between the modes.
 * "Persist before speaking": a node writes its term and accepted state to {@code _state/} and fsyncs it
 * through the kernel's durability door before it sends the Join or the PublishResponse that depends on it.
 */
public final class Coordinator {
  public enum Mode { CANDIDATE, LEADER, FOLLOWER }

  /** The rest of the node: what it does with committed states and with the master's work. */
  public interface Host {
    /** A committed state to apply (every node, the master included). */
    void onStateCommitted(NodeContext ctx, ClusterState state);

    /** This node won the election in its current term; {@code joins} are the requests of the nodes that joined it. Publish the first state. */
    void onBecomeLeader(NodeContext ctx, Set<String> joiners, List<JoinRequest> joins);

    /** As leader: {@code node} asks to join (or rejoin) the cluster. */
    void onJoinRequest(NodeContext ctx, JoinRequest request);

    /** As leader with no publication running: a new vote makes a better voting configuration possible (scheduleReconfigurationIfNeeded). */
    void onReconfigurationNeeded(NodeContext ctx);

    /** As leader: fault detection gave up on {@code node} (the incarnation {@code ephemeralId}). */
    void onFollowerFailed(NodeContext ctx, String node, String ephemeralId, String reason);

    /** As leader: the running publication finished (committed or not); the next may start. */
    void onPublicationDone(NodeContext ctx, boolean committed);

    /** This node's shard copies on disk, for its JoinRequests. */
    Map<Integer, String> shardStores();

    /** This incarnation's ephemeral id. */
    String ephemeralId();
  }

  private final String self;
  private final String zone;
  private final CoordinationSettings settings;
  private final Host host;
  private final boolean brokenQuorum;
  private final boolean skipJointQuorum;
  private final PersistedStateFile stored = new PersistedStateFile();
  private CoordinationState state;
  private Mode mode = Mode.CANDIDATE;
  private String leader;
  private long maxTermSeen;
  private ClusterState applied = ClusterState.empty();
  private final Set<String> disconnected = new TreeSet<>();
  private Publication publication;
  private final FaultDetection faultDetection;
  private final PreVoteCollector preVotes;
  private final JoinHelper joins;
  private final PublicationTransportHandler transport;
  private String lastStepDown = "";
  private long ledTerm; // the term this node led in, for the step-down message

  /**
   * @param brokenQuorum the broken rule {@code es.two-masters-per-term}
   * @param skipJointQuorum the broken rule {@code es.skip-joint-quorum}: elections and publications count the votes of the
   *     newest configuration only, not of both while a reconfiguration is being committed
   */
  public Coordinator(String self, String zone, CoordinationSettings settings, Host host, boolean brokenQuorum, boolean skipJointQuorum) {
    this.self = self;
    this.zone = zone;
    this.settings = settings;
    this.host = host;
    this.brokenQuorum = brokenQuorum;
    this.skipJointQuorum = skipJointQuorum;
    this.faultDetection = new FaultDetection(this, settings);
    this.preVotes = new PreVoteCollector(this, settings);
    this.joins = new JoinHelper(this, zone, host);
    this.transport = new PublicationTransportHandler(this, settings, host);
  }

  // --- start ---

  /** Loads the persisted term and state (or bootstraps from {@code cluster.initial_master_nodes}), then becomes a candidate. */
  public void start(NodeContext ctx) {
    nextRequestId = requestIdBase(ctx);
    boolean bootstrap = !stored.load(ctx.disk());
    state = new CoordinationState(self, stored, brokenQuorum, skipJointQuorum);
    if (bootstrap) {
      VotingConfiguration initial = new VotingConfiguration(settings.initialMasterNodes());
      state.setInitialState(ClusterState.empty().withConfigs(initial, initial));
      persist(ctx, () -> {});
    }
    applied = lastAccepted().withMaster(null);
    ctx.point("es.coord.start", self + " starts in term " + term() + " with accepted state version " + lastAccepted().version()
        + (bootstrap ? " (bootstrapped: voting configuration " + lastAccepted().lastAcceptedConfig() + ")" : ""),
        "term", term(), "version", lastAccepted().version());
    becomeCandidate(ctx, "start");
    ctx.setTimer(new CoordinationTimer.FindPeers(), 0); // PeerFinder starts probing at once (after every node is up)
  }

  /** PeerFinder, while a candidate: ask every seed node whom it knows as master. */
  private void findPeers(NodeContext ctx) {
    if (mode != Mode.CANDIDATE) return;
    for (String n : settings.initialMasterNodes()) if (!n.equals(self)) ctx.send(node(n), new PeersRequest(self, term()));
  }

  // --- persistence: the durability door before speaking ---

  /** Writes the term and accepted state, fsyncs, renames into place, then runs {@code then}. */
  void persist(NodeContext ctx, Runnable then) {
    stored.persist(ctx, then);
  }

  // --- messages ---

  public boolean onMessage(NodeContext ctx, String from, CoordinationMessage m) {
    disconnected.remove(from);
    preVotes.heardFrom(ctx, from);
    if (m instanceof PeersRequest) ctx.send(node(from), new PeersResponse(self, leader(), term()));
    else if (m instanceof PeersResponse r) joins.onPeersResponse(ctx, r);
    else if (m instanceof PreVoteRequest r) preVotes.onPreVoteRequest(ctx, r);
    else if (m instanceof PreVoteResponse r) preVotes.onPreVoteResponse(ctx, r);
    else if (m instanceof PreVoteRejected r) updateMaxTermSeen(ctx, r.currentTerm());
    else if (m instanceof StartJoinRequest r) joins.onStartJoin(ctx, r);
    else if (m instanceof JoinRequest r) joins.onJoinRequest(ctx, r);
    else if (m instanceof PublishRequest r) transport.onPublishRequest(ctx, r);
    else if (m instanceof PublishResponse r) transport.onPublishResponse(ctx, r);
    else if (m instanceof PublishRejected r && publication != null) publication.fail(ctx, r.source(), r.reason());
    else if (m instanceof ApplyCommitRequest r) transport.onApplyCommit(ctx, r);
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
      stored.onPersisted(p.id());
    } else if (t instanceof CoordinationTimer.ElectionAttempt e) {
      preVotes.onElectionAttempt(ctx, e);
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

  // --- modes and terms ---

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
      ctx.point("es.coord.leader-lost", self + " no longer follows " + oldLeader + ": " + reason, "term", term(), "leader", String.valueOf(oldLeader));
    }
    faultDetection.stop();
    applied = applied.withMaster(null); // the no-master block: this node knows no master now
    // PeerFinder.activate probes at once (handleWakeUp), not find_peers_interval later: a node the master removed
    // finds it again and rejoins with its shard copies straight away
    if (was) findPeers(ctx);
    if (was || preVotes.idle()) preVotes.startElectionScheduler(ctx);
  }

  /** Moves to {@code term}, voting for {@code source}; this node becomes a candidate. */
  Join joinLeaderInTerm(NodeContext ctx, String source, long term) {
    if (term <= term()) throw new Rejected("incoming term " + term + " not greater than current term " + term());
    ledTerm = term();
    Join join = state.handleStartJoin(source, term);
    joins.noteLastJoin(join);
    ctx.point("es.coord.vote", self + " moves to term " + term + " and votes for " + source, "term", term, "for", source);
    if (mode != Mode.CANDIDATE) becomeCandidate(ctx, "joined " + source + " in term " + term);
    return join;
  }

  /** ensureTermAtLeast: a message from a higher term moves this node there; returns its join for {@code source}, or null. */
  Join ensureTermAtLeast(NodeContext ctx, String source, long term) {
    if (term <= term()) return null;
    return joinLeaderInTerm(ctx, source, term);
  }

  void updateMaxTermSeen(NodeContext ctx, long term) {
    maxTermSeen = Math.max(maxTermSeen, term);
    if (mode == Mode.LEADER && maxTermSeen > term() && publication == null) {
      becomeCandidate(ctx, "saw a higher term " + maxTermSeen);
      preVotes.startElection(ctx); // the node most likely to win bumps its term at once
    }
  }

  void becomeLeader(NodeContext ctx) {
    mode = Mode.LEADER;
    ledTerm = term();
    leader = self;
    ctx.point("es.master.elected", self + " is elected master in term " + term() + " with votes " + state.joinVoters(), "term", term(),
        "master", self, "votes", String.join(",", state.joinVoters()));
    Set<String> joiners = new TreeSet<>(state.joinVoters());
    host.onBecomeLeader(ctx, joiners, joins.takePendingJoins());
  }

  void becomeFollower(NodeContext ctx, String newLeader) {
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
    preVotes.stop(); // the election scheduler stops
    ctx.point("es.coord.follower", self + " follows " + newLeader + " in term " + term(), "term", term(), "leader", newLeader);
    faultDetection.startLeaderChecks(ctx, newLeader);
  }

  // --- publication ---

  public boolean publicationInProgress() {
    return publication != null;
  }

  /** As leader: publish {@code next} (term and version are set here) to every node in it. */
  public void publish(NodeContext ctx, ClusterState next) {
    transport.publish(ctx, next);
  }

  /** The publication ended; as leader, step down if it did not commit. */
  void publicationDone(NodeContext ctx, Publication p, boolean committed, String why) {
    if (publication != p) return;
    publication = null;
    ctx.point(committed ? "es.state.published" : "es.state.publish-failed", self + (committed ? " completed" : " failed") + " the publication of version "
        + p.version + (why.isEmpty() ? "" : ": " + why), "term", p.term, "version", p.version, "committed", committed);
    if (!committed && mode == Mode.LEADER) becomeCandidate(ctx, "publication of version " + p.version + " failed: " + why);
    if (committed && mode == Mode.LEADER && applied.version() == p.version && !nodeMayWinElection(lastAccepted(), self)) abdicate(ctx, p);
    host.onPublicationDone(ctx, committed);
    if (mode == Mode.LEADER) updateMaxTermSeen(ctx, maxTermSeen);
  }

  // --- reconfiguration ---

  /**
   * Coordinator.improveConfiguration: the voting configuration the {@link Reconfigurator} prefers for {@code s}, as
   * its last accepted one (the committed one stays until a quorum of both accepts it), or {@code s} itself if that is
   * the same. The live nodes are those in {@code s} whose vote this master holds in its term; only a state that is
   * not already reconfiguring (committed = accepted) is reconfigured, as CoordinationState.handleClientValue demands.
   */
  public ClusterState improveConfiguration(ClusterState s) {
    if (!s.lastCommittedConfig().equals(s.lastAcceptedConfig())) return s;
    Set<String> live = new TreeSet<>();
    for (var n : s.nodes()) if (state.joinVoters().contains(n.id())) live.add(n.id());
    if (!live.contains(self)) return s;
    VotingConfiguration next = Reconfigurator.reconfigure(live, s.votingConfigExclusions(), self, s.lastAcceptedConfig(),
        settings.autoShrinkVotingConfiguration());
    return next.equals(s.lastAcceptedConfig()) ? s : s.withConfigs(s.lastCommittedConfig(), next);
  }

  /** scheduleReconfigurationIfNeeded: as an established leader with no publication running, would the configuration change? */
  public boolean needsReconfiguration() {
    if (mode != Mode.LEADER || publication != null || lastAccepted().term() != term()) return false;
    return improveConfiguration(lastAccepted()) != lastAccepted();
  }

  /** Coordinator.nodeMayWinElection: in either configuration, or at least not excluded from voting. */
  static boolean nodeMayWinElection(ClusterState s, String node) {
    return s.lastCommittedConfig().nodeIds().contains(node) || s.lastAcceptedConfig().nodeIds().contains(node)
        || !s.votingConfigExclusions().contains(node);
  }

  /**
   * The committed configuration no longer lets this master win an election (it was excluded): it hands over to a
   * node that applied the state and could win with their votes (CoordinatorPublication.onCompletion, abdicateTo),
   * sending every node a StartJoin for that node in the next term, and becomes a candidate.
   */
  private void abdicate(NodeContext ctx, Publication p) {
    ClusterState s = lastAccepted();
    Set<String> completed = p.appliedNodes();
    List<String> candidates = new ArrayList<>();
    for (String n : completed) {
      if (!n.equals(self) && nodeMayWinElection(s, n) && s.lastCommittedConfig().hasQuorum(completed) && s.lastAcceptedConfig().hasQuorum(completed)) {
        candidates.add(n);
      }
    }
    if (candidates.isEmpty()) return;
    String newMaster = candidates.get(ctx.random("abdication").nextInt(candidates.size()));
    long term = Math.max(term(), maxTermSeen) + 1;
    ctx.point("es.master.abdicate", self + " abdicates to " + newMaster + " with term " + term + ": the committed voting configuration "
        + s.lastCommittedConfig() + " excludes it", "term", term, "to", newMaster);
    StartJoinRequest startJoin = new StartJoinRequest(newMaster, term);
    for (var n : s.nodes()) if (!n.id().equals(self)) ctx.send(node(n.id()), startJoin);
    becomeCandidate(ctx, "after abdicating to " + newMaster);
    joins.onStartJoin(ctx, startJoin);
  }

  /** Whether these votes are a publish quorum of the committed and the published configuration. */
  boolean isQuorum(Set<String> votes, ClusterState s) {
    if (skipJointQuorum) return s.lastAcceptedConfig().hasQuorum(votes);
    return lastAccepted().lastCommittedConfig().hasQuorum(votes) && s.lastAcceptedConfig().hasQuorum(votes);
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
    if (!applied.hasNode(follower) && !lastAccepted().hasNode(follower)) return "rejecting leader check from " + follower + ": it was removed from the cluster";
    return null;
  }

  /** For the follower check: does this node follow {@code master} in {@code term}? */
  String followerCheckRejection(NodeContext ctx, String master, long term) {
    Join join = ensureTermAtLeast(ctx, master, term);
    if (join != null) persist(ctx, () -> {});
    if (term() != term) return "current term is " + term() + ", rejecting follower check of term " + term;
    if (lastAccepted().term() < term()) {
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

  static sim.core.NodeId node(String id) {
    return sim.core.NodeId.of(id);
  }

  String self() {
    return self;
  }

  CoordinationState coordinationState() {
    return state;
  }

  long maxTermSeen() {
    return maxTermSeen;
  }

  /** The leader this node follows (itself while it leads, null while a candidate). */
  String followedLeader() {
    return leader;
  }

  JoinHelper joins() {
    return joins;
  }

  PublicationTransportHandler transport() {
    return transport;
  }

  FaultDetection faultDetection() {
    return faultDetection;
  }

  Publication publication() {
    return publication;
  }

  void setPublication(Publication p) {
    publication = p;
  }

  void setApplied(ClusterState s) {
    applied = s;
  }

  public Mode mode() {
    return mode;
  }

  public String leader() {
    return mode == Mode.LEADER ? self : leader;
  }

  public long term() {
    return stored.currentTerm();
  }

  /** The last committed state this node applied (with no master while it is a candidate). */
  public ClusterState applied() {
    return applied;
  }

  public ClusterState lastAccepted() {
    return stored.lastAcceptedState();
  }

  /** The accepted state in {@code _state/coordination}: what this node holds whatever crashes (for the checks). */
  public ClusterState durablyAccepted() {
    return stored.durablyAccepted();
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
    return mode + (mode == Mode.FOLLOWER ? " of " + leader : "") + ", term " + term() + ", accepted version " + lastAccepted().version()
        + " (term " + lastAccepted().term() + "), applied version " + applied.version()
        + (publication != null ? ", publishing version " + publication.version : "") + (lastStepDown.isEmpty() ? "" : "; last step-down: " + lastStepDown)
        + faultDetection.describe();
  }
}
