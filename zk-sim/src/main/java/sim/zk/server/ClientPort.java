package sim.zk.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 * per-session queues of {@code CommitProcessor}): which connection each session is attached to, requests
 * waiting their turn, reads served locally, writes handed to the leader, and the reply once the write's txn
 * is applied here ({@code FinalRequestProcessor}).
 */
final class ClientPort {
  private final ZkServer self;
  private final NodeContext ctx;
  private final ZkConfig cfg;
  /** Session → the client connection it is attached to here. */
  private final TreeMap<Long, Cnxn> connections = new TreeMap<>();
  private final TreeMap<Long, SessionQueue> queues = new TreeMap<>();
  private long nextSessionId;

  /** One client TCP connection ({@code ServerCnxn}): the client node and its connection number. */
  private record Cnxn(NodeId client, long id) {}

  /**
   * One session's requests in arrival order ({@code CommitProcessor}): the first {@code started} have been
   * handed on. Writes go to the leader as they come (the leader proposes them in order), while a read, or a
   * sync, waits until every earlier request of the session has completed here.
   */
  private static final class SessionQueue {
    final List<Pending> requests = new ArrayList<>();
    int started;

    Pending head() {
      return requests.isEmpty() ? null : requests.get(0);
    }

    Pending pollHead() {
      if (started > 0) started--;
      return requests.remove(0);
    }
  }

