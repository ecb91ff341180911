package sim.redis.aof;

import java.nio.charset.StandardCharsets;
import java.util.List;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;
import sim.redis.host.Durability;
import sim.redis.host.RedisEnv;
import sim.redis.host.RedisExit;
import sim.redis.host.RedisFiles;
import sim.redis.resp.RespOut;

/**
 * The live AOF (server.aof_* in Redis 7.0): the manifest, the open incremental file, the aof_buf that
 * commands are fed into, and the flush/fsync policy. {@link #flush} is flushAppendOnlyFile, called from
 * beforeSleep, i.e. after a batch of commands ran and before their replies go out:
 * <ul>
 *   <li>{@code always}: write(2) then fsync in the main thread, which blocks; no reply leaves before it returns.
 *   <li>{@code everysec}: write(2) now, and once per unix second a bio thread fsyncs. While that fsync is still
 *       running the write itself is postponed, for at most 2 s (then "Asynchronous AOF fsync is taking too
 *       long"); the replies go out either way.
 *   <li>{@code no}: write(2) only; the OS writes dirty pages back when it likes (modelled: 30 s).
 * </ul>
 */
public final class AppendOnlyFile {
  /** Redis's AOF_WRITE_LOG_ERROR_RATE: error lines at most every 30 s. */
  private static final long WRITE_ERROR_LOG_EVERY_SEC = 30;

  private final RedisConfig config;
  private final RedisFiles files;
  private final RedisEnv env;
  private final Durability durability;
  private AofManifest manifest;
  private final RespOut buf = new RespOut(4096);
  private final sim.redis.command.StreamEncoder encoder = new sim.redis.command.StreamEncoder();

  private long lastIncrSize; // aof_last_incr_size
  private long lastIncrFsyncOffset; // aof_last_incr_fsync_offset
  private long lastFsyncSec; // aof_last_fsync (unix seconds)
  private long flushPostponedStartSec; // aof_flush_postponed_start
  private long delayedFsyncs; // aof_delayed_fsync
  private boolean bioFsyncInProgress;
  private String bioFsyncError; // aof_bio_fsync_status == C_ERR
  private String lastWriteError; // aof_last_write_status == C_ERR
  private long lastWriteErrorLogSec = Long.MIN_VALUE / 2;
  private long osDirtySinceMs = -1; // appendfsync no: when the page cache got its first dirty AOF page
  private long osSyncedSize;
  private boolean acksBeforeFsync; // the --break redis.always-acks-before-fsync switch

  public AppendOnlyFile(RedisConfig config, RedisFiles files, RedisEnv env, Durability durability, AofManifest manifest) {
    this.config = config;
    this.files = files;
    this.env = env;
    this.durability = durability;
    this.manifest = manifest;
  }

  /** Breaks the always rule on purpose: reply after write(2), fsync in the background (a lesson, not Redis). */
  public void breakAlwaysAcksBeforeFsync() {
    this.acksBeforeFsync = true;
  }

  public String manifestPath() {
    return config.appenddirname + "/" + config.appendfilename + ".manifest";
  }

  public AofManifest manifest() {
    return manifest;
  }

  public String path(String file) {
    return config.appenddirname + "/" + file;
  }

  /** Reads the manifest if there is one (aofLoadManifestFromDisk); an empty manifest otherwise. */
  public static AofManifest loadManifest(RedisConfig config, RedisFiles files) {
    String path = config.appenddirname + "/" + config.appendfilename + ".manifest";
    if (!files.exists(path)) return new AofManifest();
    return AofManifest.parse(new String(files.readAll(path), StandardCharsets.ISO_8859_1), path);
  }

  /** persistAofManifest: temp file, fsync, atomic rename (synchronous, in the main thread). */
  public void persistManifest(AofManifest m) {
    String temp = config.appenddirname + "/temp-" + config.appendfilename + ".manifest";
    files.create(temp);
    files.append(temp, m.format().getBytes(StandardCharsets.ISO_8859_1));
    files.fsync(temp);
    files.rename(temp, manifestPath());
    manifest = m;
  }

  /** aofOpenIfNeededOnServerStart, after the base exists: make sure there is an incr file to append to. */
  public void openIncrOnStart(long nowMs) {
    AofManifest m = manifest.copy();
    if (m.lastIncr() == null) m.newIncr(config.appendfilename);
    String incr = m.lastIncr();
    if (!files.exists(path(incr))) {
      files.create(path(incr));
      files.fsync(path(incr));
    }
    persistManifest(m);
    lastIncrSize = files.size(path(incr));
    lastIncrFsyncOffset = lastIncrSize;
    osSyncedSize = lastIncrSize;
    lastFsyncSec = nowMs / 1000;
  }

  /** feedAppendOnlyFile: the command in RESP, preceded by SELECT when the database changes. */
  public void feed(int db, List<String> argv) {
    encoder.feed(buf, db, argv);
  }

