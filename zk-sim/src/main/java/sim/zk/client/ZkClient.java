package sim.zk.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.zk.server.ZkMessage.*;
import sim.zk.server.ZkTimer.ClientTick;
import sim.zk.server.ZkTimer.Reconnect;
import sim.zk.tree.EventType;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;

/**
 * A ZooKeeper client ({@code ClientCnxn}): one session, one server at a time from its connect string.
 * Pings when it has sent nothing for a third of the session timeout ({@code readTimeout / 2}), gives up on
 * a silent server after two thirds ({@code readTimeout}, checked every sixth), then reconnects to the next server with its session id and the last zxid it has
 * seen, so a server that is behind refuses it. Operations arrive as {@link Submit} messages from a driver.
 */
public final class ZkClient implements Node {
  /** A completed operation as the application saw it. */
  public record Completed(Op op, OpResult result, long zxid, long submittedNanos, long atNanos) {}

  /** An operation the application handed over, and when (client clock). */
  public record Submitted(Op op, long atNanos) {}

  /** A watch event as the default watcher saw it. */
  public record Event(EventType type, String path, long atNanos) {}

  public enum State { CONNECTING, CONNECTED, CLOSED, EXPIRED }

  private final List<NodeId> servers;
  private final int requestedTimeoutMs;
  private NodeContext ctx;
  private int serverIndex;
  private State state = State.CLOSED;
  private long sessionId;
  private int timeoutMs;
  private long lastZxidSeen;
  private int xid;
  /** The TCP connection in use: every packet carries it, so packets of an earlier connection are ignored. */
  private long cnxn;
  /** Bumped whenever the tick chain restarts; older ticks are stale. */
  private long tickGeneration;
  private long lastHeardNanos;
  private long lastSentNanos;
  private final TreeMap<Integer, Submitted> inFlight = new TreeMap<>();
  private final TreeMap<Integer, Long> sentAtNanos = new TreeMap<>();
  private final ArrayDeque<Submitted> waiting = new ArrayDeque<>();
  private final List<Completed> completed = new ArrayList<>();
  private final List<Event> events = new ArrayList<>();
  private final List<Long> sessionsOwned = new ArrayList<>();
  /** {@code ZKWatchManager}: the watches this client holds, re-sent with SetWatches after a reconnect. */
  private final TreeSet<String> dataWatches = new TreeSet<>();
  private final TreeSet<String> existWatches = new TreeSet<>();
  private final TreeSet<String> childWatches = new TreeSet<>();
  private String monotonicViolation;

