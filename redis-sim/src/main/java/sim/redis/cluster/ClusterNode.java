package sim.redis.cluster;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import sim.core.FsyncFailed;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.redis.config.RedisConfig;
import sim.redis.node.RedisMessage;
import sim.redis.node.RedisNode;

/**
 * A redis-server started with cluster-enabled yes: the {@link RedisNode} (keyspace, AOF, replication) plus
 * the cluster: clusterCron every 100 ms, the cluster bus ({@link ClusterMessage}), nodes.conf, and
 * getNodeByQuery in front of every client command (-MOVED, -CLUSTERDOWN, -CROSSSLOT). The cluster drives
 * replication as cluster.c does: replicationSetMaster for a replica, replicationUnsetMaster for a promotion.
 */
public final class ClusterNode implements Node {
  /** clusterCron runs 10 times a second (from serverCron at hz 10). */
  static final long CRON_PERIOD_NANOS = 100_000_000L;

  private record Cron() implements Timer {}

  private record MigrateTimeout(long seq) implements Timer {}

  private record ReplayHeld() implements Timer {}

  private record PauseEnd(long seq) implements Timer {}

  /** A client request that arrived while MIGRATE blocked the event loop. */
  private record Held(NodeId from, Message message) {}

  /** RESTORE-ASKING request ids, far from any id a client or a replication link uses. */
  private static final long RESTORE_ID_BASE = 1L << 40;

  private final RedisNode redis;
  private final Supplier<ClusterConfig> config;
  private NodeContext ctx;
  private ClusterState state;
  private ClusterBus bus;
  private final ClusterInfo info = new ClusterInfo();
  private SlotCommands slotCommands;
  private NodeCommands nodeCommands;
  private ClusterConfig clusterConfig;
  private final java.util.TreeSet<String> asking = new java.util.TreeSet<>(); // clients with CLIENT_ASKING
  private Migrate migrate;
  private long migrateSeq;
  private long nextRestoreId = RESTORE_ID_BASE;
  private final java.util.ArrayDeque<Held> heldDuringMigrate = new java.util.ArrayDeque<>();
  private boolean deletesBeforeRestore;
  private final ClientPause pause = new ClientPause();
  private long pauseSeq;

  public ClusterNode(Supplier<RedisConfig> redisConfig, Supplier<ClusterConfig> config) {
    this.redis = new RedisNode(() -> {
      RedisConfig c = redisConfig.get();
      c.clusterEnabled = true;
      c.replicaofHost = null; // in cluster mode replication follows nodes.conf, never replicaof
      return c;
    });
    this.config = config;
  }

  @Override
  public void start(NodeContext ctx) {
    this.ctx = ctx;
    redis.start(ctx);
    if (redis.refusal() != null) return;
    ClusterConfig cfg = config.get();
    ClusterSettings settings = cfg.settings;
    settings.voteTwicePerEpoch = ctx.isBroken(ClusterBreaks.VOTE_TWICE_PER_EPOCH); // consulted at start, as --break requires
    settings.promoteKeepsConfigEpoch = ctx.isBroken(ClusterBreaks.PROMOTE_KEEPS_CONFIG_EPOCH);
    settings.mfSkipsOffsetWait = ctx.isBroken(ClusterBreaks.MF_SKIPS_OFFSET_WAIT);
    deletesBeforeRestore = ctx.isBroken(ClusterBreaks.MIGRATE_DELETES_BEFORE_RESTORE);
    state = new ClusterState(host(), settings, ctx.self().name());
    boolean loaded = ctx.disk().exists(NodesConf.FILE);
    if (loaded && !load()) return;
    if (!loaded) {
      state = new ClusterState(host(), settings, ctx.self().name());
      NodesConf.init(state, cfg);
      host().saveConfig();
    }
    bus = new ClusterBus(state);
    slotCommands = new SlotCommands(state, bus);
    clusterConfig = cfg;
    nodeCommands = new NodeCommands(state, host -> clusterConfig.listening(host) || NodeCommands.ipv4(host));
    ctx.point("redis.cluster.start", (loaded ? "nodes.conf loaded: " : "new cluster node: ") + state.describe(), "currentEpoch",
        state.currentEpoch, "configEpoch", state.me().configEpoch);
    state.updateState();
    ctx.setTimer(new Cron(), CRON_PERIOD_NANOS);
  }

