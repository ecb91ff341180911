package sim.redis.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.redis.aof.AofCommandReader;
import sim.redis.aof.AofException;
import sim.redis.aof.AofManifest;
import sim.redis.aof.AofRewriter;
import sim.redis.aof.AppendOnlyFile;
import sim.redis.command.Call;
import sim.redis.command.Command;
import sim.redis.command.CommandTable;
import sim.redis.command.Errors;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RedisObject;
import sim.redis.rdb.RdbException;
import sim.redis.rdb.RdbReader;
import sim.redis.rdb.RdbWriter;
import sim.redis.resp.RespOut;

/**
 * The server (server.c): keyspace, command dispatch with MULTI/EXEC, propagation to the AOF, the fork
 * model for BGSAVE and BGREWRITEAOF, serverCron and beforeSleep. It touches the world only through
 * {@link RedisEnv} (clock, randomness, trace points) and {@link RedisFiles} (the data directory), so the
 * same code runs deterministically in the simulation and behind the real TCP adapter.
 */
public final class RedisServer {
  /** A forked child serializing the snapshot it was given at fork time. */
  private record Child(String kind, int pid, String tempFile, long doneAtMs, long dirtyAtFork) {}

  private final RedisConfig config;
  private final RedisFiles files;
  private final RedisEnv env;
  private final CommandTable table = new CommandTable();
  private Keyspace keyspace = new Keyspace();
  private AppendOnlyFile aof;
  private final List<Object[]> alsoPropagate = new ArrayList<>(); // {db, argv}
  private int callDepth;

  private long dirty;
  private long lastSaveMs;
  private String lastBgsaveStatus = "ok";
  private String lastRewriteStatus = "ok";
  private long rdbSaves;
  private long aofRewrites;
  private long expiredKeys;
  private boolean loading;
  private Child child;
  private boolean bgsaveScheduled;
  private boolean aofRewriteScheduled;
  private int nextPid = 1001;
  private final int pid = 1000;
  private String loadedFrom = "nothing";
  private boolean shutdownRequested;
  private String aofWriteError;
  private long lastBgsaveTryMs;

  public RedisServer(RedisConfig config, RedisFiles files, RedisEnv env) {
    this.config = config;
    this.files = files;
    this.env = env;
  }

  public RedisConfig config() {
    return config;
  }

  public Keyspace keyspace() {
    return keyspace;
  }

  public long nowMs() {
    return env.nowMs();
  }

  public boolean isLoading() {
    return loading;
  }

  public void addDirty(long n) {
    dirty += n;
  }

  public long dirty() {
    return dirty;
  }

  public String loadedFrom() {
    return loadedFrom;
  }

  // ---- startup: loadDataFromDisk ------------------------------------------------------------------------

  /**
   * Loads the dataset like Redis at startup: from the AOF when appendonly is on (the RDB is ignored), else
   * from the RDB. Throws RdbException or AofException, leaving the directory untouched, when the files
   * must not be loaded; Redis exits in that case.
   */
  public void start() {
    lastSaveMs = env.nowMs();
    loading = true;
    try {
      if (config.appendonly) loadAof();
      else loadRdb();
    } finally {
      loading = false;
    }
    if (config.appendonly) openAofOnStart();
  }

  private void loadRdb() {
    if (!files.exists(config.dbfilename)) return;
    byte[] data = files.readAll(config.dbfilename);
    RdbReader.Result r = RdbReader.read(data, config.dbfilename);
    long now = env.nowMs();
    int expired = 0;
    for (int i = 0; i < Keyspace.DATABASES; i++) { // a master skips keys already expired in the RDB
      Db db = r.keyspace().db(i);
      for (String key : db.keys()) {
        long at = db.expireAtMs(key);
        if (at >= 0 && at < now) {
          db.delete(key);
          expired++;
        }
      }
    }
    keyspace = r.keyspace();
    loadedFrom = "rdb " + config.dbfilename + " (" + keyspace.totalKeys() + " keys, " + expired + " expired skipped)";
    env.log("DB loaded from disk: " + loadedFrom);
  }

