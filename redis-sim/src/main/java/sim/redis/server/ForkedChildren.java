package sim.redis.server;

import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import sim.redis.aof.AppendOnlyFile;
import sim.redis.aof.AofRewriter;
import sim.redis.command.Dispatcher;
import sim.redis.config.RedisConfig;
import sim.redis.host.Durability;
import sim.redis.host.RedisEnv;
import sim.redis.host.RedisFiles;
import sim.redis.keyspace.Keyspace;
import sim.redis.rdb.RdbWriter;

/**
 * The fork model (rdb.c, aof.c, childinfo.c): BGSAVE and BGREWRITEAOF children and the foreground SAVE.
 * At the fork the child gets the keyspace as it is at that instant (copy-on-write, modelled as an eager deep
 * copy) and writes its temp file; it "runs" for {@code childBaseMs} plus a per-key cost, then fsyncs (a
 * process of its own: the parent keeps serving) and renames. The parent's done handlers
 * (backgroundSaveDoneHandler, backgroundRewriteDoneHandler) update the status INFO reports.
 */
final class ForkedChildren {
  /** server.child_type. */
  enum ChildKind {
    RDB, AOF;

    String point() {
      return this == RDB ? "redis.rdb" : "redis.aof.rewrite";
    }
  }

  /** A forked child serializing the snapshot it was given at fork time. */
  private record Child(ChildKind kind, int pid, String tempFile, long startMs, long doneAtMs, long dirtyAtFork) {}

  private final RedisConfig config;
  private final RedisFiles files;
  private final RedisEnv env;
  private final Durability durability;
  private final Keyspace keyspace;
  private final Dispatcher dispatcher;
  private final Supplier<AppendOnlyFile> aof;
  private final boolean renameBeforeFsync; // --break redis.rdb-rename-before-fsync
  private final int pid = 1000;
  private int nextPid = 1001;

  private Child child;
  private boolean childSyncing; // the child finished writing and is in fsync
  private boolean bgsaveScheduled;
  private boolean aofRewriteScheduled;
  private long lastSaveMs;
  private boolean lastBgsaveOk = true;
  private boolean lastRewriteOk = true;
  private long lastBgsaveTryMs;
  private long rdbSaves;
  private long aofRewrites;
  private long rdbLastBgsaveTimeSec = -1;
  private long aofLastRewriteTimeSec = -1;

  ForkedChildren(RedisConfig config, RedisFiles files, RedisEnv env, Durability durability, Keyspace keyspace,
      Dispatcher dispatcher, Supplier<AppendOnlyFile> aof, boolean renameBeforeFsync) {
    this.config = config;
    this.files = files;
    this.env = env;
    this.durability = durability;
    this.keyspace = keyspace;
    this.dispatcher = dispatcher;
    this.aof = aof;
    this.renameBeforeFsync = renameBeforeFsync;
  }

  void startedAt(long nowMs) {
    lastSaveMs = nowMs;
  }

  boolean active() {
    return child != null;
  }

  boolean active(ChildKind kind) {
    return child != null && child.kind() == kind;
  }

  long lastSaveMs() {
    return lastSaveMs;
  }

  boolean lastBgsaveOk() {
    return lastBgsaveOk;
  }

  boolean lastRewriteOk() {
    return lastRewriteOk;
  }

  long lastBgsaveTryMs() {
    return lastBgsaveTryMs;
  }

  long rdbSaves() {
    return rdbSaves;
  }

  long aofRewrites() {
    return aofRewrites;
  }

  long rdbLastBgsaveTimeSec() {
    return rdbLastBgsaveTimeSec;
  }

  long aofLastRewriteTimeSec() {
    return aofLastRewriteTimeSec;
  }

  /** Seconds the running child of {@code kind} has been at it, or -1. */
  long currentSec(ChildKind kind, long nowMs) {
    return active(kind) ? (nowMs - child.startMs()) / 1000 : -1;
  }

  boolean aofRewriteScheduled() {
    return aofRewriteScheduled;
  }

  void scheduleBgsave() {
    bgsaveScheduled = true;
  }

  void scheduleAofRewrite() {
    aofRewriteScheduled = true;
  }

