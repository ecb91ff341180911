package sim.redis.node;

import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.redis.aof.AofException;
import sim.redis.rdb.Crc64;
import sim.redis.rdb.RdbException;
import sim.redis.resp.RespOut;
import sim.redis.server.ClientState;
import sim.redis.server.RedisConfig;
import sim.redis.server.RedisEnv;
import sim.redis.server.RedisServer;
import sim.redis.server.SimDiskFiles;

/**
 * A redis-server process on the simulation kernel. Each client node is one connection. The event loop is
 * the kernel's: a Request is read and executed, then beforeSleep flushes the AOF (fsync under
 * {@code appendfsync always}) and only then is the Reply sent. serverCron runs on a timer every 100 ms.
 * A restart builds a new server that loads the data directory from the node's disk.
 */
public final class RedisNode implements Node {
  /** Unix epoch the simulated clock starts at, so RDB ctime and TTLs look like real timestamps. */
  public static final long EPOCH_MS = 1_700_000_000_000L;

  private final Supplier<RedisConfig> config;
  private final TreeMap<NodeId, ClientState> clients = new TreeMap<>();
  /** A message held while the main thread blocks in fsync: a request not read yet, or a reply not sent yet. */
  private record Waiting(NodeId peer, RedisMessage message) {}

  private final List<Waiting> waiting = new java.util.ArrayList<>();
  private final List<Waiting> held = new java.util.ArrayList<>();
  private boolean blocked;
  private RedisServer server;
  private String refusal;
  private long recoveredDataHash;
  private long dirBeforeLoadCrc;
  private long dirAfterRefusalCrc;
  private TreeMap<String, String> recoveredDataset = new TreeMap<>();

  public RedisNode(Supplier<RedisConfig> config) {
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    RedisConfig cfg = config.get();
    server = new RedisServer(cfg, new SimDiskFiles(ctx.disk()), env(ctx));
    dirBeforeLoadCrc = dirChecksum(ctx);
    try {
      server.start();
    } catch (RdbException | AofException | SimIOException e) { // Redis exits; an I/O error at startup too
      refusal = e.getMessage();
      dirAfterRefusalCrc = dirChecksum(ctx);
      ctx.point("redis.load.refused", refusal);
      return; // Redis exits; this node stays down in effect: no cron, no replies
    }
    recoveredDataset = server.keyspace().describe();
    recoveredDataHash = recoveredDataset.hashCode();
    ctx.point("redis.load", server.loadedFrom());
    ctx.setTimer(new RedisTimer.Cron(), 1_000_000_000L / cfg.hz);
  }

  private static RedisEnv env(NodeContext ctx) {
    return new RedisEnv() {
      @Override
      public long nowMs() {
        return EPOCH_MS + ctx.localTimeMs();
      }

      @Override
      public int randomInt(int bound) {
        return ctx.random("redis.active-expire").nextInt(bound);
      }

      @Override
      public void point(String name, String detail) {
        ctx.point(name, detail);
      }

      @Override
      public void log(String line) {
        ctx.note(line);
      }
    };
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (refusal != null || !(message instanceof RedisMessage.Request req)) return;
    if (blocked) { // the main thread is inside fsync(): the request waits in the socket buffer
      waiting.add(new Waiting(from, req));
      return;
    }
    handle(ctx, from, req);
  }

  private void handle(NodeContext ctx, NodeId from, RedisMessage.Request req) {
    ClientState client = clients.computeIfAbsent(from, id -> new ClientState(id.name()));
    RespOut out = new RespOut();
    ctx.point("redis.call", String.join(" ", abbreviate(req.argv())));
    boolean fsynced;
    try {
      server.execute(client, req.argv(), out);
      fsynced = server.beforeSleep(); // AOF write (+ fsync under "always") before the reply leaves
    } catch (RedisServer.FatalError e) {
      exit(ctx, e);
      return;
    }
    RedisMessage.Reply reply = new RedisMessage.Reply(req.id(), out.toString());
    long fsyncNanos = ctx.disk().fsyncLatencyNanos();
    if (!fsynced || fsyncNanos == 0) {
      ctx.send(from, reply);
      return;
    }
    blocked = true; // fsync(2) in the main thread takes the disk's latency; the reply leaves after it
    held.add(new Waiting(from, reply));
    ctx.setTimer(new RedisTimer.FsyncReturned(), fsyncNanos);
  }

  private void fsyncReturned(NodeContext ctx) {
    blocked = false;
    for (Waiting w : held) ctx.send(w.peer(), w.message());
    held.clear();
    while (!blocked && !waiting.isEmpty()) {
      Waiting w = waiting.remove(0);
      handle(ctx, w.peer(), (RedisMessage.Request) w.message());
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (refusal != null) return;
    if (timer instanceof RedisTimer.FsyncReturned) {
      fsyncReturned(ctx);
      return;
    }
    if (!(timer instanceof RedisTimer.Cron)) return;
    if (blocked) { // serverCron cannot run while the main thread is in fsync(); try again next tick
      ctx.setTimer(timer, 1_000_000_000L / server.config().hz);
      return;
    }
    try {
      server.cron();
    } catch (RedisServer.FatalError e) {
      exit(ctx, e);
      return;
    }
    ctx.setTimer(timer, 1_000_000_000L / server.config().hz);
  }

  /** Redis exit(1)s: this incarnation stops answering (the kernel keeps the object until the next crash). */
  private void exit(NodeContext ctx, RedisServer.FatalError e) {
    refusal = "exited: " + e.getMessage();
    ctx.point("redis.exit", e.getMessage());
  }

  private static List<String> abbreviate(List<String> argv) {
    return argv.size() <= 4 ? argv : argv.subList(0, 4);
  }

  private static long dirChecksum(NodeContext ctx) {
    long crc = 0;
    for (String f : ctx.disk().list("")) {
      byte[] name = f.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      crc = Crc64.update(crc, name, 0, name.length);
      byte[] data = ctx.disk().readAll(f);
      crc = Crc64.update(crc, data, 0, data.length);
    }
    return crc;
  }

  public RedisServer server() {
    return server;
  }

  /** Why this incarnation refused to load its data directory, or null. */
  public String refusal() {
    return refusal;
  }

  /** Whether the data directory was left exactly as it was found when loading was refused. */
  public boolean dirUntouchedByRefusal() {
    return refusal != null && dirBeforeLoadCrc == dirAfterRefusalCrc;
  }

  /** The dataset as loaded at start, "db:key" → description. */
  public TreeMap<String, String> recoveredDataset() {
    return recoveredDataset;
  }

  @Override
  public String describeState() {
    if (refusal != null) return "refused to start: " + refusal;
    return server + " loaded=" + server.loadedFrom() + " recoveredHash=" + recoveredDataHash;
  }
}
