package sim.zk.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.zk.server.ZkMessage.*;
import sim.zk.tree.DataTree;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;
import sim.zk.tree.WatchEvent;

/**
 * The client port ({@code ServerCnxnFactory} with {@code ZooKeeperServer.processConnectRequest} and the
 * per-session queues of {@code CommitProcessor}): who is connected with which session, requests waiting
 * their turn, reads served locally, writes handed to the leader, and the reply once the write's txn is
 * applied here ({@code FinalRequestProcessor}).
 */
final class ClientPort {
  private final ZkServer self;
  private final NodeContext ctx;
  private final ZkConfig cfg;
  private final TreeMap<Long, NodeId> connections = new TreeMap<>();
  private final TreeMap<Long, ArrayDeque<Pending>> queues = new TreeMap<>();
  private long nextSessionId;

  /** A client request waiting its turn in its session's queue. */
  private record Pending(NodeId client, long sessionId, int xid, Op op, boolean connect, long waitZxid) {}

  ClientPort(ZkServer self) {
    this.self = self;
    this.ctx = self.ctx();
    this.cfg = self.cfg();
    // SessionTrackerImpl.initializeNextSessionId: the clock in the middle bits, the server id in the top byte
    this.nextSessionId = ((ZkServer.WALL_CLOCK_BASE_MS + ctx.localTimeMs()) << 24 >>> 8) | (self.myid() << 56);
  }

  private ZKDatabase db() {
    return self.db();
  }

  // ==== connections ============================================================================================

  /** {@code ZooKeeperServer.processConnectRequest}. */
  void onConnect(NodeId client, Connect c) {
    if (!self.isServing()) {
      ctx.send(client, new Refused("ZooKeeperServer not running"));
      return;
    }
    DataTree tree = db().tree();
    if (c.lastZxidSeen() > tree.lastProcessedZxid()) {
      String why = "Refusing session request for client as it has seen zxid " + Txn.hex(c.lastZxidSeen()) + " our last zxid is " + Txn.hex(tree.lastProcessedZxid()) + " client must try another server";
      ctx.point("zk.session.refused", client + ": " + why);
      ctx.send(client, new Refused(why));
      return;
    }
    int timeout = cfg.negotiateTimeout(c.timeoutMs());
    if (c.sessionId() != 0) {
      if (!db().hasSession(c.sessionId())) {
        ctx.send(client, new Connected(c.sessionId(), 0));
        return;
      }
      connections.put(c.sessionId(), client);
      self.touch(c.sessionId());
      ctx.send(client, new Connected(c.sessionId(), db().sessionTimeoutMs(c.sessionId())));
      return;
    }
    long id = nextSessionId++;
    connections.put(id, client);
    enqueue(new Pending(client, id, 0, new Op.CreateSession(timeout), true, 0));
  }

  void onClientRequest(NodeId client, ClientRequest r) {
    if (!self.isServing() || !client.equals(connections.get(r.sessionId()))) {
      ctx.send(client, new Refused("session 0x" + Long.toHexString(r.sessionId()) + " is not connected here"));
      return;
    }
    self.touch(r.sessionId());
    enqueue(new Pending(client, r.sessionId(), r.xid(), r.op(), false, 0));
  }

  void onClientPing(NodeId client, ClientPing p) {
    if (!self.isServing() || !client.equals(connections.get(p.sessionId()))) return;
    self.touch(p.sessionId());
    ctx.send(client, new PingReply(db().lastProcessedZxid()));
  }

  void onSetWatches(NodeId client, SetWatches w) {
    if (!self.isServing() || !client.equals(connections.get(w.sessionId()))) return;
    for (WatchEvent e : db().tree().setWatches(w.relativeZxid(), w.dataWatches(), w.existWatches(), w.childWatches(), w.sessionId())) {
      ctx.send(client, new WatcherEvent(e.type(), e.path(), e.zxid()));
    }
  }

  /** The server stops serving (LOOKING): every connection is closed. */
  void dropAll(String why) {
    for (NodeId client : new TreeSet<>(connections.values())) ctx.send(client, new Refused(why));
    connections.clear();
    queues.clear();
  }

  boolean isConnectedHere(long sessionId) {
    return connections.containsKey(sessionId);
  }