  public int pendingBytes() {
    return buf.length();
  }

  /** Bytes written but not yet covered by an fsync Redis issued. */
  public long unsyncedBytes() {
    return lastIncrSize - lastIncrFsyncOffset;
  }

  public long delayedFsyncs() {
    return delayedFsyncs;
  }

  public boolean bioFsyncInProgress() {
    return bioFsyncInProgress;
  }

  /** writeCommandsDeniedByDiskError's AOF half: the error text while writes must be refused, else null. */
  public String writeError() {
    return lastWriteError != null ? lastWriteError : bioFsyncError;
  }

  public boolean lastWriteOk() {
    return lastWriteError == null;
  }

  /**
   * flushAppendOnlyFile(force): write aof_buf to the incr file, then fsync as the policy says. Throws
   * {@link RedisExit} on a write error under {@code always}.
   */
  public void flush(boolean force, long nowMs) {
    long nowSec = nowMs / 1000;
    AppendFsync policy = config.appendfsync;
    if (buf.length() == 0) {
      // 7.0 fsyncs even with an empty buffer, so data written in the last second reaches the disk
      boolean everysecDue = policy == AppendFsync.EVERYSEC && lastIncrFsyncOffset != lastIncrSize && nowSec > lastFsyncSec
          && !bioFsyncInProgress;
      boolean alwaysDue = policy == AppendFsync.ALWAYS && lastIncrFsyncOffset != lastIncrSize;
      if (everysecDue || alwaysDue) tryFsync(policy, nowMs, false);
      else osWriteback(nowMs);
      return;
    }
    boolean syncInProgress = policy == AppendFsync.EVERYSEC && bioFsyncInProgress;
    if (policy == AppendFsync.EVERYSEC && !force && syncInProgress) {
      if (flushPostponedStartSec == 0) { // no write postponed yet: remember and return
        flushPostponedStartSec = nowSec;
        env.point("redis.aof.postponed", "a background fsync is still running: the write of " + buf.length()
            + "B waits (at most 2 s); replies go out anyway", "bytes", buf.length());
        return;
      }
      if (nowSec - flushPostponedStartSec < 2) return;
      delayedFsyncs++;
      env.log("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for "
          + "fsync to complete, this may slow down Redis.");
    }
    if (!write(policy, nowSec)) return;
    tryFsync(policy, nowMs, syncInProgress);
  }

  /** One write(2) of aof_buf; false on an error (everysec/no: the buffer is kept and retried). */
  private boolean write(AppendFsync policy, long nowSec) {
    String incr = incrPath();
    int n = buf.length();
    flushPostponedStartSec = 0;
    try {
      files.append(incr, buf.array(), 0, n);
    } catch (RuntimeException e) { // EIO, ENOSPC
      if (nowSec - lastWriteErrorLogSec > WRITE_ERROR_LOG_EVERY_SEC) {
        env.log("Error writing to the AOF file: " + e.getMessage());
        lastWriteErrorLogSec = nowSec;
      }
      if (policy == AppendFsync.ALWAYS) {
        throw new RedisExit("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting... ("
            + e.getMessage() + ")");
      }
      if (lastWriteError == null) env.point("redis.aof.error", "write(2) failed: " + e.getMessage()
          + "; aof_buf keeps the commands, writes are refused (MISCONF) until a retry succeeds", "error", e.getMessage());
      lastWriteError = e.getMessage();
      return false;
    }
    if (lastWriteError != null) {
      env.log("AOF write error looks solved, Redis can write again.");
      env.point("redis.aof.error-solved", "a retried write of aof_buf succeeded", "bytes", n);
      lastWriteError = null;
    }
    if (osDirtySinceMs < 0) osDirtySinceMs = env.nowMs();
    long offset = lastIncrSize;
    lastIncrSize += n;
    buf.clear();
    if (env.pointsEnabled()) {
      env.point("redis.aof.write", n + "B at " + offset + " of " + manifest.lastIncr(), "file", manifest.lastIncr(),
          "offset", offset, "bytes", n);
    }
    return true;
  }

  /** The try_fsync label of flushAppendOnlyFile. */
  private void tryFsync(AppendFsync policy, long nowMs, boolean syncInProgress) {
    long nowSec = nowMs / 1000;
    String incr = incrPath();
    if (policy == AppendFsync.ALWAYS) {
      long upTo = lastIncrSize;
      lastIncrFsyncOffset = upTo;
      lastFsyncSec = nowSec;
      if (acksBeforeFsync) { // --break: the replies leave first, then the main thread fsyncs
        point("redis.aof.fsync", "BROKEN always: the replies leave before this fsync returns", "always-broken", upTo);
        durability.fsyncInMainThreadAfterReplies(List.of(incr), err -> { });
        return;
      }
      point("redis.aof.fsync", "appendfsync always: the main thread fsyncs before any reply", "always", upTo);
      durability.fsyncInMainThread(List.of(incr), err -> {
        if (err != null) {
          throw new RedisExit("Can't persist AOF for fsync error when the AOF fsync policy is 'always': " + err + ". Exiting...");
        }
      });
      return;
    }
    if (policy == AppendFsync.EVERYSEC && nowSec > lastFsyncSec) {
      if (!syncInProgress) startBioFsync(incr, lastIncrSize);
      lastFsyncSec = nowSec;
      return;
    }
    osWriteback(nowMs);
  }

