package sim.es.cluster.coordination;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import sim.es.cluster.state.ClusterState;
import sim.es.cluster.state.VotingConfiguration;

/**
 * The safety core of Elasticsearch's cluster coordination (CoordinationState, the Zen2 formal model): a
 * node's current term and last accepted cluster state, which are persisted, and the transient votes.
 * <ul>
 *   <li>{@link #handleStartJoin}: a node moves to a higher term and offers its one vote of that term.</li>
 *   <li>{@link #handleJoin}: a candidate counts votes; a quorum of the voting configuration (both the
 *       committed and the accepted one) wins the election — unless a voter accepted a fresher state.</li>
 *   <li>{@link #handleClientValue}: the winner publishes states of its term, one version at a time.</li>
 *   <li>{@link #handlePublishRequest}: a node accepts a state of its current term that is newer.</li>
 *   <li>{@link #handlePublishResponse}: a quorum of acceptances commits the version.</li>
 *   <li>{@link #handleCommit}: a node marks its accepted state committed.</li>
 * </ul>
 * Each rule violation throws {@link Rejected}. Since a node votes once per term and a win needs a majority,
 * no two nodes win the same term.
 */
public final class CoordinationState {
  /** Where the term and the accepted state live; the node makes them durable before it speaks. */
  public interface PersistedState {
    long currentTerm();

    ClusterState lastAcceptedState();

    void setCurrentTerm(long term);

    void setLastAcceptedState(ClusterState state);
  }

  private final String localNode;
  private final PersistedState persisted;
  private final boolean electionCountsVisibleNodes;
  private final boolean newestConfigOnly;
  private final Map<String, Join> joinVotes = new LinkedHashMap<>();
  private boolean startedJoinSinceLastReboot;
  private boolean electionWon;
  private long lastPublishedVersion;
  private VotingConfiguration lastPublishedConfiguration;
  private final TreeSet<String> publishVotes = new TreeSet<>();
  private List<String> visibleNodes = List.of();

  /**
   * @param electionCountsVisibleNodes the broken rule {@code es.two-masters-per-term}: an election quorum is a
   *     majority of the nodes this one can see, not of the voting configuration
   */
  public CoordinationState(String localNode, PersistedState persisted, boolean electionCountsVisibleNodes) {
    this(localNode, persisted, electionCountsVisibleNodes, false);
  }

  /**
   * @param newestConfigOnly the broken rule {@code es.skip-joint-quorum}: a quorum of the accepted (or published)
   *     configuration suffices, without one of the committed configuration as well
   */
  public CoordinationState(String localNode, PersistedState persisted, boolean electionCountsVisibleNodes, boolean newestConfigOnly) {
    this.localNode = localNode;
    this.persisted = persisted;
    this.electionCountsVisibleNodes = electionCountsVisibleNodes;
    this.newestConfigOnly = newestConfigOnly;
    this.lastPublishedConfiguration = persisted.lastAcceptedState().lastAcceptedConfig();
  }

  public long currentTerm() {
    return persisted.currentTerm();
  }

  public ClusterState lastAcceptedState() {
    return persisted.lastAcceptedState();
  }

  public long lastAcceptedTerm() {
    return lastAcceptedState().term();
  }

  public long lastAcceptedVersion() {
    return lastAcceptedState().version();
  }

  public boolean electionWon() {
    return electionWon;
  }

  public long lastPublishedVersion() {
    return lastPublishedVersion;
  }

  /** For the broken rule only: the nodes this one currently hears from. */
  public void setVisibleNodes(List<String> nodes) {
    visibleNodes = List.copyOf(nodes);
  }

  /** ElectionStrategy.isElectionQuorum: votes from a quorum of both the committed and the accepted configuration. */
  public boolean isElectionQuorum(java.util.Collection<String> votes) {
    if (electionCountsVisibleNodes) {
      int count = 0;
      for (String n : visibleNodes) if (votes.contains(n)) count++;
      return count * 2 > visibleNodes.size();
    }
    ClusterState s = lastAcceptedState();
    if (newestConfigOnly) return s.lastAcceptedConfig().hasQuorum(votes);
    return s.lastCommittedConfig().hasQuorum(votes) && s.lastAcceptedConfig().hasQuorum(votes);
  }

  private boolean isPublishQuorum(java.util.Collection<String> votes) {
    if (newestConfigOnly) return lastPublishedConfiguration.hasQuorum(votes);
    return lastAcceptedState().lastCommittedConfig().hasQuorum(votes) && lastPublishedConfiguration.hasQuorum(votes);
  }

  /** Bootstrapping ({@code cluster.initial_master_nodes}): the first configuration, at term 0. */
  public void setInitialState(ClusterState initial) {
    if (!lastAcceptedState().lastAcceptedConfig().isEmpty()) throw new Rejected("initial state already set");
    persisted.setLastAcceptedState(initial);
    lastPublishedConfiguration = initial.lastAcceptedConfig();
  }