  // ==== request queues =========================================================================================

  private void enqueue(Pending p) {
    ArrayDeque<Pending> q = queues.computeIfAbsent(p.sessionId(), k -> new ArrayDeque<>());
    q.add(p);
    if (q.size() == 1) startHead(p);
  }

  /** Requests of one session are served in order; a read waits for the session's earlier writes. */
  private void serveQueues() {
    for (Map.Entry<Long, ArrayDeque<Pending>> e : new ArrayList<>(queues.entrySet())) {
      ArrayDeque<Pending> q = e.getValue();
      while (!q.isEmpty()) {
        Pending head = q.peek();
        if (head.op() instanceof Op.Sync && head.waitZxid() >= 0 && head.waitZxid() <= db().lastProcessedZxid() && head.waitZxid() != Long.MAX_VALUE) {
          q.poll();
          ctx.send(head.client(), new ClientReply(head.xid(), db().lastProcessedZxid(), new OpResult.Synced(head.op().path())));
          if (!q.isEmpty()) startHead(q.peek());
          continue;
        }
        break;
      }
    }
  }

  private void startHead(Pending p) {
    ArrayDeque<Pending> q = queues.get(p.sessionId());
    if (p.op() instanceof Op.Sync) {
      q.poll();
      q.addFirst(new Pending(p.client(), p.sessionId(), p.xid(), p.op(), false, Long.MAX_VALUE));
      self.forwardSync(new SyncRequest(p.sessionId(), p.xid()));
      return;
    }
    if (!p.op().isWrite()) {
      q.poll();
      ctx.send(p.client(), new ClientReply(p.xid(), db().lastProcessedZxid(), db().tree().read(p.op(), p.sessionId())));
      if (!q.isEmpty()) startHead(q.peek());
      return;
    }
    self.forwardWrite(p.sessionId(), p.xid(), p.op());
  }

  /** The leader refused a write before proposing it (its session expired meanwhile). */
  void replyFailed(long sessionId, int cxid, KeeperCode code) {
    ArrayDeque<Pending> q = queues.get(sessionId);
    if (q == null || q.isEmpty() || q.peek().xid() != cxid) return;
    Pending p = q.poll();
    ctx.send(p.client(), new ClientReply(p.xid(), db().lastProcessedZxid(), OpResult.Failed.of(code)));
  }

  /** The leader's answer to a sync: the read behind it may go once this server has applied {@code zxid}. */
  void onSyncReply(SyncReply s) {
    ArrayDeque<Pending> q = queues.get(s.sessionId());
    if (q == null || q.isEmpty() || q.peek().xid() != s.cxid()) return;
    Pending p = q.poll();
    q.addFirst(new Pending(p.client(), p.sessionId(), p.xid(), p.op(), false, s.zxid()));
    serveQueues();
  }

  // ==== after a commit is applied ==============================================================================

  /** {@code FinalRequestProcessor}: fire watches, answer the client if it is connected here. */
  void applied(Txn t, DataTree.Applied a) {
    for (WatchEvent e : a.events()) {
      NodeId client = connections.get(e.sessionId());
      if (client != null) ctx.send(client, new WatcherEvent(e.type(), e.path(), e.zxid()));
    }
    ArrayDeque<Pending> q = queues.get(t.sessionId());
    if (q != null && !q.isEmpty() && q.peek().op().isWrite() && q.peek().xid() == t.cxid()) {
      Pending p = q.poll();
      if (p.connect()) ctx.send(p.client(), new Connected(t.sessionId(), db().sessionTimeoutMs(t.sessionId())));
      else ctx.send(p.client(), new ClientReply(p.xid(), t.zxid(), a.result()));
      if (t.op() instanceof Op.CloseSession) {
        connections.remove(t.sessionId());
        queues.remove(t.sessionId());
      }
    } else if (t.op() instanceof Op.CloseSession) {
      NodeId client = connections.remove(t.sessionId());
      queues.remove(t.sessionId());
      // expired under its feet: the server closes the connection; on reconnect the client learns it expired
      if (client != null) ctx.send(client, new Refused("session 0x" + Long.toHexString(t.sessionId()) + " expired"));
    }
    serveQueues();
  }
}
