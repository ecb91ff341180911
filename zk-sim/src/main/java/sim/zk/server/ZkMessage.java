package sim.zk.server;

import java.util.List;
import sim.core.Message;
import sim.zk.storage.SnapshotStore;
import sim.zk.tree.EventType;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;

/** Everything servers and clients say to each other: FLE notifications, ZAB packets, client protocol. */
public sealed interface ZkMessage extends Message {
  /** The peer states of {@code QuorumPeer.ServerState}. */
  enum ServerState { LOOKING, FOLLOWING, LEADING }

  // ---- fast leader election ----
  /** {@code FastLeaderElection.Notification}: a vote for {@code leader} and who sends it in which state. */
  record Notification(long leader, long zxid, long electionEpoch, long peerEpoch, ServerState state, long sid) implements ZkMessage {
    @Override
    public String toString() {
      return "Notification[leader=" + leader + " zxid=" + Txn.hex(zxid) + " round=" + electionEpoch + " peerEpoch=" + peerEpoch + " " + state + " from " + sid + "]";
    }
  }

  // ---- ZAB discovery ----
  record FollowerInfo(long acceptedEpoch, long lastZxid) implements ZkMessage {}

  record LeaderInfo(long newEpoch) implements ZkMessage {}

  /** {@code ACKEPOCH}: the follower's currentEpoch (-1 when it had already accepted this epoch) and last zxid. */
  record AckEpoch(long currentEpoch, long lastZxid) implements ZkMessage {}

  // ---- ZAB synchronization ----
  /** {@code DIFF}: the committed txns the follower lacks. */
  record Diff(List<Txn> txns) implements ZkMessage {
    public Diff {
      txns = List.copyOf(txns);
    }
  }

  /** {@code TRUNC}: drop every logged txn after {@code truncZxid}, then apply {@code txns}. */
  record Trunc(long truncZxid, List<Txn> txns) implements ZkMessage {
    public Trunc {
      txns = List.copyOf(txns);
    }
  }

  /** {@code SNAP}: the whole tree and session table as of {@code zxid}. */
  record Snap(long zxid, SnapshotStore.Snapshot snapshot) implements ZkMessage {
    @Override
    public String toString() {
      return "Snap[" + Txn.hex(zxid) + ", " + snapshot.tree().nodeCount() + " nodes, " + snapshot.sessions().size() + " sessions]";
    }
  }

  record NewLeader(long zxid) implements ZkMessage {}

  record UpToDate() implements ZkMessage {}

  // ---- ZAB broadcast ----
  record Proposal(Txn txn) implements ZkMessage {}

  /** {@code ACK} of a proposal, or of {@code NEWLEADER} (zxid = newEpoch << 32). */
  record Ack(long zxid) implements ZkMessage {
    @Override
    public String toString() {
      return "Ack[" + Txn.hex(zxid) + "]";
    }
  }

  record Commit(long zxid) implements ZkMessage {
    @Override
    public String toString() {
      return "Commit[" + Txn.hex(zxid) + "]";
    }
  }

  /** {@code INFORM}: a committed txn, for observers (which get no PROPOSAL and send no ACK). */
  record Inform(Txn txn) implements ZkMessage {}

  /** A write a follower forwards to the leader ({@code Learner.request}). */
  record Request(long sessionId, int cxid, Op op) implements ZkMessage {}

  /** Leader → follower every half tick; the reply carries the sessions the follower's clients touched. */
  record Ping(List<Long> touchedSessions) implements ZkMessage {
    public Ping {
      touchedSessions = List.copyOf(touchedSessions);
    }
  }

  record SyncRequest(long sessionId, int cxid) implements ZkMessage {}

  record SyncReply(long sessionId, int cxid, long zxid) implements ZkMessage {}

  // ---- client protocol ----
  /** {@code ConnectRequest}: a new session (id 0) or a reconnect, with the last zxid this client has seen. */
  record Connect(long sessionId, int timeoutMs, long lastZxidSeen) implements ZkMessage {}

  /** {@code ConnectResponse}: timeout 0 means the session has expired. */
  record Connected(long sessionId, int timeoutMs) implements ZkMessage {}

  /** The server closes the socket: not serving, or behind the client's last seen zxid. */
  record Refused(String reason) implements ZkMessage {}

  record ClientRequest(long sessionId, int xid, Op op) implements ZkMessage {}

  record ClientReply(int xid, long zxid, OpResult result) implements ZkMessage {}

  record WatcherEvent(EventType type, String path, long zxid) implements ZkMessage {}

  record ClientPing(long sessionId) implements ZkMessage {}

  /**
   * {@code SetWatches}, sent first after a reconnect: the watches the client still holds and the last zxid
   * it saw, so the new server can fire what it missed and re-register the rest.
   */
  record SetWatches(long sessionId, long relativeZxid, List<String> dataWatches, List<String> existWatches,
      List<String> childWatches) implements ZkMessage {
    public SetWatches {
      dataWatches = List.copyOf(dataWatches);
      existWatches = List.copyOf(existWatches);
      childWatches = List.copyOf(childWatches);
    }
  }

  record PingReply(long zxid) implements ZkMessage {}

  // ---- script driver → client ----
  /** Injected by a driver (script runner, workload): the client sends {@code op}. */
  record Submit(Op op) implements ZkMessage {}
}