  /** A client request waiting its turn in its session's queue. */
  private record Pending(Cnxn cnxn, long sessionId, int xid, Op op, boolean connect, long waitZxid) {
    Pending waitingFor(long zxid) {
      return new Pending(cnxn, sessionId, xid, op, false, zxid);
    }
  }

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
    Cnxn cnxn = new Cnxn(client, c.cnxn());
    if (!self.isServing()) {
      ctx.send(client, new Refused(c.cnxn(), "ZooKeeperServer not running"));
      return;
    }
    long last = db().lastProcessedZxid();
    if (c.lastZxidSeen() > last && !self.breaks().acceptClientAhead()) {
      String why = "Refusing session request for client as it has seen zxid " + Txn.hex(c.lastZxidSeen()) + " our last zxid is " + Txn.hex(last) + " client must try another server";
      ctx.point("zk.session.refused", client + ": " + why, "client", client.name(), "session", sessionHex(c.sessionId()),
          "clientZxid", Txn.hex(c.lastZxidSeen()), "serverZxid", Txn.hex(last));
      ctx.send(client, new Refused(c.cnxn(), why));
      return;
    }
    int timeout = cfg.negotiateTimeout(c.timeoutMs());
    if (c.sessionId() != 0) {
      if (!db().hasSession(c.sessionId())) {
        ctx.send(client, new Connected(c.cnxn(), c.sessionId(), 0));
        return;
      }
      attach(c.sessionId(), cnxn);
      self.touch(c.sessionId());
      ctx.send(client, new Connected(c.cnxn(), c.sessionId(), db().sessionTimeoutMs(c.sessionId())));
      return;
    }
    long id = nextSessionId++;
    attach(id, cnxn);
    enqueue(new Pending(cnxn, id, 0, new Op.CreateSession(timeout), true, 0));
  }

  /** The session moves to this connection; watches it held on an earlier connection here are gone with it. */
  private void attach(long sessionId, Cnxn cnxn) {
    Cnxn before = connections.put(sessionId, cnxn);
    if (before != null && !before.equals(cnxn)) closed(sessionId);
  }

  /** Whether {@code cnxn} of {@code client} is where {@code sessionId} is attached. */
  private boolean attached(long sessionId, NodeId client, long cnxn) {
    return self.isServing() && new Cnxn(client, cnxn).equals(connections.get(sessionId));
  }

  void onClientRequest(NodeId client, ClientRequest r) {
    if (!attached(r.sessionId(), client, r.cnxn())) {
      ctx.send(client, new Refused(r.cnxn(), "session 0x" + Long.toHexString(r.sessionId()) + " is not connected here"));
      return;
    }
    self.touch(r.sessionId());
    enqueue(new Pending(connections.get(r.sessionId()), r.sessionId(), r.xid(), r.op(), false, 0));
  }

  void onClientPing(NodeId client, ClientPing p) {
    if (!attached(p.sessionId(), client, p.cnxn())) return;
    self.touch(p.sessionId());
    ctx.send(client, new PingReply(p.cnxn(), db().lastProcessedZxid()));
  }

  void onSetWatches(NodeId client, SetWatches w) {
    if (!attached(w.sessionId(), client, w.cnxn())) return;
    for (WatchEvent e : db().tree().setWatches(w.relativeZxid(), w.dataWatches(), w.existWatches(), w.childWatches(), w.sessionId())) {
      ctx.send(client, new WatcherEvent(w.cnxn(), e.type(), e.path(), e.zxid()));
    }
  }

  /** The client closed its connection (it moved on): {@code NIOServerCnxn.close}; the session lives on. */
  void onClientClose(NodeId client, ClientClose c) {
    if (!new Cnxn(client, c.cnxn()).equals(connections.get(c.sessionId()))) return;
    connections.remove(c.sessionId());
    closed(c.sessionId());
  }

  /** The client's process died (its connections were reset): close them; the sessions expire by timeout. */
  void onClientGone(NodeId client) {
    for (Map.Entry<Long, Cnxn> e : new ArrayList<>(connections.entrySet())) {
      if (!e.getValue().client().equals(client)) continue;
      connections.remove(e.getKey());
      closed(e.getKey());
    }
  }

  /** A connection is gone: its queued requests will get no reply here and its watches go ({@code removeCnxn}). */
  private void closed(long sessionId) {
    queues.remove(sessionId);
    db().tree().removeWatches(sessionId);
  }

  /** The server stops serving (LOOKING): every connection is closed. */
  void dropAll(String why) {
    List<Cnxn> open = new ArrayList<>(connections.values());
    open.sort(Comparator.comparing(Cnxn::client).thenComparingLong(Cnxn::id));
    for (Cnxn c : open) ctx.send(c.client(), new Refused(c.id(), why));
    connections.clear();
    queues.clear();
  }

  boolean isConnectedHere(long sessionId) {
    return connections.containsKey(sessionId);
  }

  // ==== request queues =========================================================================================

  private void enqueue(Pending p) {
    SessionQueue q = queues.computeIfAbsent(p.sessionId(), k -> new SessionQueue());
    q.requests.add(p);
    advance(q);
  }

  /** Hands on what may go now: the head whatever it is, and writes behind started writes. */
  private void advance(SessionQueue q) {
    while (q.started < q.requests.size()) {
      Pending next = q.requests.get(q.started);
      boolean atHead = q.started == 0;
      if (!atHead && (!next.op().isWrite() || !q.requests.get(q.started - 1).op().isWrite())) return;
      if (next.op() instanceof Op.Sync) {
        q.requests.set(0, next.waitingFor(Long.MAX_VALUE));
        q.started = 1;
        self.forwardSync(new SyncRequest(next.sessionId(), next.xid()));
        return;
      }
      if (!next.op().isWrite()) {
        q.pollHead();
        reply(next, db().lastProcessedZxid(), db().tree().read(next.op(), next.sessionId()));
        continue;
      }
      q.started++;
      self.forwardWrite(next.sessionId(), next.xid(), next.op());
    }
  }

  /** A sync whose zxid this server has applied is answered, and what waited behind it goes on. */
  private void serveQueues() {
    for (SessionQueue q : new ArrayList<>(queues.values())) {
      Pending head = q.head();
      if (head == null || !(head.op() instanceof Op.Sync) || head.waitZxid() < 0 || head.waitZxid() == Long.MAX_VALUE || head.waitZxid() > db().lastProcessedZxid()) continue;
      q.pollHead();
      reply(head, db().lastProcessedZxid(), new OpResult.Synced(head.op().path()));
      advance(q);
    }
  }

  /** The reply a client waits for, narrated for writes (the outcome of the write path) with its zxid. */
  private void reply(Pending p, long zxid, OpResult result) {
    if (p.op().isWrite() || p.op() instanceof Op.Sync) {
      String z = self.hex(zxid);
      String outcome = resultName(result);
      String path = p.op().path() == null ? "" : p.op().path();
      int version = result instanceof OpResult.StatOnly s && s.stat() != null ? s.stat().version() : -1;
      ctx.point("zk.client.reply", p.cnxn().client() + " xid " + p.xid() + ": " + p.op().verb() + " " + path + " → " + outcome + " at " + z
          + (version >= 0 ? " (version " + version + ")" : ""), "client", p.cnxn().client().name(), "session", sessionHex(p.sessionId()), "xid", p.xid(),
          "op", p.op().verb(), "path", path, "zxid", z, "result", outcome, "version", version);
    }
    ctx.send(p.cnxn().client(), new ClientReply(p.cnxn().id(), p.xid(), zxid, result));
  }

  private static String resultName(OpResult r) {
    return r instanceof OpResult.Failed f ? f.code().name() : "OK";
  }

  static String sessionHex(long sessionId) {
    return "0x" + Long.toHexString(sessionId);
  }

  /** The leader refused a write before proposing it (its session expired meanwhile). */
  void replyFailed(long sessionId, int cxid, KeeperCode code) {
    SessionQueue q = queues.get(sessionId);
    if (q == null || q.head() == null || q.head().xid() != cxid) return;
    reply(q.pollHead(), db().lastProcessedZxid(), OpResult.Failed.of(code));
    advance(q);
  }

  /** The leader's answer to a sync: the read behind it may go once this server has applied {@code zxid}. */
  void onSyncReply(SyncReply s) {
    SessionQueue q = queues.get(s.sessionId());
    if (q == null || q.head() == null || q.head().xid() != s.cxid()) return;
    q.requests.set(0, q.head().waitingFor(s.zxid()));
    serveQueues();
  }

  // ==== after a commit is applied ==============================================================================

  /** {@code FinalRequestProcessor}: fire watches, answer the client if it is connected here. */
  void applied(Txn t, DataTree.Applied a) {
    for (WatchEvent e : a.events()) {
      Cnxn c = connections.get(e.sessionId());
      if (c != null) ctx.send(c.client(), new WatcherEvent(c.id(), e.type(), e.path(), e.zxid()));
    }
    SessionQueue q = queues.get(t.sessionId());
    if (q != null && q.head() != null && q.head().op().isWrite() && q.head().xid() == t.cxid()) {
      Pending p = q.pollHead();
      if (p.connect()) ctx.send(p.cnxn().client(), new Connected(p.cnxn().id(), t.sessionId(), db().sessionTimeoutMs(t.sessionId())));
      else reply(p, t.zxid(), a.result());
      if (t.op() instanceof Op.CloseSession) {
        connections.remove(t.sessionId());
        queues.remove(t.sessionId());
      } else {
        advance(q);
      }
    } else if (t.op() instanceof Op.CloseSession) {
      Cnxn c = connections.remove(t.sessionId());
      queues.remove(t.sessionId());
      // expired under its feet: the server closes the connection; on reconnect the client learns it expired
      if (c != null) ctx.send(c.client(), new Refused(c.id(), "session 0x" + Long.toHexString(t.sessionId()) + " expired"));
    }
    serveQueues();
  }
}
