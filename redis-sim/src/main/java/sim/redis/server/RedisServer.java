package sim.redis.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import sim.redis.aof.AofManifest;
import sim.redis.aof.AppendOnlyFile;
import sim.redis.command.ClientState;
import sim.redis.command.CommandHost;
import sim.redis.command.Dispatcher;
import sim.redis.command.Persistence;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfigFile;
import sim.redis.host.Durability;
import sim.redis.host.RedisEnv;
import sim.redis.host.RedisFiles;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.rdb.RdbWriter;
import sim.redis.replication.Replication;
import sim.redis.replication.ReplicationHost;
import sim.redis.resp.RespOut;

/**
 * The server (server.c): it wires the keyspace, command dispatch ({@link Dispatcher}), loading ({@link
 * DataLoader}), the live AOF and the forked children ({@link ForkedChildren}), and runs the event-loop hooks
 * serverCron and beforeSleep. It touches the world only through {@link RedisEnv} (clock, randomness, trace
 * points), {@link RedisFiles} (the data directory) and {@link Durability} (fsync), so the same code runs
 * deterministically in the simulation and behind the real TCP adapter.
 */
public final class RedisServer implements CommandHost, Persistence {
  private final RedisConfig config;
  private final RedisFiles files;
  private final RedisEnv env;
  private final Durability durability;
  private final Set<String> broken;
  private final Keyspace keyspace = new Keyspace();
  private final Dispatcher dispatcher;
  private final ForkedChildren children;
  private final Info info;
  private AppendOnlyFile aof;
  private DataLoader.Loaded loaded = DataLoader.Loaded.NOTHING;
  private boolean shutdownRequested;
  private final long startedMs;
  private final String runId;
  private final String replId;
  private final Replication replication;
  private MasterLink masterLink = (host, port, id, argv) -> { }; // no network: a replica never reaches its master

  /** How a replica's requests reach its master: the host's network (the simulated one, or none). */
  @FunctionalInterface
  public interface MasterLink {
    void send(String host, int port, long id, List<String> argv);
  }

  /** A server with no rule broken: Redis as it is. */
  public RedisServer(RedisConfig config, RedisFiles files, RedisEnv env, Durability durability) {
    this(config, files, env, durability, Set.of());
  }

