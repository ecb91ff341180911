package sim.redis.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import sim.core.FsyncFailed;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.redis.aof.AofException;
import sim.redis.command.ClientState;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfigFile;
import sim.redis.host.Durability;
import sim.redis.host.RedisEnv;
import sim.redis.host.RedisExit;
import sim.redis.host.SimDiskFiles;
import sim.redis.rdb.Crc64;
import sim.redis.rdb.RdbException;
import sim.redis.resp.RespOut;
import sim.redis.server.BreakRules;
import sim.redis.server.RedisServer;

/**
 * A redis-server process on the simulation kernel. Each client node is one connection. One message or timer
 * is one iteration of Redis's event loop: a Request is read and executed, beforeSleep flushes the AOF, and
 * only then is the Reply sent. The two fsyncs Redis waits for go through the kernel's durability door: a
 * main-thread fsync ({@code appendfsync always}, SAVE) is {@code fsyncBlocking} and holds this iteration's
 * replies until it returns; a bio-thread fsync (everysec) is {@code fsyncThen} and the loop runs on. serverCron
 * runs on a timer every 1000/hz ms. A restart builds a new server that loads the data directory from the disk;
 * when Redis exits (a damaged directory, an AOF error under always) the node fail-stops.
 */
public final class RedisNode implements Node {
  /** Unix epoch the simulated clock starts at, so RDB ctime and TTLs look like real timestamps. */
  public static final long EPOCH_MS = 1_700_000_000_000L;

  private final Supplier<RedisConfig> config;
  private final TreeMap<NodeId, ClientState> clients = new TreeMap<>();
  private RedisServer server;
  private String refusal;
  private boolean ioErrorAtStart;
  private long dirBeforeLoadCrc;
  private long dirAfterRefusalCrc;
  private TreeMap<String, String> recoveredDataset = new TreeMap<>();

  /** The main thread's fsync requested during this iteration: files, what runs when it returns, held replies. */
  private final List<String> mainFsyncFiles = new ArrayList<>();
  private final List<Consumer<String>> mainFsyncThen = new ArrayList<>();
  private final List<HeldReply> held = new ArrayList<>();
  private boolean blockedInFsync;
  private boolean repliesBeforeFsync; // only under --break redis.always-acks-before-fsync
  private final TreeMap<Long, Consumer<String>> bioJobs = new TreeMap<>();
  private long nextBioJob;

  /** A reply, or with {@code seq >= 0} bytes of a replication stream (id: its epoch). */
  private ClientState internal;
  private record HeldReply(NodeId to, long id, RespOut out, long seq) {}

  private final Map<ClientState, NodeId> peers = new LinkedHashMap<>();
  private final Map<ClientState, ArrayDeque<Long>> unanswered = new LinkedHashMap<>();
  private final Map<ClientState, ArrayDeque<RedisMessage.Request>> deferred = new LinkedHashMap<>();


  public RedisNode(Supplier<RedisConfig> config) {
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    RedisConfig cfg = config.get();
    SimDiskFiles files = new SimDiskFiles(ctx.disk());
    server = new RedisServer(cfg, files, env(ctx), durability(ctx), brokenRules(ctx, cfg));
    server.masterLink((host, port, id, argv) -> ctx.send(NodeId.of(host), new RedisMessage.Request(id, argv)));
    try {
      RedisConfigFile.install(files, cfg); // the operator's redis.conf, before the first start only
      dirBeforeLoadCrc = dirChecksum(ctx);
      server.start();
    } catch (RdbException | AofException e) { // a damaged directory: Redis refuses and exits, touching nothing
      refusal = e.getMessage();
      dirAfterRefusalCrc = dirChecksum(ctx);
      ctx.point("redis.load.refused", refusal, "error", refusal);
      ctx.panic("redis-server exited: " + refusal);
      return;
    } catch (SimIOException | RedisExit e) { // an I/O error while starting: exit(1), the files stay as they are
      refusal = e.getMessage();
      ioErrorAtStart = true;
      exit(ctx, e.getMessage());
      return;
    }
    recoveredDataset = server.keyspace().describe();
    ctx.point("redis.load", "DB loaded: " + server.loadedFrom(), "keys", server.keyspace().totalKeys());
    ctx.setTimer(new RedisTimer.Cron(), 1_000_000_000L / cfg.hz);
  }