  /** aof_background_fsync: a bio job; the main thread keeps serving, replies do not wait for it. */
  private void startBioFsync(String incr, long upTo) {
    lastIncrFsyncOffset = upTo;
    bioFsyncInProgress = true;
    point("redis.aof.fsync", "appendfsync everysec: the unix second changed, a bio thread fsyncs", "everysec", upTo);
    durability.fsyncInBackground(incr, err -> {
      bioFsyncInProgress = false;
      if (err == null) {
        bioFsyncError = null;
        return;
      }
      if (bioFsyncError == null) {
        env.log("Fail to fsync the AOF file: " + err);
        env.point("redis.aof.error", "the background fsync failed: " + err + "; writes are refused (MISCONF)", "error", err);
      }
      bioFsyncError = err;
    });
  }

  /** appendfsync no: not Redis but the OS, writing dirty pages back after dirty_expire_centisecs. */
  private void osWriteback(long nowMs) {
    if (config.appendfsync != AppendFsync.NO || lastIncrSize == osSyncedSize || osDirtySinceMs < 0) return;
    if (nowMs - osDirtySinceMs < config.osWritebackMs) return;
    files.fsync(incrPath());
    osSyncedSize = lastIncrSize;
    osDirtySinceMs = -1;
    point("redis.aof.fsync", "appendfsync no: the OS wrote back dirty pages after " + config.osWritebackMs + " ms", "os", lastIncrSize);
  }

  private void point(String name, String detail, String policy, long upTo) {
    if (env.pointsEnabled()) env.point(name, detail, "policy", policy, "file", manifest.lastIncr(), "upTo", upTo);
  }

  /** prepareForShutdown: write what is buffered and fsync in the main thread, synchronously. */
  public void flushAndFsyncForShutdown(long nowMs) {
    flush(true, nowMs);
    String incr = manifest.lastIncr();
    if (incr != null && files.exists(path(incr))) {
      files.fsync(path(incr));
      lastIncrFsyncOffset = lastIncrSize;
    }
  }

  private String cachedIncr;
  private String cachedIncrPath;

  private String incrPath() {
    String last = manifest.lastIncr();
    if (!last.equals(cachedIncr)) {
      cachedIncr = last;
      cachedIncrPath = path(last);
    }
    return cachedIncrPath;
  }

  /**
   * The parent's half of BGREWRITEAOF's start (rewriteAppendOnlyFileBackground): a forced flush, then
   * openNewIncrAofForAppend: a new incr file and a manifest listing it, so writes from now on go to a file the
   * rewrite does not cover; the old file is fsynced and closed by a bio job (aof_background_fsync_and_close).
   */
  public void openNewIncrForRewrite(long nowMs) {
    encoder.forgetSelectedDb();
    flush(true, nowMs);
    String old = manifest.lastIncr() == null ? null : path(manifest.lastIncr());
    AofManifest m = manifest.copy();
    String incr = m.newIncr(config.appendfilename);
    files.create(path(incr));
    persistManifest(m);
    if (old != null && files.exists(old)) durability.fsyncInBackground(old, err -> { });
    lastFsyncSec = nowMs / 1000;
    lastIncrSize = 0;
    lastIncrFsyncOffset = 0;
    osSyncedSize = 0;
    osDirtySinceMs = -1;
  }

  /**
   * backgroundRewriteDoneHandler: the child's temp file becomes the new base, older incr files become
   * history, the manifest is swapped atomically, then the history files are deleted.
   */
  public void finishRewrite(String childTempFile) {
    AofManifest m = manifest.copy();
    String base = m.newBase(config.appendfilename, config.aofUseRdbPreamble);
    files.rename(childTempFile, path(base));
    m.markRewrittenIncrsAsHistory();
    persistManifest(m);
    AofManifest clean = manifest.copy();
    for (String h : clean.takeHistory()) files.delete(path(h));
    persistManifest(clean);
  }

  /** At start with no AOF at all: the base is written synchronously (aofOpenIfNeededOnServerStart). */
  public void createFirstBase(byte[] baseContents, long nowMs) {
    AofManifest m = manifest.copy();
    String base = m.newBase(config.appendfilename, config.aofUseRdbPreamble);
    String temp = "temp-rewriteaof-" + base;
    files.create(temp);
    files.append(temp, baseContents);
    files.fsync(temp);
    files.rename(temp, path(base));
    manifest = m;
    openIncrOnStart(nowMs);
  }
}