  /** Moves to the requested higher term and returns this node's one vote of it, for the requester. */
  public Join handleStartJoin(String source, long term) {
    if (term <= currentTerm()) throw new Rejected("incoming term " + term + " not greater than current term " + currentTerm());
    persisted.setCurrentTerm(term);
    lastPublishedVersion = 0;
    lastPublishedConfiguration = lastAcceptedState().lastAcceptedConfig();
    startedJoinSinceLastReboot = true;
    electionWon = false;
    joinVotes.clear();
    publishVotes.clear();
    return new Join(localNode, source, term, lastAcceptedTerm(), lastAcceptedVersion());
  }

  /** Counts a vote; returns whether this vote just won the election. */
  public boolean handleJoin(Join join) {
    if (join.term() != currentTerm()) throw new Rejected("incoming term " + join.term() + " does not match current term " + currentTerm());
    if (!startedJoinSinceLastReboot) throw new Rejected("ignored join as term has not been incremented yet after reboot");
    if (join.lastAcceptedTerm() > lastAcceptedTerm()) {
      throw new Rejected("incoming last accepted term " + join.lastAcceptedTerm() + " of join higher than current last accepted term " + lastAcceptedTerm());
    }
    if (join.lastAcceptedTerm() == lastAcceptedTerm() && join.lastAcceptedVersion() > lastAcceptedVersion()) {
      throw new Rejected("incoming last accepted version " + join.lastAcceptedVersion() + " of join higher than current last accepted version "
          + lastAcceptedVersion() + " in term " + lastAcceptedTerm());
    }
    if (lastAcceptedState().lastAcceptedConfig().isEmpty()) throw new Rejected("rejecting join since this node has not received its initial configuration yet");
    joinVotes.putIfAbsent(join.source(), join);
    boolean before = electionWon;
    electionWon = isElectionQuorum(joinVotes.keySet());
    if (electionWon && !before) {
      lastPublishedVersion = lastAcceptedVersion();
      return true;
    }
    return false;
  }

  public java.util.Set<String> joinVoters() {
    return java.util.Collections.unmodifiableSet(joinVotes.keySet());
  }

  /** The leader starts publishing {@code state}; returns it as the PublishRequest's payload. */
  public ClusterState handleClientValue(ClusterState state) {
    if (!electionWon) throw new Rejected("election not won");
    if (lastPublishedVersion != lastAcceptedVersion()) throw new Rejected("cannot start publishing next value before accepting previous one");
    if (state.term() != currentTerm()) throw new Rejected("incoming term " + state.term() + " does not match current term " + currentTerm());
    if (state.version() <= lastPublishedVersion) {
      throw new Rejected("incoming cluster state version " + state.version() + " lower or equal to last published version " + lastPublishedVersion);
    }
    if (!state.lastAcceptedConfig().equals(lastAcceptedState().lastAcceptedConfig())
        && !lastAcceptedState().lastCommittedConfig().equals(lastAcceptedState().lastAcceptedConfig())) {
      throw new Rejected("only allow reconfiguration while not already reconfiguring");
    }
    if (!state.lastAcceptedConfig().hasQuorum(joinVotes.keySet())) throw new Rejected("only allow reconfiguration if joinVotes have quorum for new config");
    lastPublishedVersion = state.version();
    lastPublishedConfiguration = state.lastAcceptedConfig();
    publishVotes.clear();
    return state;
  }

  /** A node accepts a published state of its current term, if newer than what it accepted. */
  public void handlePublishRequest(ClusterState state) {
    if (state.term() != currentTerm()) throw new Rejected("incoming term " + state.term() + " does not match current term " + currentTerm());
    if (state.term() == lastAcceptedTerm() && state.version() <= lastAcceptedVersion()) {
      throw new Rejected("incoming version " + state.version() + " lower or equal to current version " + lastAcceptedVersion());
    }
    persisted.setLastAcceptedState(state);
  }

  /** The leader counts an acceptance; returns true once a quorum has accepted: the version is committed. */
  public Optional<Long> handlePublishResponse(String source, long term, long version) {
    if (!electionWon) throw new Rejected("election not won");
    if (term != currentTerm()) throw new Rejected("incoming term " + term + " does not match current term " + currentTerm());
    if (version != lastPublishedVersion) throw new Rejected("incoming version " + version + " does not match current version " + lastPublishedVersion);
    publishVotes.add(source);
    return isPublishQuorum(publishVotes) ? Optional.of(version) : Optional.empty();
  }

  /** A node learns its accepted state is committed: the accepted configuration becomes the committed one. */
  public void handleCommit(long term, long version) {
    if (term != currentTerm()) throw new Rejected("incoming term " + term + " does not match current term " + currentTerm());
    if (term != lastAcceptedTerm()) throw new Rejected("incoming term " + term + " does not match last accepted term " + lastAcceptedTerm());
    if (version != lastAcceptedVersion()) throw new Rejected("incoming version " + version + " does not match current version " + lastAcceptedVersion());
    ClusterState s = lastAcceptedState();
    if (!s.lastAcceptedConfig().equals(s.lastCommittedConfig())) persisted.setLastAcceptedState(s.withConfigs(s.lastAcceptedConfig(), s.lastAcceptedConfig()));
  }
}