  /** The --break rules this server's configuration can show (consulted here, at start). */
  private static Set<String> brokenRules(NodeContext ctx, RedisConfig cfg) {
    Set<String> broken = new HashSet<>();
    if (cfg.appendonly && cfg.appendfsync == RedisConfig.AppendFsync.ALWAYS && ctx.isBroken(BreakRules.ALWAYS_ACKS_BEFORE_FSYNC)) {
      broken.add(BreakRules.ALWAYS_ACKS_BEFORE_FSYNC);
    }
    if (cfg.appendonly && ctx.isBroken(BreakRules.LOAD_TRUNCATED_AOF_SILENTLY)) broken.add(BreakRules.LOAD_TRUNCATED_AOF_SILENTLY);
    if (ctx.isBroken(BreakRules.RDB_RENAME_BEFORE_FSYNC)) broken.add(BreakRules.RDB_RENAME_BEFORE_FSYNC);
    for (String rule : List.of(BreakRules.PSYNC_IGNORES_REPLID, BreakRules.WAIT_COUNTS_UNACKED, BreakRules.REPLICA_ACCEPTS_WRITES)) {
      if (ctx.isBroken(rule)) broken.add(rule);
    }
    return broken;
  }

  private static RedisEnv env(NodeContext ctx) {
    return new RedisEnv() {
      @Override
      public long nowMs() {
        return EPOCH_MS + ctx.localTimeMs();
      }

      @Override
      public int randomInt(int bound) {
        return ctx.random("redis").nextInt(bound);
      }

      @Override
      public void point(String name, String detail, Object... attributes) {
        ctx.point(name, detail, attributes);
      }

      @Override
      public void log(String line) {
        ctx.note(line);
      }
    };
  }

  private Durability durability(NodeContext ctx) {
    return new Durability() {
      @Override
      public void fsyncInMainThread(List<String> files, Consumer<String> then) {
        for (String f : files) if (!mainFsyncFiles.contains(f)) mainFsyncFiles.add(f);
        mainFsyncThen.add(then);
      }

      @Override
      public void fsyncInMainThreadAfterReplies(List<String> files, Consumer<String> then) {
        fsyncInMainThread(files, then);
        repliesBeforeFsync = true;
      }

      @Override
      public void fsyncInBackground(String file, Consumer<String> then) {
        long job = nextBioJob++;
        bioJobs.put(job, then);
        ctx.fsyncThen(file, new RedisTimer.BioFsyncDone(job));
      }
    };
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (refusal != null) return;
    if (message instanceof RedisMessage.ReplStream rs) {
      onReplStream(ctx, rs);
      return;
    }
    List<RedisMessage.Request> requests;
    if (message instanceof RedisMessage.Request req) requests = List.of(req);
    else if (message instanceof RedisMessage.Pipeline p) requests = p.requests();
    else return;
    ClientState client = clients.computeIfAbsent(from, id -> {
      ClientState c = server.connect(id.name() + ":6379");
      peers.put(c, id);
      return c;
    });
    if (client.isBlocked()) { // Redis leaves it in the query buffer until the client is unblocked
      deferred.computeIfAbsent(client, c -> new ArrayDeque<>()).addAll(requests);
      return;
    }
    try {
      for (int i = 0; i < requests.size(); i++) { // a pipeline: processInputBuffer runs every command it read
        if (client.isBlocked()) {
          deferred.computeIfAbsent(client, c -> new ArrayDeque<>()).addAll(requests.subList(i, requests.size()));
          break;
        }
        run(ctx, from, client, requests.get(i));
      }
      server.beforeSleep(); // AOF write (+ fsync under "always") before the reply leaves
      collectReplies(ctx);
    } catch (RedisExit e) {
      exit(ctx, e.getMessage());
      return;
    }
    closeKilled();
    endIteration(ctx);
  }

  /**
   * A command the server runs on its own behalf (MIGRATE's DEL of the keys the target acknowledged, rewritten as
   * Redis rewrites the MIGRATE for propagation), then {@code reply} to {@code to}'s request {@code id}: one event
   * loop iteration, so the AOF write (and fsync under always) happens before the reply leaves.
   */
  public void runInternal(NodeContext ctx, List<String> argv, NodeId to, long id, String reply) {
    if (refusal != null) return;
    try {
      if (internal == null) internal = server.connect("internal:0");
      if (!argv.isEmpty()) server.execute(internal, argv);
      internal.out.clear();
      server.beforeSleep();
      collectReplies(ctx);
    } catch (RedisExit e) {
      exit(ctx, e.getMessage());
      return;
    }
    if (reply == null) {
      endIteration(ctx);
      return;
    }
    RespOut out = new RespOut(reply.length());
    byte[] b = reply.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    out.raw(b, 0, b.length);
    held.add(new HeldReply(to, id, out, -1));
    endIteration(ctx);
  }

