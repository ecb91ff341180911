package sim.redis.sentinel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.redis.node.RedisMessage;

/**
 * A redis-server started with --sentinel, on the simulation kernel: sentinelTimer every 1000/hz ms with hz
 * re-drawn at each tick between 10 and 19 (sentinel.c desynchronizes sentinels this way), PING and INFO to
 * the master and its slaves, is-master-down-by-addr to the other sentinels, the failover, hellos. Its
 * sentinel.conf (myid, current-epoch, config-epoch, leader-epoch, known replicas) is rewritten and fsynced
 * through the kernel's durability door whenever sentinelFlushConfig would run, and nothing the event produced
 * (a vote's reply included) leaves before the fsync returned.
 */
public final class SentinelNode implements Node {
  static final String CONF = "sentinel.conf";
  private static final String TMP = "sentinel.conf.tmp";

  private record Cron() implements Timer {}

  private record ConfFsynced() implements Timer {}

  /** What a request we sent was: PING or INFO to a server, a question to a sentinel, fire-and-forget. */
  private record Pending(String kind, String target) {}

  private final Supplier<SentinelConfig> config;
  private NodeContext ctx;
  private SentinelConfig cfg;
  private String myId;
  private long currentEpoch;
  private Monitor monitor;
  private Failover failover;
  private long nextId;
  private final TreeMap<Long, Pending> pending = new TreeMap<>();
  private final List<Object[]> outbox = new ArrayList<>();
  private boolean flushWanted;
  private boolean inFsync;
  private long lastHello;
  private boolean voteTwice;
  private boolean slaveofWithoutRewrite;

  public SentinelNode(Supplier<SentinelConfig> config) {
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
    this.cfg = config.get();
    this.voteTwice = ctx.isBroken(SentinelBreaks.VOTE_TWICE_PER_EPOCH); // consulted at start, as --break requires
    this.slaveofWithoutRewrite = ctx.isBroken(SentinelBreaks.SLAVEOF_WITHOUT_CONFIG_REWRITE);
    String host = cfg.masterHost;
    int port = cfg.masterPort;
    long configEpoch = 0;
    long leaderEpoch = 0;
    List<String[]> known = new ArrayList<>();
    if (ctx.disk().exists(CONF)) {
      for (String line : new String(ctx.disk().readAll(CONF), StandardCharsets.UTF_8).split("\n")) {
        String[] w = line.trim().split(" ");
        if (w.length < 3 || !w[0].equals("sentinel")) continue;
        switch (w[1]) {
          case "myid" -> myId = w[2];
          case "monitor" -> {
            host = w[3];
            port = Integer.parseInt(w[4]);
          }
          case "current-epoch" -> currentEpoch = Long.parseLong(w[2]);
          case "config-epoch" -> configEpoch = Long.parseLong(w[3]);
          case "leader-epoch" -> leaderEpoch = Long.parseLong(w[3]);
          case "known-replica" -> known.add(new String[] {w[3], w[4]});
          default -> { }
        }
      }
    }
    boolean fresh = myId == null;
    if (fresh) for (String r : cfg.knownReplicas) known.add(new String[] {r, "6379"});
    if (fresh) myId = newRunId();
    monitor = new Monitor(cfg, host(), host, port);
    monitor.configEpoch = configEpoch;
    monitor.leaderEpoch = leaderEpoch;
    for (String[] k : known) monitor.slaves.put(k[0] + ":" + k[1], new Instance(k[0], Integer.parseInt(k[1]), now()));
    failover = new Failover(monitor);
    ctx.point("redis.sentinel.start", "Sentinel ID is " + myId + ", monitoring " + monitor.masterDetail() + " quorum " + cfg.quorum
        + ", current-epoch " + currentEpoch, "myid", myId, "epoch", currentEpoch);
    if (fresh) { // sentinelIsRunning: the generated myid is written at once
      writeConf();
      ctx.disk().fsync(TMP);
      ctx.disk().rename(TMP, CONF);
    }
    ctx.setTimer(new Cron(), 100_000_000L);
  }