  /** serverCron's part: reap a finished child, start what was scheduled. */
  void cron(long nowMs) {
    if (child != null && !childSyncing && nowMs >= child.doneAtMs()) childFinishedWriting();
    if (child == null && aofRewriteScheduled) {
      aofRewriteScheduled = false;
      bgrewriteaof();
    }
    if (child == null && bgsaveScheduled) {
      bgsaveScheduled = false;
      bgsave();
    }
  }

  /** True when serverCron may start a save-point BGSAVE: the last one succeeded, or CONFIG_BGSAVE_RETRY_DELAY passed. */
  boolean mayRetryBgsave(long nowMs) {
    return lastBgsaveOk || nowMs - lastBgsaveTryMs > 5000;
  }

  /** SAVE: rdbSave in the foreground; the main thread blocks in its fsync, then renames. */
  void rdbSave(Consumer<Boolean> done) {
    String temp = "temp-" + pid + ".rdb";
    try {
      writeFile(temp, rdb(keyspace));
    } catch (RuntimeException e) {
      saveFailed(temp, e.getMessage());
      done.accept(false);
      return;
    }
    long dirtyAtSave = dispatcher.dirty();
    if (renameBeforeFsync) {
      renamed(temp, dirtyAtSave);
      done.accept(true);
      return;
    }
    durability.fsyncInMainThread(java.util.List.of(temp), err -> {
      if (err != null) {
        saveFailed(temp, err);
        done.accept(false);
        return;
      }
      try {
        renamed(temp, dirtyAtSave);
      } catch (RuntimeException e) {
        saveFailed(temp, e.getMessage());
        done.accept(false);
        return;
      }
      done.accept(true);
    });
  }

  private void renamed(String temp, long dirtyAtSave) {
    files.rename(temp, config.dbfilename);
    dispatcher.subtractDirty(dirtyAtSave);
    lastSaveMs = env.nowMs();
    lastBgsaveOk = true;
    rdbSaves++;
    env.point("redis.rdb.save", "DB saved on disk: " + config.dbfilename + " (" + keyspace.totalKeys() + " keys)",
        "file", config.dbfilename, "keys", keyspace.totalKeys());
  }

  private void saveFailed(String temp, String error) {
    env.log("Failed saving the DB: " + error);
    if (files.exists(temp)) files.delete(temp);
  }

  /** FLUSHALL with save points configured also saves (an empty) RDB, as Redis does. */
  void afterFlushAll() {
    if (config.savePoints.isEmpty() || child != null) return;
    rdbSave(ok -> { });
    dispatcher.addDirty(1); // the FLUSHALL itself is still to be propagated and counted (server.dirty++)
  }

  /** BGSAVE: fork; the child writes temp-&lt;pid&gt;.rdb from the snapshot of this instant. */
  void bgsave() {
    int childPid = nextPid++;
    Keyspace snapshot = keyspace.snapshot();
    String temp = "temp-" + childPid + ".rdb";
    lastBgsaveTryMs = env.nowMs();
    try {
      writeFile(temp, rdb(snapshot));
    } catch (RuntimeException e) { // the child dies writing: the save fails, the parent keeps serving
      lastBgsaveOk = false;
      env.point("redis.rdb.failed", "Background saving error: " + e.getMessage(), "error", e.getMessage());
      return;
    }
    child = new Child(ChildKind.RDB, childPid, temp, env.nowMs(), env.nowMs() + childMs(snapshot), dispatcher.dirty());
    env.point("redis.rdb.fork", "Background saving started by pid " + childPid + " (" + snapshot.totalKeys()
        + " keys in the snapshot)", "pid", childPid, "keys", snapshot.totalKeys());
  }