  /** clusterLoadConfig; a damaged nodes.conf makes Redis exit rather than forget its epochs and its vote. */
  private boolean load() {
    boolean ok;
    try {
      ok = NodesConf.load(state, new String(ctx.disk().readAll(NodesConf.FILE), StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      ok = false;
    }
    if (ok) return true;
    state = null;
    ctx.point("redis.exit", "Unrecoverable error: corrupted cluster config file", "error", "nodes.conf");
    ctx.panic("redis-server exited: Unrecoverable error: corrupted cluster config file");
    return false;
  }

  private ClusterHost host() {
    return new ClusterHost() {
      @Override
      public long nowMs() {
        return RedisNode.EPOCH_MS + ctx.localTimeMs();
      }

      @Override
      public boolean listening(String host, int port) {
        return port == 6379 && clusterConfig != null && clusterConfig.listening(host);
      }

      @Override
      public void send(String node, ClusterMessage m) {
        info.sent(m);
        ctx.send(NodeId.of(node), m);
      }

      @Override
      public int random(int bound) {
        return ctx.random("cluster").nextInt(bound);
      }

      @Override
      public void point(String name, String detail, Object... attributes) {
        ctx.point(name, detail, attributes);
      }

      @Override
      public void replicateFrom(String master) {
        redis.server().replicationState().setMaster(master, 6379, true);
      }

      @Override
      public void stopReplicating() {
        redis.server().replicationState().replicationUnsetMaster();
      }

      @Override
      public boolean replicating() {
        return redis.server().replicationState().isReplica();
      }

      @Override
      public long replOffset() {
        return redis.server().replicationState().offset();
      }

      @Override
      public void saveConfig() {
        writeNodesConf();
      }

      @Override
      public void pauseWrites(long untilMs) {
        pause.pause(untilMs);
        redis.server().replicationState().pausePings(true);
        ctx.setTimer(new PauseEnd(++pauseSeq), Math.max(1, untilMs - nowMs()) * 1_000_000L);
      }

      @Override
      public void unpauseWrites() {
        unpause();
      }

      @Override
      public List<String> keysInSlot(int slot) {
        return redis.server().keyspace().db(0).keys().stream().filter(k -> KeySlot.of(k) == slot).toList();
      }
    };
  }

  /** clusterSaveConfigOrDie(1): written and fsynced at once (a failure to save exits, as Redis does). */
  private void writeNodesConf() {
    if (state == null || !state.nodes.containsKey(state.myself)) return;
    String tmp = NodesConf.FILE + ".tmp";
    try {
      if (ctx.disk().exists(tmp)) ctx.disk().delete(tmp);
      ctx.disk().write(tmp, 0, NodesConf.render(state).getBytes(StandardCharsets.UTF_8));
      ctx.disk().fsync(tmp);
      ctx.disk().rename(tmp, NodesConf.FILE);
    } catch (SimIOException e) {
      ctx.point("redis.exit", "Fatal: can't update cluster config file.", "error", e.getMessage());
      ctx.panic("redis-server exited: can't update cluster config file: " + e.getMessage());
    }
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    if (redis.refusal() != null || state == null) return;
    if (message instanceof ClusterMessage cm) {
      info.received(cm);
      bus.process(from.name(), cm);
      return;
    }
    if (migrate != null) {
      if (message instanceof RedisMessage.Reply r && migrate.awaits(r.id())) {
        if (migrate.onReply(r.id(), r.resp())) finishMigrate(false);
        return;
      }
      if (message instanceof RedisMessage.Request || message instanceof RedisMessage.Pipeline) { // the loop is blocked in MIGRATE
        heldDuringMigrate.add(new Held(from, message));
        return;
      }
    }
    if (message instanceof RedisMessage.Reply r && r.id() >= RESTORE_ID_BASE) return; // a RESTORE answered after the timeout
    if (message instanceof RedisMessage.Request req && answeredByCluster(from, req)) return;
    redis.onMessage(ctx, from, message);
  }

  /** getNodeByQuery before processCommand, ASKING, MIGRATE, and the CLUSTER subcommands this model answers. */
  private boolean answeredByCluster(NodeId from, RedisMessage.Request req) {
    List<String> argv = req.argv();
    if (argv.isEmpty()) return false;
    String name = argv.get(0).toLowerCase(java.util.Locale.ROOT);
    boolean wasAsking = asking.remove(from.name()); // resetClient: CLIENT_ASKING lasts one command
    String reply = null;
    if (name.equals("asking") && argv.size() == 1) {
      asking.add(from.name());
      reply = "+OK\r\n";
    } else if (name.equals("cluster")) {
      reply = clusterCommand(argv);
    }
    if (reply == null) {
      String error = Redirect.check(state, argv, wasAsking, this::exists);
      if (error != null) {
        reply = "-" + error + "\r\n";
        ctx.point("redis.cluster.redirect", error + " to " + from.name(), "client", from.name(), "reply", error);
      } else if (pause.holds(req.argv())) { // blockPostponeClient: the command runs again, from the start, when the pause ends
        pause.hold(from, req);
        return true;
      } else if (name.equals("migrate") && argv.size() >= 6) {
        startMigrate(from, req);
        return true;
      }
    }
    if (reply == null) return false;
    ctx.send(from, new RedisMessage.Reply(req.id(), reply));
    return true;
  }

  /** lookupKeyReadWithFlags in db 0 (no lazy expiry here). */
  private boolean exists(String key) {
    return redis.server().keyspace().db(0).get(key) != null;
  }

  private String clusterCommand(List<String> argv) {
    if (argv.size() < 2) return null;
    sim.redis.command.Command k = sim.redis.command.CommandTable.get().lookup(argv);
    if (k != null && !k.arityOk(argv.size())) return null; // processCommand answers the arity error
    String sub = argv.get(1).toLowerCase(java.util.Locale.ROOT);
    switch (sub) {
      case "setslot":
        return slotCommands.setslot(argv);
      case "countkeysinslot":
        return slotCommands.countKeysInSlot(argv);
      case "getkeysinslot":
        return slotCommands.getKeysInSlot(argv);
      case "failover":
        return argv.size() <= 3 ? bus.manual.command(argv) : null;
      case "meet":
        return argv.size() == 4 || argv.size() == 5 ? nodeCommands.meet(argv) : null;
      case "forget":
        return argv.size() == 3 ? nodeCommands.forget(argv) : null;
      default:
        break;
    }
    if (argv.size() != 2) return null;
    String text = switch (sub) {
      case "info" -> info.render(state);
      case "nodes" -> nodesText();
      case "myid" -> state.myself;
      default -> null;
    };
    if (text == null) return null;
    int len = text.getBytes(StandardCharsets.ISO_8859_1).length;
    return "$" + len + "\r\n" + text + "\r\n";
  }

  /** migrateCommand: RESTORE-ASKING for each key to the target; the event loop waits for the replies or the timeout. */
  private void startMigrate(NodeId from, RedisMessage.Request req) {
    Migrate.Spec[] spec = new Migrate.Spec[1];
    String error = Migrate.parse(req.argv(), this::exists, spec);
    if (error == null && state.node(spec[0].host()) == null) error = "-IOERR error or timeout connecting to the client\r\n";
    if (error != null) {
      ctx.send(from, new RedisMessage.Reply(req.id(), error));
      return;
    }
    migrate = new Migrate(from.name(), req.id(), spec[0]);
    sim.redis.keyspace.Db db = redis.server().keyspace().db(0);
    long now = RedisNode.EPOCH_MS + ctx.localTimeMs();
    for (String key : spec[0].keys()) {
      long at = db.expireAtMs(key);
      long ttl = at < 0 ? 0 : Math.max(1, at - now);
      String payload = new String(sim.redis.rdb.RdbWriter.dump(db.get(key)), StandardCharsets.ISO_8859_1);
      List<String> restore = new java.util.ArrayList<>(List.of("RESTORE-ASKING", key, Long.toString(ttl), payload));
      if (spec[0].replace()) restore.add("REPLACE");
      long id = nextRestoreId++;
      migrate.sent(id, key);
      ctx.send(NodeId.of(spec[0].host()), new RedisMessage.Request(id, restore));
    }
    ctx.point("redis.cluster.migrate", "MIGRATE " + spec[0].keys().size() + " keys to " + spec[0].host(), "target", spec[0].host(),
        "keys", spec[0].keys().size());
    if (deletesBeforeRestore) { // --break: the keys go before the target has them
      List<String> del = new java.util.ArrayList<>(List.of("DEL"));
      del.addAll(spec[0].keys());
      pointDeleted(spec[0].host(), spec[0].keys());
      redis.runInternal(ctx, del, null, -1, null);
    }
    ctx.setTimer(new MigrateTimeout(++migrateSeq), spec[0].timeoutMs() * 1_000_000L);
  }

  /** The keys MIGRATE is about to delete here, as moved to {@code target} (what the checks compare with the target). */
  private void pointDeleted(String target, List<String> keys) {
    ctx.point("redis.cluster.migrate-del", "DEL " + keys.size() + " keys moved to " + target, "target", target, "keys", String.join(" ", keys));
  }

  /** The target answered every key (or the timeout struck): DEL the acknowledged keys, reply, run what waited. */
  private void finishMigrate(boolean timedOut) {
    Migrate m = migrate;
    migrate = null;
    Migrate.Outcome o = m.finish(timedOut);
    List<String> del = new java.util.ArrayList<>();
    if (!o.delete().isEmpty() && !deletesBeforeRestore) {
      del.add("DEL");
      del.addAll(o.delete());
      pointDeleted(m.spec().host(), o.delete());
    }
    ctx.point("redis.cluster.migrated", o.delete().size() + " keys moved to " + m.spec().host() + ": " + o.reply().trim(), "target",
        m.spec().host(), "moved", o.delete().size(), "reply", o.reply().trim());
    redis.runInternal(ctx, del, NodeId.of(m.client()), m.clientRequestId(), o.reply());
    ctx.setTimer(new ReplayHeld(), 1);
  }

  /** unpauseClients: the postponed commands run again in arrival order (each one's slot checked anew). */
  private void unpause() {
    if (!pause.paused()) return;
    pauseSeq++;
    redis.server().replicationState().pausePings(false);
    for (ClientPause.Held h : pause.release()) heldDuringMigrate.add(new Held(h.from(), h.request()));
    ctx.point("redis.cluster.mf-unpaused", "clients unpaused", "released", heldDuringMigrate.size());
    ctx.setTimer(new ReplayHeld(), 1);
  }

  /** The requests that waited for the MIGRATE, in arrival order, once the event loop is free again. */
  private void replayHeld() {
    while (migrate == null && !heldDuringMigrate.isEmpty()) {
      if (redis.blockedInFsync()) { // the DEL's fsync under appendfsync always: after it
        ctx.setTimer(new ReplayHeld(), 1_000_000L);
        return;
      }
      Held h = heldDuringMigrate.poll();
      onMessage(ctx, h.from(), h.message());
    }
  }

  private String nodesText() {
    StringBuilder sb = new StringBuilder();
    for (NodeView n : state.nodes.values()) sb.append(NodesConf.line(state, n, false)).append('\n');
    return sb.toString();
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (redis.refusal() != null || state == null) return;
    if (timer instanceof Cron) {
      bus.cron();
      ctx.setTimer(timer, CRON_PERIOD_NANOS);
      return;
    }
    if (timer instanceof ReplayHeld) {
      replayHeld();
      return;
    }
    if (timer instanceof PauseEnd t) {
      if (t.seq() == pauseSeq) unpause();
      return;
    }
    if (timer instanceof MigrateTimeout t) {
      if (migrate != null && t.seq() == migrateSeq) finishMigrate(true);
      return;
    }
    redis.onTimer(ctx, timer);
  }

  @Override
  public void onFsyncFailed(NodeContext ctx, FsyncFailed failed) {
    redis.onFsyncFailed(ctx, failed);
  }

  @Override
  public void onPeerDisconnected(NodeContext ctx, NodeId peer) {
    if (state != null && bus != null) bus.linkLost(peer.name());
    redis.onPeerDisconnected(ctx, peer);
  }

  public RedisNode redis() {
    return redis;
  }

  /** Whether this node serves as a master. */
  public boolean isMaster() {
    return state != null && state.me().master;
  }

  /** The slots this node believes it owns (empty for a replica). */
  public java.util.BitSet ownSlots() {
    return state == null || !state.me().master ? new java.util.BitSet() : (java.util.BitSet) state.me().slots.clone();
  }

  /** The master this node replicates in its own view, or null for a master. */
  public String replicaOf() {
    return state == null || state.me().master ? null : state.me().slaveof;
  }

  /** The nodes this node knows by name, itself included (not the handshake nodes), in name order. */
  public List<String> knownNodes() {
    if (state == null) return List.of();
    return state.nodes.values().stream().filter(n -> !n.handshake).map(n -> n.name).toList();
  }

  /** How many handshake nodes (met, name not known yet) this node has. */
  public int handshakes() {
    return state == null ? 0 : state.handshakes().size();
  }

  public long configEpoch() {
    return state == null ? 0 : state.me().configEpoch;
  }

  public long currentEpoch() {
    return state == null ? 0 : state.currentEpoch;
  }

  public boolean clusterOk() {
    return state != null && state.ok;
  }

  /** The node this master is migrating {@code slot} to (SETSLOT MIGRATING), or null. */
  public String migratingTo(int slot) {
    return state == null ? null : state.migratingTo[slot];
  }

  /** The node this node believes owns {@code slot}, or null. */
  public String ownerOf(int slot) {
    return state == null ? null : state.slots[slot];
  }

  public String clusterInfo() {
    return state == null ? "" : info.render(state);
  }

  @Override
  public String describeState() {
    if (state == null) return redis.describeState();
    return state.describe() + " " + bus.election.describe() + bus.manual.describe() + " | " + redis.describeState();
  }
}