  /** @param broken the {@link BreakRules} switched off for a lesson (never in a real deployment) */
  public RedisServer(RedisConfig config, RedisFiles files, RedisEnv env, Durability durability, Set<String> broken) {
    this.config = config;
    this.files = files;
    this.env = env;
    this.durability = durability;
    this.broken = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(broken));
    this.dispatcher = new Dispatcher(keyspace, this, refusals());
    this.children = new ForkedChildren(config, files, env, durability, keyspace, dispatcher, this::aofForRewrite,
        broken.contains(BreakRules.RDB_RENAME_BEFORE_FSYNC));
    this.info = new Info(this);
    this.startedMs = env.nowMs();
    this.runId = randomHex(env);
    this.replId = randomHex(env);
    this.replication = new Replication(replicationHost(), replId);
    replication.breakRules(broken.contains(BreakRules.PSYNC_IGNORES_REPLID), broken.contains(BreakRules.WAIT_COUNTS_UNACKED));
    dispatcher.propagateTo(replication);
  }

  private Dispatcher.Refusals refusals() {
    return new Dispatcher.Refusals() {
      @Override
      public String diskError() {
        return writeRefusal();
      }

      @Override
      public String noGoodReplicas() {
        return replication.noGoodReplicas();
      }

      @Override
      public String readOnlyReplica() {
        return broken.contains(BreakRules.REPLICA_ACCEPTS_WRITES) ? null : replication.readOnlyReplica();
      }
    };
  }

  private ReplicationHost replicationHost() {
    return new ReplicationHost() {
      @Override
      public RedisConfig config() {
        return config;
      }

      @Override
      public RedisEnv env() {
        return env;
      }

      @Override
      public Dispatcher dispatcher() {
        return dispatcher;
      }

      @Override
      public byte[] rdbForReplication() {
        return RdbWriter.write(keyspace, env.nowMs() / 1000, false, config.rdbcompression, config.rdbchecksum);
      }

      @Override
      public void loadReplicationRdb(byte[] payload) {
        loaded = loader().loadReplicationPayload(payload);
        if (aof != null && config.appendonly) children.scheduleAofRewrite(); // restartAOFAfterSYNC
      }

      @Override
      public void sendToMaster(String host, int port, long id, List<String> argv) {
        masterLink.send(host, port, id, argv);
      }
    };
  }

  private DataLoader loader() {
    return new DataLoader(config, files, env, dispatcher, broken.contains(BreakRules.LOAD_TRUNCATED_AOF_SILENTLY));
  }

  /** The host's way to the master (RedisNode: the kernel's network). */
  public void masterLink(MasterLink link) {
    this.masterLink = link;
  }

  public Replication replicationState() {
    return replication;
  }

  @Override
  public Replication replication() {
    return replication;
  }

  /** getRandomHexChars(CONFIG_RUN_ID_SIZE). */
  private static String randomHex(RedisEnv env) {
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) sb.append(Character.forDigit(env.randomInt(16), 16));
    return sb.toString();
  }

  public String runId() {
    return runId;
  }

  public String replId() {
    return replId;
  }

  /** A new connection (createClient) from {@code addr}: its state, with the next client id. */
  public ClientState connect(String addr) {
    return dispatcher.connect(addr);
  }

  /** The connection closed (freeClient): unwatched, unsubscribed, unblocked. */
  public void disconnect(ClientState c) {
    replication.disconnected(c);
    dispatcher.disconnect(c);
  }

  int connectedClients() {
    return dispatcher.clients().size();
  }

  /**
   * The clients with reply bytes waiting in {@link ClientState#out} since the last call, in the order they got
   * them (handleClientsWithPendingWrites): replies, pub/sub messages, replies to clients unblocked by someone
   * else's write. The host sends and clears them after {@link #beforeSleep}.
   */
  public List<ClientState> takePendingWrites() {
    return dispatcher.takePendingWrites();
  }

  @Override
  public long randomLong() {
    return ((long) env.randomInt(1 << 30) << 34) ^ ((long) env.randomInt(1 << 30) << 4) ^ env.randomInt(16);
  }

  @Override
  public RedisConfig config() {
    return config;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  @Override
  public long nowMs() {
    return env.nowMs();
  }

  public long dirty() {
    return dispatcher.dirty();
  }

  long startedMs() {
    return startedMs;
  }

  Dispatcher dispatcher() {
    return dispatcher;
  }

  ForkedChildren children() {
    return children;
  }

  /** What start() loaded, in words ("appendonly.aof.1.base.rdb + appendonly.aof.1.incr.aof (12 keys, ...)"). */
  public String loadedFrom() {
    return loaded.describe();
  }

  /**
   * loadDataFromDisk, then aofOpenIfNeededOnServerStart. Throws RdbException or AofException, leaving the
   * directory untouched, when the files must not be loaded; an I/O error escapes as it is. Redis exits in
   * both cases.
   */
  public void start() {
    if (config.configfile != null) RedisConfigFile.load(files, config); // loadServerConfig, before anything else
    children.startedAt(env.nowMs());
    loaded = loader().load();
    if (config.replicaofHost != null) replication.setMaster(config.replicaofHost, config.replicaofPort, false);
    if (!config.appendonly) return;
    aof = newAof(AppendOnlyFile.loadManifest(config, files));
    if (aof.manifest().isEmpty()) {
      aof.createFirstBase(children.baseContents(keyspace), env.nowMs());
      env.point("redis.aof.base", "Creating AOF base file " + aof.manifest().base().file() + " on server start ("
          + keyspace.totalKeys() + " keys)", "file", aof.manifest().base().file(), "keys", keyspace.totalKeys());
    } else {
      aof.openIncrOnStart(env.nowMs());
    }
    dispatcher.propagateTo(op -> aof.feed(op.db(), op.argv()));
  }

  private AppendOnlyFile newAof(AofManifest manifest) {
    AppendOnlyFile a = new AppendOnlyFile(config, files, env, durability, manifest);
    if (broken.contains(BreakRules.ALWAYS_ACKS_BEFORE_FSYNC)) a.breakAlwaysAcksBeforeFsync();
    return a;
  }

  /** BGREWRITEAOF with appendonly no still writes appendonlydir (7.0), through a detached AOF. */
  private AppendOnlyFile aofForRewrite() {
    return aof != null ? aof : newAof(AppendOnlyFile.loadManifest(config, files));
  }

  /** processCommand and call; the reply goes to {@code c.out} (and others' pushes to theirs). */
  public void execute(ClientState c, List<String> argv) {
    long offset = replication.offset();
    dispatcher.execute(c, argv);
    if (replication.offset() != offset) c.woff = replication.offset(); // call(): the offset after its last write
  }

  /** The same, with {@code c}'s reply moved into {@code out} (benchmarks, tests). */
  public void execute(ClientState c, List<String> argv, RespOut out) {
    execute(c, argv);
    out.raw(c.out.array(), 0, c.out.length());
    c.out.clear();
  }

  /**
   * beforeSleep: flushAppendOnlyFile before any reply of this event-loop iteration is sent. Under
   * {@code always} it ends in a main-thread fsync the host must wait for ({@link Durability}). Throws
   * {@link sim.redis.host.RedisExit} when Redis exits.
   */
  public void beforeSleep() {
    dispatcher.handleBlockedClientsTimeout();
    replication.beforeSleep(); // processClientsWaitingReplicas, REPLCONF GETACK for a WAIT
    if (aof != null && config.appendonly) aof.flush(false, env.nowMs());
  }

  /** serverCron, hz times a second: active expire, children, save points, then (as the loop goes on) beforeSleep. */
  public void cron() {
    if (!isReplica()) activeExpireCycle();
    for (int i = 0; i < Keyspace.DATABASES; i++) keyspace.db(i).cron(100); // databasesCron: resize, rehash
    long now = env.nowMs();
    children.cron(now);
    replication.cron();
    if (!children.active()) {
      for (RedisConfig.SavePoint sp : config.savePoints) {
        if (dispatcher.dirty() >= sp.changes() && now - children.lastSaveMs() > sp.seconds() * 1000 && children.mayRetryBgsave(now)) {
          env.log(sp.changes() + " changes in " + sp.seconds() + " seconds. Saving...");
          children.bgsave();
          break;
        }
      }
    }
    beforeSleep();
  }

  /**
   * activeExpireCycle, slow cycle (expire.c, 7.0): per db, walk the expires dict from db->expires_cursor a
   * bucket at a time until 20 keys are sampled (or 400 buckets seen), deleting the expired ones; repeat while
   * more than 10% of the sampled keys had expired. A sparse table (under 1% full) is skipped.
   */
  private void activeExpireCycle() {
    long now = env.nowMs();
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db db = keyspace.db(i);
      for (int iteration = 0; iteration < 16; iteration++) {
        long num = db.expiresSize();
        if (num == 0) {
          db.expiresCursor = 0;
          break;
        }
        long slots = db.expiresSlots();
        if (slots > 4 && num * 100 / slots < 1) break;
        num = Math.min(num, 20);
        long maxBuckets = num * 20;
        long checked = 0;
        int sampled = 0;
        int expired = 0;
        long cursor = db.expiresCursor;
        List<String> due = new ArrayList<>();
        do {
          due.clear();
          int[] seen = {0};
          cursor = db.scanExpires(cursor, (key, at) -> {
            seen[0]++;
            if (at <= now) due.add(key);
          });
          sampled += seen[0];
          checked++;
          for (String key : due) {
            dispatcher.deleteExpired(db, key);
            expired++;
          }
        } while (sampled < num && checked < maxBuckets && cursor != 0);
        db.expiresCursor = cursor;
        if (sampled == 0 || expired * 100 / sampled <= 10) break;
      }
    }
  }

  /** writeCommandsDeniedByDiskError: the MISCONF errors Redis answers writes with while it cannot persist. */
  private String writeRefusal() {
    if (!config.savePoints.isEmpty() && !children.lastBgsaveOk()) {
      return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands "
          + "that may modify the data set are disabled, because this instance is configured to report errors during "
          + "writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for "
          + "details about the RDB error.";
    }
    String aofError = aof == null ? null : aof.writeError();
    return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
  }

  // ---- Persistence, for the commands -------------------------------------------------------------------

  @Override
  public Persistence persistence() {
    return this;
  }

  @Override
  public boolean childActive() {
    return children.active();
  }

  @Override
  public boolean rdbChildActive() {
    return children.active(ForkedChildren.ChildKind.RDB);
  }

  @Override
  public boolean aofChildActive() {
    return children.active(ForkedChildren.ChildKind.AOF);
  }

  @Override
  public void rdbSave(Consumer<Boolean> done) {
    children.rdbSave(done);
  }

  @Override
  public void bgsave() {
    children.bgsave();
  }

  @Override
  public void scheduleBgsave() {
    children.scheduleBgsave();
  }

  @Override
  public void bgrewriteaof() {
    children.bgrewriteaof();
  }

  @Override
  public void scheduleAofRewrite() {
    children.scheduleAofRewrite();
  }

  @Override
  public long lastSaveMs() {
    return children.lastSaveMs();
  }

  @Override
  public void afterFlushAll() {
    children.afterFlushAll();
  }

  /**
   * prepareForShutdown (SHUTDOWN, or SIGTERM at the edge): a running child is killed, the AOF is written and
   * fsynced, and an RDB is saved when save points are configured (or SAVE is given) unless NOSAVE.
   */
  @Override
  public void shutdown(boolean save, boolean nosave) {
    children.abandon();
    if (aof != null && config.appendonly) aof.flushAndFsyncForShutdown(env.nowMs());
    if (!nosave && (save || !config.savePoints.isEmpty())) children.rdbSave(ok -> { });
    shutdownRequested = true;
    env.log("Redis is now ready to exit, bye bye...");
  }

  /** True once SHUTDOWN ran: the host should close connections and exit. */
  public boolean shutdownRequested() {
    return shutdownRequested;
  }

  public AppendOnlyFile aof() {
    return aof;
  }

  RedisFiles files() {
    return files;
  }

  DataLoader.Loaded loaded() {
    return loaded;
  }

  /** CONFIG REWRITE: redis.conf rewritten (temp, fsync, rename) with the current master, or the I/O error's text. */
  @Override
  public String configRewrite() {
    String master = replication.masterAddress();
    String host = master == null ? null : master.substring(0, master.lastIndexOf(':'));
    int port = master == null ? 0 : Integer.parseInt(master.substring(master.lastIndexOf(':') + 1));
    String content;
    try {
      content = RedisConfigFile.rewrite(files, config, host, port);
    } catch (RuntimeException e) {
      env.log("CONFIG REWRITE failed: " + e.getMessage());
      return strerror(e.getMessage());
    }
    String role = master == null ? "no replicaof (a master)" : "replicaof " + host + " " + port;
    env.point("redis.config.rewrite", "CONFIG REWRITE executed with success: " + config.configfile + " says " + role + " ("
        + content.split("\n").length + " lines, written to " + RedisConfigFile.tempName(config) + ", fsynced, renamed)",
        "file", config.configfile, "replicaof", master == null ? "" : host + " " + port);
    return null;
  }

  /** strerror(errno) for the errors the disk reports ("EIO: fsync failed on ..."), else the message itself. */
  private static String strerror(String message) {
    String m = String.valueOf(message);
    if (m.startsWith("EIO")) return "Input/output error";
    if (m.startsWith("ENOSPC")) return "No space left on device";
    if (m.startsWith("ENOENT")) return "No such file or directory";
    return m;
  }

  @Override
  public String info(List<String> sections) {
    return info.render(sections);
  }

  @Override
  public String toString() {
    return "redis keys=" + keyspace.totalKeys() + " dirty=" + dispatcher.dirty() + children.describe()
        + (aof != null ? " aof=" + aof.manifest().format().trim().replace('\n', ';') + " unsynced=" + aof.unsyncedBytes() + "B" : "");
  }
}