  private void loadAof() {
    AofManifest m = AppendOnlyFile.loadManifest(config, files);
    if (m.isEmpty()) return;
    List<AofManifest.Entry> parts = new ArrayList<>();
    if (m.base() != null) parts.add(m.base());
    parts.addAll(m.incrs());
    ClientState fake = new ClientState("aof-loader");
    long commands = 0;
    for (int i = 0; i < parts.size(); i++) {
      String path = config.appenddirname + "/" + parts.get(i).file();
      boolean last = i == parts.size() - 1;
      if (!files.exists(path)) throw new AofException("The AOF file " + parts.get(i).file() + " doesn't exist");
      commands += loadAofFile(path, parts.get(i).file(), last, fake);
    }
    if (fake.inMulti) fake.resetMulti();
    loadedFrom = "aof " + m.format().trim().replace('\n', ';') + " (" + commands + " commands, " + keyspace.totalKeys() + " keys)";
    env.log("DB loaded from append only file: " + loadedFrom);
  }

  private long loadAofFile(String path, String name, boolean last, ClientState fake) {
    byte[] data = files.readAll(path);
    int offset = 0;
    if (RdbReader.looksLikeRdb(data)) {
      env.log("Reading RDB base file on AOF loading...");
      RdbReader.Result r = RdbReader.read(data, name);
      mergeInto(r.keyspace());
      offset = (int) r.bytesRead();
    }
    AofCommandReader.Parsed parsed = AofCommandReader.parse(data, offset);
    if (parsed.formatError() != null) {
      throw new AofException("Bad file format reading the append only file " + name + ": make a backup of your AOF file, "
          + "then use ./redis-check-aof --fix <filename.manifest> (" + parsed.formatError() + ")");
    }
    if (parsed.truncated()) {
      if (!last) throw new AofException("Fatal error: the truncated file is not the last file (" + name + ")");
      if (!config.aofLoadTruncated) {
        throw new AofException("Unexpected end of file reading the append only file " + name + ". You can: 1) Make a "
            + "backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set "
            + "the 'aof-load-truncated' configuration option to yes and restart the server.");
      }
      env.log("!!! Warning: short read while loading the AOF file " + name + "!!!");
      env.log("!!! Truncating the AOF " + name + " at offset " + parsed.validUpTo() + " !!!");
      files.truncate(path, parsed.validUpTo());
      files.fsync(path);
      env.log("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
    }
    RespOut sink = new RespOut();
    for (List<String> argv : parsed.commands()) {
      Command cmd = table.lookup(argv.get(0));
      if (cmd == null) throw new AofException("Unknown command '" + argv.get(0) + "' reading the append only file " + name);
      if (!cmd.arityOk(argv.size())) throw new AofException("Wrong arity for command '" + argv.get(0) + "' reading the append only file " + name);
      sink.clear();
      execute(fake, argv, sink);
      if (sink.length() > 0 && sink.array()[0] == '-') {
        env.log("AOF " + name + ": command " + argv.get(0) + " replied " + sink.toString().trim());
      }
    }
    return parsed.commands().size();
  }

  private void mergeInto(Keyspace loaded) {
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db from = loaded.db(i);
      Db to = keyspace.db(i);
      for (Map.Entry<String, RedisObject> e : from.dict().entrySet()) {
        to.put(e.getKey(), e.getValue());
        long at = from.expireAtMs(e.getKey());
        if (at >= 0) to.setExpire(e.getKey(), at);
      }
    }
  }

  private void openAofOnStart() {
    AofManifest m = AppendOnlyFile.loadManifest(config, files);
    aof = new AppendOnlyFile(config, files, m);
    if (m.base() == null && m.incrs().isEmpty()) {
      aof.createFirstBase(baseContents(keyspace), env.nowMs());
      env.point("redis.aof.base", "created " + aof.manifest().base().file() + " for the " + keyspace.totalKeys() + "-key dataset");
    } else {
      aof.openIncrOnStart(env.nowMs());
    }
  }

  private byte[] baseContents(Keyspace ks) {
    if (config.aofUseRdbPreamble) return RdbWriter.write(ks, env.nowMs() / 1000, true, config.rdbcompression, config.rdbchecksum);
    return AofRewriter.commands(ks);
  }

  // ---- command execution ---------------------------------------------------------------------------------