  /** BGREWRITEAOF: the parent opens a new incr file now; the forked child writes the new base from the snapshot. */
  void bgrewriteaof() {
    int childPid = nextPid++;
    AppendOnlyFile live = aof.get();
    Keyspace snapshot = keyspace.snapshot();
    String temp = "temp-rewriteaof-bg-" + childPid + ".aof";
    try {
      if (config.appendonly) live.openNewIncrForRewrite(env.nowMs());
      writeFile(temp, baseContents(snapshot));
    } catch (RuntimeException e) {
      lastRewriteOk = false;
      env.point("redis.aof.rewrite.failed", "Background AOF rewrite failed: " + e.getMessage(), "error", e.getMessage());
      return;
    }
    child = new Child(ChildKind.AOF, childPid, temp, env.nowMs(), env.nowMs() + childMs(snapshot), dispatcher.dirty());
    String incr = config.appendonly ? live.manifest().lastIncr() : null;
    env.point("redis.aof.rewrite.fork", "Background append only file rewriting started by pid " + childPid
        + (incr != null ? "; new writes go to " + incr : "; appendonly is off, so no incr file is opened"),
        "pid", childPid, "keys", snapshot.totalKeys(), "incr", incr == null ? "" : incr);
  }

  byte[] baseContents(Keyspace ks) {
    if (config.aofUseRdbPreamble) return RdbWriter.write(ks, env.nowMs() / 1000, true, config.rdbcompression, config.rdbchecksum);
    return AofRewriter.commands(ks);
  }

  private byte[] rdb(Keyspace ks) {
    return RdbWriter.write(ks, env.nowMs() / 1000, false, config.rdbcompression, config.rdbchecksum);
  }

  private long childMs(Keyspace snapshot) {
    return config.childBaseMs + snapshot.totalKeys() * config.childMillisPer1000Keys / 1000;
  }

  /** The child has written its file: it fsyncs it (its own process, so the parent keeps serving). */
  private void childFinishedWriting() {
    Child done = child;
    if (done.kind() == ChildKind.RDB && renameBeforeFsync) {
      childDone(done, null);
      return;
    }
    childSyncing = true;
    durability.fsyncInBackground(done.tempFile(), err -> childDone(done, err));
  }

  /** The parent's done handler, once the child exited (successfully when {@code error} is null). */
  private void childDone(Child done, String error) {
    if (child != done) return; // abandoned meanwhile (SHUTDOWN)
    child = null;
    childSyncing = false;
    long tookSec = (env.nowMs() - done.startMs()) / 1000;
    if (done.kind() == ChildKind.RDB) rdbLastBgsaveTimeSec = tookSec;
    else aofLastRewriteTimeSec = tookSec;
    try {
      if (error != null) throw new IllegalStateException(error);
      if (done.kind() == ChildKind.RDB) rdbDone(done);
      else rewriteDone(done);
    } catch (RuntimeException e) { // the child's fsync or rename failed, or the parent's manifest swap
      if (files.exists(done.tempFile())) files.delete(done.tempFile());
      if (done.kind() == ChildKind.RDB) lastBgsaveOk = false;
      else lastRewriteOk = false;
      env.point(done.kind().point() + ".failed", "Background saving error: " + e.getMessage(), "pid", done.pid(), "error", e.getMessage());
    }
  }

  private void rdbDone(Child done) {
    files.rename(done.tempFile(), config.dbfilename);
    dispatcher.subtractDirty(done.dirtyAtFork());
    lastSaveMs = env.nowMs();
    lastBgsaveOk = true;
    rdbSaves++;
    env.point("redis.rdb.done", "Background saving terminated with success (pid " + done.pid() + ")", "pid", done.pid(),
        "file", config.dbfilename);
  }

  private void rewriteDone(Child done) {
    AppendOnlyFile live = aof.get();
    live.finishRewrite(done.tempFile());
    lastRewriteOk = true;
    aofRewrites++;
    env.point("redis.aof.rewrite.done", "Background AOF rewrite finished successfully (pid " + done.pid() + "); base "
        + live.manifest().base().file(), "pid", done.pid(), "base", live.manifest().base().file());
  }

  private void writeFile(String name, byte[] data) {
    files.create(name);
    files.append(name, data);
  }

  /** prepareForShutdown: a running child is killed and its temp file removed. */
  void abandon() {
    if (child == null) return;
    if (files.exists(child.tempFile())) files.delete(child.tempFile());
    child = null;
    childSyncing = false;
  }

  String describe() {
    return child == null ? "" : " child=" + child.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + child.pid();
  }
}