  public ZkClient(List<NodeId> servers, int firstServer, int requestedTimeoutMs) {
    this.servers = List.copyOf(servers);
    this.serverIndex = firstServer % servers.size();
    this.requestedTimeoutMs = requestedTimeoutMs;
  }

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message m) {
    if (m instanceof Submit s) onSubmit(s.op());
    else if (!(m instanceof OnConnection packet) || !from.equals(current()) || packet.cnxn() != cnxn) return; // a closed connection's leftovers
    else if (m instanceof Connected c) onConnected(c);
    else if (m instanceof Refused r) onRefused(r);
    else if (m instanceof ClientReply r) onReply(r);
    else if (m instanceof WatcherEvent w) onWatch(w);
    else if (m instanceof PingReply p) heard(p.zxid());
  }

  @Override
  public void onTimer(NodeContext ctx, Timer t) {
    if (t instanceof ClientTick k && k.generation() == tickGeneration) onClientTick();
    else if (t instanceof Reconnect && state == State.CONNECTING) connect();
  }

  private NodeId current() {
    return servers.get(serverIndex);
  }

  private void onSubmit(Op op) {
    if (state == State.CLOSED || state == State.EXPIRED) {
      // A fresh session, as a new ZooKeeper handle would open.
      state = State.CONNECTING;
      sessionId = 0;
      connect();
    }
    waiting.add(new Submitted(op, ctx.localTimeNanos()));
    if (state == State.CONNECTED) sendWaiting();
  }

  private void connect() {
    tickGeneration++;
    cnxn++;
    ctx.send(current(), new Connect(cnxn, sessionId, requestedTimeoutMs, lastZxidSeen));
    long connectTimeout = Durations.millis(Math.max(1, (timeoutMs == 0 ? requestedTimeoutMs : timeoutMs) / servers.size()));
    ctx.setTimer(new ClientTick(tickGeneration), connectTimeout);
    lastHeardNanos = ctx.localTimeNanos();
  }

  private void onConnected(Connected c) {
    if (state != State.CONNECTING) return;
    if (c.timeoutMs() == 0) {
      state = State.EXPIRED;
      clearWatches();
      ctx.note("session 0x" + Long.toHexString(c.sessionId()) + " expired");
      failAll(KeeperCode.SESSIONEXPIRED);
      return;
    }
    boolean reconnect = sessionId != 0;
    if (!reconnect) sessionsOwned.add(c.sessionId());
    sessionId = c.sessionId();
    timeoutMs = c.timeoutMs();
    state = State.CONNECTED;
    heard(0);
    tickGeneration++;
    ctx.setTimer(new ClientTick(tickGeneration), Durations.millis(timeoutMs / 6));
    if (reconnect && !(dataWatches.isEmpty() && existWatches.isEmpty() && childWatches.isEmpty())) {
      ctx.send(current(), new SetWatches(cnxn, sessionId, lastZxidSeen, new ArrayList<>(dataWatches), new ArrayList<>(existWatches), new ArrayList<>(childWatches)));
    }
    sendWaiting();
  }

  private void onRefused(Refused r) {
    if (state != State.CONNECTED && state != State.CONNECTING) return;
    disconnect("refused by " + current() + ": " + r.reason(), false); // the server closed it
  }

  /** The server's process died: TCP resets the connection, so the client moves on at once. */
  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (!peer.equals(current()) || state != State.CONNECTED && state != State.CONNECTING) return;
    disconnect("connection to " + peer + " reset: its process died", false);
  }

  /** Connection lost: in-flight requests fail with CONNECTIONLOSS; try the next server shortly. */
  private void disconnect(String why) {
    disconnect(why, true);
  }

  /** {@code closeIt}: the client closes its end (not when the server's end is already gone). */
  private void disconnect(String why, boolean closeIt) {
    ctx.note("disconnected: " + why);
    if (closeIt && sessionId != 0) ctx.send(current(), new ClientClose(cnxn, sessionId));
    for (Submitted op : inFlight.values()) complete(op, OpResult.Failed.of(KeeperCode.CONNECTIONLOSS), lastZxidSeen);
    inFlight.clear();
    sentAtNanos.clear();
    state = State.CONNECTING;
    serverIndex = (serverIndex + 1) % servers.size();
    tickGeneration++;
    ctx.setTimer(new Reconnect(), Durations.millis(100 + ctx.random("reconnect").nextInt(900)));
  }

  private void sendWaiting() {
    while (!waiting.isEmpty()) {
      Submitted op = waiting.poll();
      int x = ++xid;
      inFlight.put(x, op);
      sentAtNanos.put(x, ctx.localTimeNanos());
      ctx.send(current(), new ClientRequest(cnxn, sessionId, x, op.op()));
      lastSentNanos = ctx.localTimeNanos();
    }
  }

  private void onReply(ClientReply r) {
    Submitted sub = inFlight.remove(r.xid());
    sentAtNanos.remove(r.xid());
    if (sub == null) return;
    Op op = sub.op();
    heard(r.zxid());
    registerWatch(op, r.result());
    complete(sub, r.result(), r.zxid());
    if (op instanceof Op.CloseSession) {
      clearWatches();
      state = State.CLOSED;
      tickGeneration++;
    }
  }

  private void complete(Submitted op, OpResult result, long zxid) {
    completed.add(new Completed(op.op(), result, zxid, op.atNanos(), ctx.localTimeNanos()));
  }

  private void clearWatches() {
    dataWatches.clear();
    existWatches.clear();
    childWatches.clear();
  }

  /** {@code WatchRegistration}: a watch counts only once the read that set it has succeeded. */
  private void registerWatch(Op op, OpResult result) {
    if (op instanceof Op.GetData g && g.watch() && result instanceof OpResult.Data) dataWatches.add(g.path());
    if (op instanceof Op.GetChildren g && g.watch() && result instanceof OpResult.Children) childWatches.add(g.path());
    if (op instanceof Op.Exists e && e.watch() && result instanceof OpResult.StatOnly s) {
      if (s.stat() != null) dataWatches.add(e.path()); else existWatches.add(e.path());
    }
  }

  private void onWatch(WatcherEvent w) {
    // ZKWatchManager.materialize: the event consumes the watches it fires
    switch (w.type()) {
      case NodeDataChanged, NodeCreated -> {
        dataWatches.remove(w.path());
        existWatches.remove(w.path());
      }
      case NodeChildrenChanged -> childWatches.remove(w.path());
      case NodeDeleted -> {
        dataWatches.remove(w.path());
        existWatches.remove(w.path());
        childWatches.remove(w.path());
      }
    }
    heard(w.zxid());
    events.add(new Event(w.type(), w.path(), ctx.localTimeNanos()));
  }

  private void heard(long zxid) {
    lastHeardNanos = ctx.localTimeNanos();
    if (zxid != 0 && zxid < lastZxidSeen && monotonicViolation == null) {
      monotonicViolation = "client " + ctx.self() + " saw zxid " + Txn.hex(zxid) + " after " + Txn.hex(lastZxidSeen);
    }
    lastZxidSeen = Math.max(lastZxidSeen, zxid);
  }

  private void onClientTick() {
    long now = ctx.localTimeNanos();
    if (state == State.CONNECTING) {
      disconnect("no answer from " + current() + " within the connect timeout");
      return;
    }
    if (state != State.CONNECTED) return;
    if (now - lastHeardNanos > Durations.millis(timeoutMs * 2L / 3)) {
      disconnect("no answer from " + current() + " for " + Durations.format(now - lastHeardNanos));
      return;
    }
    if (!sentAtNanos.isEmpty() && now - sentAtNanos.firstEntry().getValue() > Durations.millis(timeoutMs * 2L / 3)) {
      // The model's links lose messages where TCP would have broken the connection: treat it as one.
      disconnect("no reply to xid " + sentAtNanos.firstKey() + " from " + current() + " within the read timeout");
      return;
    }
    if (now - lastSentNanos >= Durations.millis(timeoutMs / 3)) {
      ctx.send(current(), new ClientPing(cnxn, sessionId));
      lastSentNanos = now;
    }
    ctx.setTimer(new ClientTick(tickGeneration), Durations.millis(timeoutMs / 6));
  }

  private void failAll(KeeperCode code) {
    for (Submitted op : inFlight.values()) complete(op, OpResult.Failed.of(code), lastZxidSeen);
    for (Submitted op : waiting) complete(op, OpResult.Failed.of(code), lastZxidSeen);
    inFlight.clear();
    sentAtNanos.clear();
    waiting.clear();
  }

  // ---- what drivers and checkers read ----

  /** The server this client is connected (or connecting) to. */
  public NodeId server() {
    return current();
  }

  public State state() {
    return state;
  }

  public long sessionId() {
    return sessionId;
  }

  /** The number of the TCP connection in use (1 for the first). */
  public long connectionNumber() {
    return cnxn;
  }

  public long lastZxidSeen() {
    return lastZxidSeen;
  }

  public List<Completed> completed() {
    return completed;
  }

  public List<Event> events() {
    return events;
  }

  /** Operations handed over and not completed yet (sent or waiting): their outcome is unknown. */
  public List<Submitted> open() {
    List<Submitted> out = new ArrayList<>(inFlight.values());
    out.addAll(waiting);
    return out;
  }

  public int outstanding() {
    return inFlight.size() + waiting.size();
  }

  public List<Long> sessionsOwned() {
    return sessionsOwned;
  }

  /** Null while every reply's zxid is at or after the last one this client saw. */
  public String monotonicViolation() {
    return monotonicViolation;
  }

  @Override
  public String describeState() {
    return state + " to " + current() + ", session 0x" + Long.toHexString(sessionId) + ", timeout " + timeoutMs + "ms, last zxid seen " + Txn.hex(lastZxidSeen)
        + ", in flight " + inFlight.size() + ", completed " + completed.size() + ", events " + events.size();
  }
}