  /** processCommand: lookup, arity, MULTI queueing, then call. Replies go to {@code out}. */
  public void execute(ClientState c, List<String> argv, RespOut out) {
    if (argv.isEmpty()) return;
    String name = argv.get(0);
    Command cmd = table.lookup(name);
    if (cmd == null) {
      out.error(Errors.unknownCommand(argv));
      if (c.inMulti) c.dirtyExec = true;
      return;
    }
    if (!cmd.arityOk(argv.size())) {
      out.error(Errors.arity(cmd.name()));
      if (c.inMulti) c.dirtyExec = true;
      return;
    }
    switch (cmd.name()) {
      case "multi" -> {
        if (c.inMulti) {
          out.error("ERR MULTI calls can not be nested");
        } else {
          c.inMulti = true;
          out.ok();
        }
        return;
      }
      case "exec" -> {
        exec(c, out);
        return;
      }
      case "discard" -> {
        if (!c.inMulti) {
          out.error("ERR DISCARD without MULTI");
        } else {
          c.resetMulti();
          out.ok();
        }
        return;
      }
      default -> { }
    }
    if (cmd.write() && !loading) {
      String refuse = writeRefusal();
      if (refuse != null) {
        out.error(refuse);
        if (c.inMulti) c.dirtyExec = true;
        return;
      }
    }
    if (c.inMulti) {
      c.queued.add(argv);
      out.simple("QUEUED");
      return;
    }
    call(c, cmd, argv, out);
  }

  private void exec(ClientState c, RespOut out) {
    if (!c.inMulti) {
      out.error("ERR EXEC without MULTI");
      return;
    }
    if (c.dirtyExec) {
      out.error(Errors.EXECABORT);
      c.resetMulti();
      return;
    }
    List<List<String>> queued = new ArrayList<>(c.queued);
    c.resetMulti();
    out.arrayHeader(queued.size());
    callDepth++;
    try {
      for (List<String> argv : queued) call(c, table.lookup(argv.get(0)), argv, out);
    } finally {
      callDepth--;
    }
    propagatePending();
  }

  private void call(ClientState c, Command cmd, List<String> argv, RespOut out) {
    long before = dirty;
    Call call = new Call(this, c, cmd, argv, out);
    callDepth++;
    try {
      cmd.handler().run(call);
    } finally {
      callDepth--;
    }
    if (dirty > before && !loading && aof != null) alsoPropagate.add(new Object[] {c.db(), call.propagated()});
    if (callDepth == 0) propagatePending();
  }

  /** propagatePendingCommands: more than one op from one call is wrapped in MULTI/EXEC. */
  private void propagatePending() {
    if (alsoPropagate.isEmpty()) return;
    if (aof != null) {
      boolean wrap = alsoPropagate.size() > 1;
      if (wrap) aof.feed((Integer) alsoPropagate.get(0)[0], List.of("MULTI")); // MULTI carries the first op's db
      for (Object[] op : alsoPropagate) {
        @SuppressWarnings("unchecked")
        List<String> argv = (List<String>) op[1];
        aof.feed((Integer) op[0], argv);
      }
      if (wrap) aof.feed(-1, List.of("EXEC"));
    }
    alsoPropagate.clear();
  }

  /** lookupKey with expireIfNeeded: an expired key is deleted and a DEL is propagated. */
  public RedisObject lookup(Db db, String key) {
    RedisObject o = db.get(key);
    if (o == null || loading) return o;
    long at = db.expireAtMs(key);
    if (at < 0 || at > env.nowMs()) return o;
    deleteExpired(db, key);
    return null;
  }

  private void deleteExpired(Db db, String key) {
    db.delete(key);
    expiredKeys++;
    if (aof != null) alsoPropagate.add(new Object[] {db.id, List.of("DEL", key)});
    if (callDepth == 0) propagatePending();
  }

  // ---- the event loop hooks ------------------------------------------------------------------------------