  /**
   * CLIENT KILL (and QUIT): the connections it marked are freed (freeClient) once their replies are out. The
   * kernel has no way to reset a connection, so the client is not told: a request it sends later opens a new
   * connection, as a client that reconnected would.
   */
  private void closeKilled() {
    for (ClientState c : List.copyOf(peers.keySet())) {
      if (!c.closeRequested()) continue;
      clients.remove(peers.remove(c));
      unanswered.remove(c);
      deferred.remove(c);
      server.disconnect(c);
    }
  }

  /** Our master's stream: applied like any iteration of the loop (beforeSleep, then what it made us send). */
  private void onReplStream(NodeContext ctx, RedisMessage.ReplStream rs) {
    try {
      server.replicationState().onStream(rs.epoch(), rs.seq(), rs.bytes());
      server.beforeSleep();
      collectReplies(ctx);
    } catch (RedisExit e) {
      exit(ctx, e.getMessage());
      return;
    }
    endIteration(ctx);
  }

  private void run(NodeContext ctx, NodeId from, ClientState client, RedisMessage.Request req) {
    ctx.point("redis.call", String.join(" ", abbreviate(req.argv())), "client", from.name(), "command",
        req.argv().isEmpty() ? "" : req.argv().get(0), "key", req.argv().size() > 1 ? req.argv().get(1) : "");
    unanswered.computeIfAbsent(client, c -> new ArrayDeque<>()).add(req.id());
    server.execute(client, req.argv());
    if (!req.argv().isEmpty() && req.argv().get(0).equalsIgnoreCase("psync")) { // the connection is a replication link now
      client.replicaStreamEpoch = req.id();
      client.replicaStreamSent = 0;
    }
  }

  /**
   * handleClientsWithPendingWrites: every client with bytes in its buffer gets them as one Reply, tagged with
   * the request they answer (-1 for a push: a pub/sub message). A client unblocked by this iteration then
   * runs the requests it sent while blocked.
   */
  private void collectReplies(NodeContext ctx) {
    for (int round = 0; round < 1000; round++) {
      for (ClientState c : server.takePendingWrites()) {
        if (c.out.length() == 0) continue;
        NodeId to = peers.get(c);
        RespOut out = new RespOut(c.out.length());
        out.raw(c.out.array(), 0, c.out.length());
        c.out.clear();
        if (to == null) continue;
        if (c.replicaStreamEpoch >= 0) { // a replica's link: the stream, not replies
          unanswered.remove(c);
          held.add(new HeldReply(to, c.replicaStreamEpoch, out, c.replicaStreamSent));
          c.replicaStreamSent += out.length();
          continue;
        }
        ArrayDeque<Long> ids = unanswered.get(c);
        long id = -1;
        if (!c.isBlocked() && ids != null && !ids.isEmpty()) {
          id = ids.peekLast();
          ids.clear();
        }
        held.add(new HeldReply(to, id, out, -1));
      }
      boolean ran = false;
      for (var e : List.copyOf(deferred.entrySet())) {
        ClientState c = e.getKey();
        if (c.isBlocked() || e.getValue().isEmpty()) continue;
        RedisMessage.Request req = e.getValue().poll();
        run(ctx, peers.get(c), c, req);
        ran = true;
      }
      if (!ran) return;
      server.beforeSleep();
    }
  }

  /** After an iteration's work: block in the main-thread fsync if one was asked for, else send the replies. */
  private void endIteration(NodeContext ctx) {
    if (mainFsyncFiles.isEmpty() || repliesBeforeFsync) sendHeld(ctx);
    repliesBeforeFsync = false;
    if (mainFsyncFiles.isEmpty()) return;
    blockedInFsync = true;
    ctx.fsyncBlocking(List.copyOf(mainFsyncFiles), new RedisTimer.MainThreadFsyncReturned());
    mainFsyncFiles.clear();
  }