  /** mstime(): a unix-epoch clock, so "never" (0) is long ago, as in Redis. */
  private long now() {
    return sim.redis.node.RedisNode.EPOCH_MS + ctx.localTimeMs();
  }

  private String newRunId() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 40; i++) sb.append("0123456789abcdef".charAt(ctx.random("sentinel").nextInt(16)));
    return sb.toString();
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof ConfFsynced) {
      ctx.disk().rename(TMP, CONF);
      inFsync = false;
      sendOutbox();
      return;
    }
    if (!(timer instanceof Cron)) return;
    sentinelTimer();
    int hz = 10 + ctx.random("hz").nextInt(10); // sentinelTimer: server.hz = CONFIG_DEFAULT_HZ + rand() % CONFIG_DEFAULT_HZ
    ctx.setTimer(timer, 1_000_000_000L / hz);
    endEvent();
  }

  /** sentinelHandleDictOfRedisInstances for our one master: the master, then its slaves, then the switch. */
  private void sentinelTimer() {
    Monitor m = monitor;
    periodic(m.master, true);
    m.checkSubjectivelyDown(m.master, true);
    m.checkObjectivelyDown();
    if (failover.startIfNeeded()) m.askOtherSentinels(true);
    failover.step();
    m.askOtherSentinels(false);
    for (Instance s : List.copyOf(m.slaves.values())) {
      periodic(s, false);
      m.checkSubjectivelyDown(s, false);
    }
    if (now() - lastHello > Failover.PUBLISH_PERIOD) helloNow();
    if (m.failoverState == Failover.UPDATE_CONFIG) failover.switchToPromoted();
  }

  /** sentinelSendPeriodicCommands: INFO every 10 s (1 s for slaves during a failover), PING every second. */
  private void periodic(Instance ri, boolean isMaster) {
    long now = now();
    long infoPeriod = Failover.INFO_PERIOD;
    if (!isMaster && (monitor.odown || monitor.failoverInProgress || ri.masterLinkDownTime != 0)) infoPeriod = 1000;
    long ping = monitor.pingPeriod();
    // Redis resends INFO at every tick until one answers; a lost answer here is resent after a ping period
    if ((ri.infoRefresh == 0 || now - ri.infoRefresh > infoPeriod) && now - ri.lastInfoSent > Math.min(infoPeriod, ping)) {
      ri.lastInfoSent = now;
      request(NodeId.of(ri.host), List.of("INFO"), "info", ri.host + ":" + ri.port);
    }
    boolean justConnected = ri.lastPingTime == 0; // sentinelReconnectInstance pings a new link at once
    if (justConnected || (now - ri.lastPongTime > ping && now - ri.lastPingTime > ping / 2)) {
      if (ri.actPingTime == 0) ri.actPingTime = now;
      ri.lastPingTime = now;
      request(NodeId.of(ri.host), List.of("PING"), "ping", ri.host + ":" + ri.port);
    }
  }

  private void request(NodeId to, List<String> argv, String kind, String target) {
    long id = nextId++;
    pending.put(id, new Pending(kind, target));
    if (pending.size() > 10_000) pending.pollFirstEntry(); // answers that never came (a partition)
    outbox.add(new Object[] {to, new RedisMessage.Request(id, argv)});
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (message instanceof RedisMessage.Reply r) {
      onReply(r);
    } else if (message instanceof RedisMessage.Request req) {
      outbox.add(new Object[] {from, new RedisMessage.Reply(req.id(), SentinelCommands.execute(monitor, req.argv()))});
    } else if (message instanceof SentinelHello h) {
      Hello.process(monitor, h.payload(), from);
    }
    endEvent();
  }

  private void onReply(RedisMessage.Reply r) {
    Pending p = pending.remove(r.id());
    if (p == null) return;
    String resp = r.resp();
    if (p.kind().equals("ask")) {
      PeerSentinel peer = monitor.sentinels.get(p.target());
      List<String> a = Resp.array(resp);
      if (peer != null && a != null && a.size() == 3) monitor.onIsMasterDownReply(peer, Long.parseLong(a.get(0)), a.get(1), Long.parseLong(a.get(2)));
      return;
    }
    Instance ri = instance(p.target());
    if (ri == null) return;
    long now = now();
    if (p.kind().equals("ping")) { // sentinelPingReplyCallback
      if (resp.startsWith("+PONG") || resp.startsWith("-LOADING") || resp.startsWith("-MASTERDOWN")) {
        ri.lastAvailTime = now;
        ri.actPingTime = 0;
      }
      ri.lastPongTime = now;
    } else if (p.kind().equals("info") && resp.startsWith("$")) {
      InfoRefresh.refresh(monitor, ri, ri == monitor.master, Resp.bulk(resp));
    }
  }

  private Instance instance(String key) {
    if ((monitor.master.host + ":" + monitor.master.port).equals(key)) return monitor.master;
    return monitor.slaves.get(key);
  }

  /**
   * sentinelSendSlaveOf: in one transaction, SLAVEOF host port (NO ONE to promote), CONFIG REWRITE so the role
   * survives a restart of the server, and CLIENT KILL TYPE normal / pubsub so its clients reconnect and ask the
   * sentinels again; sent as one pipeline, replies discarded (the next INFO shows the effect).
   */
  private void sendSlaveOf(Instance target, String host, int port) {
    List<String> slaveof = host == null ? List.of("SLAVEOF", "NO", "ONE") : List.of("SLAVEOF", host, Integer.toString(port));
    List<List<String>> commands = slaveofWithoutRewrite
        ? List.of(slaveof) // --break: the old way, the server's redis.conf still says what it was started with
        : List.of(List.of("MULTI"), slaveof, List.of("CONFIG", "REWRITE"), List.of("CLIENT", "KILL", "TYPE", "normal"),
            List.of("CLIENT", "KILL", "TYPE", "pubsub"), List.of("EXEC"));
    List<RedisMessage.Request> pipeline = new ArrayList<>();
    for (List<String> argv : commands) pipeline.add(new RedisMessage.Request(nextId++, argv));
    StringBuilder shown = new StringBuilder();
    for (List<String> argv : commands) shown.append(shown.length() == 0 ? "" : "; ").append(String.join(" ", argv));
    ctx.point("redis.sentinel.slaveof", shown + " to " + target.host + ":" + target.port, "target", target.host, "master",
        host == null ? "NO ONE" : host + ":" + port, "rewrite", !slaveofWithoutRewrite);
    outbox.add(new Object[] {NodeId.of(target.host), new RedisMessage.Pipeline(pipeline)});
  }

  /** sentinelSendHello, to every other sentinel directly (Redis publishes it on the monitored servers). */
  private void helloNow() {
    lastHello = now();
    Instance addr = monitor.currentMasterAddress();
    String payload = ctx.self().name() + ",26379," + myId + "," + currentEpoch + "," + monitor.name + "," + addr.host + ","
        + addr.port + "," + monitor.configEpoch;
    for (PeerSentinel p : monitor.sentinels.values()) outbox.add(new Object[] {p.id, new SentinelHello(payload)});
  }

  /** After every event: flush sentinel.conf first if asked (blocking), then let the messages go. */
  private void endEvent() {
    if (inFsync) return;
    if (!flushWanted) {
      sendOutbox();
      return;
    }
    flushWanted = false;
    writeConf();
    inFsync = true;
    ctx.fsyncBlocking(List.of(TMP), new ConfFsynced());
  }

  private void sendOutbox() {
    for (Object[] o : outbox) ctx.send((NodeId) o[0], (Message) o[1]);
    outbox.clear();
  }

  /** rewriteConfig of sentinel.conf into a temp file; renamed over sentinel.conf once fsynced. */
  private void writeConf() {
    StringBuilder sb = new StringBuilder();
    sb.append("sentinel myid ").append(myId).append('\n');
    sb.append("sentinel monitor ").append(monitor.name).append(' ').append(monitor.master.host).append(' ').append(monitor.master.port)
        .append(' ').append(cfg.quorum).append('\n');
    sb.append("sentinel down-after-milliseconds ").append(monitor.name).append(' ').append(cfg.downAfterMs).append('\n');
    sb.append("sentinel config-epoch ").append(monitor.name).append(' ').append(monitor.configEpoch).append('\n');
    sb.append("sentinel leader-epoch ").append(monitor.name).append(' ').append(monitor.leaderEpoch).append('\n');
    for (Instance s : monitor.slaves.values()) sb.append("sentinel known-replica ").append(monitor.name).append(' ').append(s.host).append(' ').append(s.port).append('\n');
    sb.append("sentinel current-epoch ").append(currentEpoch).append('\n');
    if (ctx.disk().exists(TMP)) ctx.disk().delete(TMP);
    ctx.disk().write(TMP, 0, sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private SentinelHost host() {
    return new SentinelHost() {
      @Override
      public long now() {
        return SentinelNode.this.now();
      }

      @Override
      public int random(int bound) {
        return ctx.random("sentinel").nextInt(bound);
      }

      @Override
      public String myId() {
        return myId;
      }

      @Override
      public long currentEpoch() {
        return currentEpoch;
      }

      @Override
      public void currentEpoch(long epoch) {
        currentEpoch = epoch;
      }

      @Override
      public void flushConfig() {
        flushWanted = true;
      }

      @Override
      public void event(String type, String detail) {
        ctx.point("redis.sentinel", type + " " + detail, "type", type, "epoch", currentEpoch, "failoverEpoch", monitor == null ? 0 : monitor.failoverEpoch,
            "myid", myId);
      }

      @Override
      public void ask(Instance target, String command) {
        request(NodeId.of(target.host), List.of(command), command.toLowerCase(), target.host + ":" + target.port);
      }

      @Override
      public void replicaof(Instance target, String host, int port) {
        sendSlaveOf(target, host, port);
      }

      @Override
      public void askPeer(PeerSentinel peer, String masterHost, int masterPort, long epoch, String runId) {
        request(peer.id, List.of("SENTINEL", "is-master-down-by-addr", masterHost, Integer.toString(masterPort), Long.toString(epoch), runId),
            "ask", peer.id.name());
      }

      @Override
      public void helloNow() {
        SentinelNode.this.helloNow();
      }

      @Override
      public boolean broken(String rule) {
        return rule.equals(SentinelBreaks.VOTE_TWICE_PER_EPOCH) && voteTwice;
      }
    };
  }

  public String myId() {
    return myId;
  }

  /** What this sentinel answers to a command (SENTINEL master mymaster, ...), RESP2-encoded. */
  public String command(List<String> argv) {
    return SentinelCommands.execute(monitor, argv);
  }

  public long currentEpoch() {
    return currentEpoch;
  }

  /** The master address this sentinel would give a client (SENTINEL get-master-addr-by-name). */
  public String masterHost() {
    return monitor.master.host;
  }

  @Override
  public String describeState() {
    return "sentinel " + myId.substring(0, 8) + " epoch " + currentEpoch + ": " + monitor.masterDetail() + (monitor.master.sdown ? " s_down" : "")
        + (monitor.odown ? " o_down" : "") + " failover " + SentinelCommands.stateName(monitor.failoverState) + ", " + monitor.slaves.size()
        + " slaves, voted " + (monitor.leader == null ? "-" : monitor.leader.substring(0, 8)) + " in epoch " + monitor.leaderEpoch;
  }
}