  /**
   * beforeSleep: flush the AOF buffer (and fsync per policy) before any reply of this batch is sent. Returns
   * true when the main thread itself fsynced (appendfsync always), i.e. when it blocked on the disk.
   */
  public boolean beforeSleep() {
    if (aof == null || !config.appendonly) return false;
    int pending = aof.pendingBytes();
    AppendOnlyFile.FlushResult r;
    try {
      r = aof.flush(env.nowMs());
    } catch (RuntimeException e) { // EIO/ENOSPC from write or fsync
      if (config.appendfsync == RedisConfig.AppendFsync.ALWAYS) {
        throw new FatalError("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting... (" + e.getMessage() + ")");
      }
      if (aofWriteError == null) env.log("Error writing to the AOF file: " + e.getMessage());
      aofWriteError = e.getMessage();
      return false; // aof_buf keeps the unwritten commands; serverCron retries
    }
    if (aofWriteError != null) {
      env.log("AOF write error looks solved, Redis can write again.");
      aofWriteError = null;
    }
    boolean blocked = r.fsynced() && config.appendfsync == RedisConfig.AppendFsync.ALWAYS;
    if (!env.pointsEnabled()) return blocked;
    if (pending > 0) env.point("redis.aof.write", r.bytesWritten() + "B to " + aof.manifest().lastIncr());
    if (r.fsynced()) env.point("redis.aof.fsync", r.reason());
    return blocked;
  }


  /** serverCron, hz times a second: active expire, children, save points, scheduled rewrites, AOF fsync. */
  public void cron() {
    activeExpireCycle();
    long now = env.nowMs();
    if (child != null && now >= child.doneAtMs()) finishChild();
    if (child == null && aofRewriteScheduled) {
      aofRewriteScheduled = false;
      bgrewriteaof();
    }
    if (child == null && bgsaveScheduled) {
      bgsaveScheduled = false;
      bgsave();
    }
    if (child == null) {
      for (RedisConfig.SavePoint sp : config.savePoints) {
        boolean mayRetry = lastBgsaveStatus.equals("ok") || now - lastBgsaveTryMs > 5000; // CONFIG_BGSAVE_RETRY_DELAY
        if (dirty >= sp.changes() && now - lastSaveMs > sp.seconds() * 1000 && mayRetry) {
          env.log(sp.changes() + " changes in " + sp.seconds() + " seconds. Saving...");
          bgsave();
          break;
        }
      }
    }
    beforeSleep();
  }