  private void mainFsyncReturned(NodeContext ctx, String error) {
    blockedInFsync = false;
    List<Consumer<String>> thens = List.copyOf(mainFsyncThen);
    mainFsyncThen.clear();
    try {
      for (Consumer<String> then : thens) then.accept(error);
    } catch (RedisExit e) {
      exit(ctx, e.getMessage());
      return;
    }
    endIteration(ctx); // a continuation may itself have asked for another fsync
  }

  private void sendHeld(NodeContext ctx) {
    for (HeldReply h : held) {
      if (h.seq() >= 0) {
        ctx.send(h.to(), new RedisMessage.ReplStream(h.id(), h.seq(), h.out().toByteArray()));
        continue;
      }
      String resp = h.out().toString();
      ctx.point("redis.reply", abbreviateReply(resp) + " to " + h.to().name(), "client", h.to().name(), "reply",
          abbreviateReply(resp));
      ctx.send(h.to(), new RedisMessage.Reply(h.id(), resp));
    }
    held.clear();
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (refusal != null) return;
    if (timer instanceof RedisTimer.MainThreadFsyncReturned) {
      mainFsyncReturned(ctx, null);
    } else if (timer instanceof RedisTimer.BioFsyncDone done) {
      bioJobs.remove(done.job()).accept(null);
    } else if (timer instanceof RedisTimer.Cron) {
      try {
        server.cron();
        collectReplies(ctx);
      } catch (RedisExit e) {
        exit(ctx, e.getMessage());
        return;
      }
      ctx.setTimer(timer, 1_000_000_000L / server.config().hz);
      endIteration(ctx);
    }
  }

  @Override
  public void onFsyncFailed(NodeContext ctx, FsyncFailed failed) {
    if (refusal != null) return;
    if (failed.done() instanceof RedisTimer.BioFsyncDone done) {
      bioJobs.remove(done.job()).accept(failed.error());
    } else {
      mainFsyncReturned(ctx, failed.error());
    }
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (server != null && refusal == null) server.replicationState().onMasterDisconnected(peer.name());
    ClientState c = clients.remove(peer);
    if (c != null && server != null) {
      server.disconnect(c);
      peers.remove(c);
      unanswered.remove(c);
      deferred.remove(c);
    }
  }

  /** Redis exit(1)s: the process is gone (fail-stop); what it wrote stays in the files. */
  private void exit(NodeContext ctx, String why) {
    if (refusal == null) refusal = "exited: " + why;
    ctx.point("redis.exit", why, "error", why);
    ctx.panic("redis-server exited: " + why);
  }

  private static List<String> abbreviate(List<String> argv) {
    return argv.size() <= 4 ? argv : argv.subList(0, 4);
  }

  private static String abbreviateReply(String resp) {
    String oneLine = resp.replace("\r\n", " ").trim();
    return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
  }

  private static long dirChecksum(NodeContext ctx) {
    long crc = 0;
    for (String f : ctx.disk().list("")) {
      byte[] name = f.getBytes(StandardCharsets.UTF_8);
      crc = Crc64.update(crc, name, 0, name.length);
      byte[] data = ctx.disk().readAll(f);
      crc = Crc64.update(crc, data, 0, data.length);
    }
    return crc;
  }

  public RedisServer server() {
    return server;
  }

  /** Why this incarnation did not serve (refused to load, or exited), or null. */
  public String refusal() {
    return refusal;
  }

  /** True when this incarnation exited on an I/O error while starting: the files were not judged damaged. */
  public boolean exitedOnIoErrorAtStart() {
    return ioErrorAtStart;
  }

  /** Whether the data directory was left exactly as it was found when loading was refused. */
  public boolean dirUntouchedByRefusal() {
    return refusal != null && !ioErrorAtStart && dirBeforeLoadCrc == dirAfterRefusalCrc;
  }

  /** The dataset as loaded at start, "db:key" → description. */
  public TreeMap<String, String> recoveredDataset() {
    return recoveredDataset;
  }

  /** True while the main thread is blocked in a main-thread fsync. */
  public boolean blockedInFsync() {
    return blockedInFsync;
  }

  @Override
  public String describeState() {
    if (refusal != null) return "not serving: " + refusal;
    return server + " loaded: " + server.loadedFrom() + (blockedInFsync ? " (main thread blocked in fsync)" : "");
  }
}
