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
  record FollowerInfo(long acceptedEpoch, long lastZxid) implements ZkMessage {
    @Override
    public String toString() {
      return "FollowerInfo[acceptedEpoch " + acceptedEpoch + ", lastZxid " + Txn.hex(lastZxid) + "]";
    }
  }

  record LeaderInfo(long newEpoch) implements ZkMessage {
    @Override
    public String toString() {
      return "LeaderInfo[newEpoch " + newEpoch + "]";
    }
  }

  /** {@code ACKEPOCH}: the follower's currentEpoch (-1 when it had already accepted this epoch) and last zxid. */
  record AckEpoch(long currentEpoch, long lastZxid) implements ZkMessage {
    @Override
    public String toString() {
      return "AckEpoch[currentEpoch " + currentEpoch + ", lastZxid " + Txn.hex(lastZxid) + "]";
    }
  }

  // ---- ZAB synchronization ----
  /** {@code DIFF}: the committed txns the follower lacks. */
  record Diff(List<Txn> txns) implements ZkMessage {
    public Diff {
      txns = List.copyOf(txns);
    }

    @Override
    public String toString() {
      return "Diff[" + txns.size() + " txns" + (txns.isEmpty() ? "" : " " + Txn.hex(txns.get(0).zxid()) + ".." + Txn.hex(txns.get(txns.size() - 1).zxid())) + "]";
    }
  }

  /** {@code TRUNC}: drop every logged txn after {@code truncZxid}, then apply {@code txns}. */
  record Trunc(long truncZxid, List<Txn> txns) implements ZkMessage {
    public Trunc {
      txns = List.copyOf(txns);
    }

    @Override
    public String toString() {
      return "Trunc[to " + Txn.hex(truncZxid) + ", then " + txns.size() + " txns]";
    }
  }

  /** {@code SNAP}: the whole tree and session table as of {@code zxid}. */
  record Snap(long zxid, SnapshotStore.Snapshot snapshot) implements ZkMessage {
    @Override
    public String toString() {
      return "Snap[" + Txn.hex(zxid) + ", " + snapshot.tree().nodeCount() + " nodes, " + snapshot.sessions().size() + " sessions]";
    }
  }

  record NewLeader(long zxid) implements ZkMessage {
    @Override
    public String toString() {
      return "NewLeader[" + Txn.hex(zxid) + "]";
    }
  }

  record UpToDate() implements ZkMessage {
    @Override
    public String toString() {
      return "UpToDate";
    }
  }

  // ---- ZAB broadcast ----
  /** {@code words} is its text, built once: the leader sends one Proposal object to every follower. */
  record Proposal(Txn txn, String words) implements ZkMessage {
    Proposal(Txn txn) {
      this(txn, "Proposal[" + txn + "]");
    }

    @Override
    public String toString() {
      return words;
    }
  }

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
  record Inform(Txn txn) implements ZkMessage {
    @Override
    public String toString() {
      return "Inform[" + txn + "]";
    }
  }

  /** A write a follower forwards to the leader ({@code Learner.request}). */
  record Request(long sessionId, int cxid, Op op) implements ZkMessage {
    @Override
    public String toString() {
      return "Request[session 0x" + Long.toHexString(sessionId) + ", cxid " + cxid + ": " + op + "]";
    }
  }

  /** Leader → follower every half tick; the reply carries the sessions the follower's clients touched. */
  record Ping(List<Long> touchedSessions) implements ZkMessage {
    public Ping {
      touchedSessions = List.copyOf(touchedSessions);
    }

    @Override
    public String toString() {
      if (touchedSessions.isEmpty()) return "Ping";
      StringBuilder b = new StringBuilder("Ping[touched");
      for (long s : touchedSessions) b.append(" 0x").append(Long.toHexString(s));
      return b.append(']').toString();
    }
  }

  record SyncRequest(long sessionId, int cxid) implements ZkMessage {
    @Override
    public String toString() {
      return "SyncRequest[session 0x" + Long.toHexString(sessionId) + ", cxid " + cxid + "]";
    }
  }

  record SyncReply(long sessionId, int cxid, long zxid) implements ZkMessage {
    @Override
    public String toString() {
      return "SyncReply[session 0x" + Long.toHexString(sessionId) + ", cxid " + cxid + ", zxid " + Txn.hex(zxid) + "]";
    }
  }

  /**
   * The leader or a learner closed the connection between them (TCP FIN after the last packet): the learner
   * goes LOOKING, the leader drops its {@code LearnerHandler}. Lost in a partition like any packet.
   */
  record Disconnect(String reason) implements ZkMessage {
    @Override
    public String toString() {
      return "Disconnect[" + reason + "]";
    }
  }

  // ---- client protocol ----
  /**
   * A packet on one client connection. {@code cnxn} numbers the TCP connections a client opens, so a
   * packet of a connection the client has closed is never taken for one of its current connection.
   */
  sealed interface OnConnection extends ZkMessage {
    long cnxn();
  }

  /** {@code ConnectRequest}: a new session (id 0) or a reconnect, with the last zxid this client has seen. */
  record Connect(long cnxn, long sessionId, int timeoutMs, long lastZxidSeen) implements OnConnection {
    @Override
    public String toString() {
      return "Connect[cnxn " + cnxn + ", session 0x" + Long.toHexString(sessionId) + ", timeout " + timeoutMs + "ms, lastZxidSeen " + Txn.hex(lastZxidSeen) + "]";
    }
  }

  /** {@code ConnectResponse}: timeout 0 means the session has expired. */
  record Connected(long cnxn, long sessionId, int timeoutMs) implements OnConnection {
    @Override
    public String toString() {
      return "Connected[cnxn " + cnxn + ", session 0x" + Long.toHexString(sessionId) + ", timeout " + timeoutMs + "ms]";
    }
  }

  /** The server closes the connection: not serving, behind the client's last seen zxid, or LOOKING. */
  record Refused(long cnxn, String reason) implements OnConnection {
    @Override
    public String toString() {
      return "Refused[cnxn " + cnxn + ": " + reason + "]";
    }
  }

  record ClientRequest(long cnxn, long sessionId, int xid, Op op) implements OnConnection {
    @Override
    public String toString() {
      return "ClientRequest[cnxn " + cnxn + ", session 0x" + Long.toHexString(sessionId) + ", xid " + xid + ", " + op + "]";
    }
  }

  record ClientReply(long cnxn, int xid, long zxid, OpResult result) implements OnConnection {
    @Override
    public String toString() {
      return "ClientReply[cnxn " + cnxn + ", xid " + xid + ", zxid " + Txn.hex(zxid) + ", " + result + "]";
    }
  }

  record WatcherEvent(long cnxn, EventType type, String path, long zxid) implements OnConnection {
    @Override
    public String toString() {
      return "WatcherEvent[cnxn " + cnxn + ", " + type + " " + path + ", zxid " + Txn.hex(zxid) + "]";
    }
  }

  record ClientPing(long cnxn, long sessionId) implements OnConnection {
    @Override
    public String toString() {
      return "ClientPing[cnxn " + cnxn + ", session 0x" + Long.toHexString(sessionId) + "]";
    }
  }

  record PingReply(long cnxn, long zxid) implements OnConnection {
    @Override
    public String toString() {
      return "PingReply[cnxn " + cnxn + ", zxid " + Txn.hex(zxid) + "]";
    }
  }

  /**
   * {@code SetWatches}, sent first after a reconnect: the watches the client still holds and the last zxid
   * it saw, so the new server can fire what it missed and re-register the rest.
   */
  record SetWatches(long cnxn, long sessionId, long relativeZxid, List<String> dataWatches, List<String> existWatches,
      List<String> childWatches) implements OnConnection {
    public SetWatches {
      dataWatches = List.copyOf(dataWatches);
      existWatches = List.copyOf(existWatches);
      childWatches = List.copyOf(childWatches);
    }
  }

  /** The client closed this connection (it moves to another server); its session lives on. */
  record ClientClose(long cnxn, long sessionId) implements OnConnection {
    @Override
    public String toString() {
      return "ClientClose[cnxn " + cnxn + ", session 0x" + Long.toHexString(sessionId) + "]";
    }
  }

  // ---- script driver → client ----
  /** Injected by a driver (script runner, workload): the client sends {@code op}. */
  record Submit(Op op) implements ZkMessage {
    @Override
    public String toString() {
      return "Submit[" + op + "]";
    }
  }
}