  /** activeExpireCycle (slow cycle): sample 20 volatile keys per db, repeat while over 10% were expired. */
  private void activeExpireCycle() {
    long now = env.nowMs();
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db db = keyspace.db(i);
      for (int iteration = 0; iteration < 16 && db.expiresSize() > 0; iteration++) {
        int sampled = Math.min(20, db.expiresSize());
        int expired = 0;
        for (int s = 0; s < sampled && db.expiresSize() > 0; s++) {
          String key = db.expireKeyAt(env.randomInt(db.expiresSize()));
          if (db.expireAtMs(key) <= now) {
            deleteExpired(db, key);
            expired++;
          }
        }
        if (expired <= sampled / 10) break;
      }
    }
  }

  // ---- RDB -----------------------------------------------------------------------------------------------

  public boolean childActive() {
    return child != null;
  }

  public boolean rdbChildActive() {
    return child != null && child.kind().equals("rdb");
  }

  public boolean aofChildActive() {
    return child != null && child.kind().equals("aof");
  }

  public long lastSaveMs() {
    return lastSaveMs;
  }

  public void scheduleBgsave() {
    bgsaveScheduled = true;
  }

  public void scheduleAofRewrite() {
    aofRewriteScheduled = true;
  }

  /** SAVE: rdbSave in the foreground, temp file + fsync + rename. False (temp file removed) on an I/O error. */
  public boolean rdbSave() {
    String temp = "temp-" + pid + ".rdb";
    try {
      writeFile(temp, RdbWriter.write(keyspace, env.nowMs() / 1000, false, config.rdbcompression, config.rdbchecksum));
      files.fsync(temp);
      files.rename(temp, config.dbfilename);
    } catch (RuntimeException e) {
      env.log("Failed saving the DB: " + e.getMessage());
      if (files.exists(temp)) files.delete(temp);
      return false;
    }
    dirty = 0;
    lastSaveMs = env.nowMs();
    rdbSaves++;
    env.point("redis.rdb.save", "DB saved on disk: " + config.dbfilename + " (" + keyspace.totalKeys() + " keys)");
    return true;
  }

  /** FLUSHALL with save points configured also saves (an empty) RDB, as Redis does. */
  public void afterFlushAll() {
    if (config.savePoints.isEmpty() || child != null) return;
    rdbSave();
    dirty++; // the FLUSHALL itself is propagated
  }

  /**
   * BGSAVE: fork. The child gets the keyspace as it is at this instant (copy-on-write, modelled as an eager
   * deep copy) and writes temp-<pid>.rdb; writes after the fork are not in the snapshot.
   */
  public void bgsave() {
    int childPid = nextPid++;
    Keyspace snapshot = keyspace.snapshot();
    String temp = "temp-" + childPid + ".rdb";
    lastBgsaveTryMs = env.nowMs();
    try {
      writeFile(temp, RdbWriter.write(snapshot, env.nowMs() / 1000, false, config.rdbcompression, config.rdbchecksum));
    } catch (RuntimeException e) { // the child dies writing: the save fails, the parent keeps serving
      lastBgsaveStatus = "err";
      env.point("redis.rdb.failed", "Background saving error: " + e.getMessage());
      return;
    }
    child = new Child("rdb", childPid, temp, env.nowMs() + childMs(snapshot), dirty);
    env.point("redis.rdb.fork", "Background saving started by pid " + childPid + " (" + snapshot.totalKeys() + " keys in the snapshot)");
  }

  /** BGREWRITEAOF: open a new incr file now, fork a child that writes the new base from the snapshot. */
  public void bgrewriteaof() {
    int childPid = nextPid++;
    if (aof == null) aof = new AppendOnlyFile(config, files, AppendOnlyFile.loadManifest(config, files));
    Keyspace snapshot = keyspace.snapshot();
    String temp = "temp-rewriteaof-bg-" + childPid + ".aof";
    try {
      if (config.appendonly) aof.openNewIncrForRewrite(env.nowMs());
      writeFile(temp, baseContents(snapshot));
    } catch (RuntimeException e) {
      lastRewriteStatus = "err";
      env.point("redis.aof.rewrite.failed", "Background AOF rewrite failed: " + e.getMessage());
      return;
    }
    child = new Child("aof", childPid, temp, env.nowMs() + childMs(snapshot), dirty);
    env.point("redis.aof.rewrite.fork", "Background append only file rewriting started by pid " + childPid
        + "; new writes go to " + aof.manifest().lastIncr());
  }

  private long childMs(Keyspace snapshot) {
    return config.childBaseMs + snapshot.totalKeys() * config.childMillisPer1000Keys / 1000;
  }

  /** writeCommandsDeniedByDiskError: the MISCONF errors Redis answers writes with while it cannot persist. */
  private String writeRefusal() {
    if (aofWriteError != null) return "MISCONF Errors writing to the AOF file: " + aofWriteError;
    if (!config.savePoints.isEmpty() && lastBgsaveStatus.equals("err")) {
      return "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands "
          + "that may modify the data set are disabled, because this instance is configured to report errors during "
          + "writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for "
          + "details about the RDB error.";
    }
    return null;
  }

  /** Redis exits (exit(1)); the host must stop serving this incarnation. */
  public static final class FatalError extends RuntimeException {
    public FatalError(String message) {
      super(message);
    }
  }

  private void finishChild() {
    Child done = child;
    child = null;
    try {
      finishChild(done);
    } catch (RuntimeException e) { // the child's write, fsync or rename failed: the save failed
      files.delete(done.tempFile());
      if (done.kind().equals("rdb")) lastBgsaveStatus = "err";
      else lastRewriteStatus = "err";
      env.point(done.kind().equals("rdb") ? "redis.rdb.failed" : "redis.aof.rewrite.failed", "Background saving error: " + e.getMessage());
    }
  }

  private void finishChild(Child done) {
    if (done.kind().equals("rdb")) {
      files.fsync(done.tempFile());
      files.rename(done.tempFile(), config.dbfilename);
      dirty -= done.dirtyAtFork();
      lastSaveMs = env.nowMs();
      lastBgsaveStatus = "ok";
      rdbSaves++;
      env.point("redis.rdb.done", "Background saving terminated with success (pid " + done.pid() + ")");
    } else {
      files.fsync(done.tempFile());
      aof.finishRewrite(done.tempFile());
      if (!config.appendonly) aof = null;
      lastRewriteStatus = "ok";
      aofRewrites++;
      env.point("redis.aof.rewrite.done", "Background AOF rewrite finished successfully (pid " + done.pid() + ")");
    }
  }

  private void writeFile(String name, byte[] data) {
    files.create(name);
    files.append(name, data);
  }

  /**
   * prepareForShutdown (SHUTDOWN, or SIGTERM at the edge): a running child is abandoned, the AOF is flushed
   * and fsynced, and an RDB is saved when save points are configured (or SAVE is given) unless NOSAVE.
   */
  public void shutdown(boolean save, boolean nosave) {
    if (child != null) {
      files.delete(child.tempFile());
      child = null;
    }
    if (aof != null && config.appendonly) {
      aof.flush(env.nowMs());
      aof.fsyncNow();
    }
    if (!nosave && (save || !config.savePoints.isEmpty())) rdbSave();
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

  /** INFO persistence: Redis 7.0's fields in its order (fork and copy-on-write figures are 0, not modelled). */
  public String infoPersistence() {
    StringBuilder sb = new StringBuilder("# Persistence\r\n");
    line(sb, "loading", loading ? 1 : 0);
    line(sb, "async_loading", 0);
    for (String f : List.of("current_cow_peak", "current_cow_size", "current_cow_size_age")) line(sb, f, 0);
    line(sb, "current_fork_perc", "0.00");
    line(sb, "current_save_keys_processed", 0);
    line(sb, "current_save_keys_total", 0);
    line(sb, "rdb_changes_since_last_save", dirty);
    line(sb, "rdb_bgsave_in_progress", rdbChildActive() ? 1 : 0);
    line(sb, "rdb_last_save_time", lastSaveMs / 1000);
    line(sb, "rdb_last_bgsave_status", lastBgsaveStatus);
    line(sb, "rdb_last_bgsave_time_sec", -1);
    line(sb, "rdb_current_bgsave_time_sec", rdbChildActive() ? (env.nowMs() - lastBgsaveTryMs) / 1000 : -1);
    line(sb, "rdb_saves", rdbSaves);
    line(sb, "rdb_last_cow_size", 0);
    line(sb, "rdb_last_load_keys_expired", 0);
    line(sb, "rdb_last_load_keys_loaded", 0);
    line(sb, "aof_enabled", config.appendonly ? 1 : 0);
    line(sb, "aof_rewrite_in_progress", aofChildActive() ? 1 : 0);
    line(sb, "aof_rewrite_scheduled", aofRewriteScheduled ? 1 : 0);
    line(sb, "aof_last_rewrite_time_sec", -1);
    line(sb, "aof_current_rewrite_time_sec", -1);
    line(sb, "aof_last_bgrewrite_status", lastRewriteStatus);
    line(sb, "aof_rewrites", aofRewrites);
    line(sb, "aof_rewrites_consecutive_failures", 0);
    line(sb, "aof_last_write_status", aofWriteError == null ? "ok" : "err");
    line(sb, "aof_last_cow_size", 0);
    line(sb, "module_fork_in_progress", 0);
    line(sb, "module_fork_last_cow_size", 0);
    if (aof != null && config.appendonly) {
      AofManifest m = aof.manifest();
      long base = m.base() == null ? 0 : sizeOf(aof.path(m.base().file()));
      long total = base;
      for (AofManifest.Entry e : m.incrs()) total += sizeOf(aof.path(e.file()));
      line(sb, "aof_current_size", total + aof.pendingBytes());
      line(sb, "aof_base_size", base);
      line(sb, "aof_pending_rewrite", 0);
      line(sb, "aof_buffer_length", aof.pendingBytes());
      line(sb, "aof_pending_bio_fsync", 0);
      line(sb, "aof_delayed_fsync", 0);
    }
    return sb.toString();
  }

  private long sizeOf(String path) {
    return files.exists(path) ? files.size(path) : 0;
  }

  private static void line(StringBuilder sb, String k, Object v) {
    sb.append(k).append(':').append(v).append("\r\n");
  }

  @Override
  public String toString() {
    return "redis keys=" + keyspace.totalKeys() + " dirty=" + dirty + (child != null ? " child=" + child.kind() + ":" + child.pid() : "")
        + (aof != null ? " aof=" + aof.manifest().format().trim().replace('\n', ';') + " unsynced=" + aof.unsyncedBytes() + "B" : "");
  }
}
