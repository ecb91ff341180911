package sim.redis.aof;

import java.nio.charset.StandardCharsets;
import java.util.List;
import sim.redis.resp.RespOut;
import sim.redis.server.RedisConfig;
import sim.redis.server.RedisConfig.AppendFsync;
import sim.redis.server.RedisFiles;

/**
 * The live AOF (server.aof_* in Redis 7.0): the manifest, the open incremental file, the aof_buf that
 * commands are fed into, and the flush/fsync policy. {@link #flush} is flushAppendOnlyFile: called from
 * beforeSleep, i.e. after a batch of commands ran and before their replies go out, so that with
 * {@code appendfsync always} nothing is acknowledged before it is on disk.
 */
public final class AppendOnlyFile {
  private final RedisConfig config;
  private final RedisFiles files;
  private AofManifest manifest;
  private final RespOut buf = new RespOut(4096);
  private int selectedDb = -1;
  private long lastFsyncSec;
  private long dirtySinceMs;
  private long currentSize;
  private long fsyncedSize;

  public AppendOnlyFile(RedisConfig config, RedisFiles files, AofManifest manifest) {
    this.config = config;
    this.files = files;
    this.manifest = manifest;
  }

  public String dir() {
    return config.appenddirname;
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

  /** persistAofManifest: temp file, fsync, atomic rename. */
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
    currentSize = files.size(path(incr));
    fsyncedSize = currentSize;
    lastFsyncSec = nowMs / 1000;
  }

  /** feedAppendOnlyFile: the command in RESP, preceded by SELECT when the database changes. */
  public void feed(int db, List<String> argv) {
    if (db >= 0 && db != selectedDb) {
      encode(List.of("SELECT", Integer.toString(db)));
      selectedDb = db;
    }
    encode(argv);
  }

  private void encode(List<String> argv) {
    buf.arrayHeader(argv.size());
    for (String a : argv) buf.bulk(a);
  }

  public int pendingBytes() {
    return buf.length();
  }

  public long unsyncedBytes() {
    return currentSize - fsyncedSize;
  }

  public long lastFsyncSec() {
    return lastFsyncSec;
  }

  /** What one flush did, for the trace. */
  public record FlushResult(int bytesWritten, boolean fsynced, String reason) {}

  private static final FlushResult NOTHING = new FlushResult(0, false, "");

  /** flushAppendOnlyFile: write aof_buf to the incr file, then fsync as the policy says. */
  public FlushResult flush(long nowMs) {
    int written = 0;
    String incr = incrPath();
    if (buf.length() > 0) {
      if (currentSize == fsyncedSize) dirtySinceMs = nowMs; // the page cache holds dirty AOF pages from now
      files.append(incr, buf.array(), 0, buf.length());
      written = buf.length();
      currentSize += written;
      buf.clear();
    }
    if (written == 0 && currentSize == fsyncedSize) return NOTHING;
    AppendFsync policy = config.appendfsync;
    if (policy == AppendFsync.ALWAYS && currentSize != fsyncedSize) {
      fsync(incr);
      return new FlushResult(written, true, "appendfsync always: fsync before replying");
    }
    long nowSec = nowMs / 1000;
    if (policy == AppendFsync.EVERYSEC && currentSize != fsyncedSize && nowSec > lastFsyncSec) {
      fsync(incr); // Redis hands this to a bio thread; modelled as completing at once
      lastFsyncSec = nowSec;
      return new FlushResult(written, true, "appendfsync everysec: background fsync, second changed");
    }
    if (policy == AppendFsync.NO && currentSize != fsyncedSize && nowMs - dirtySinceMs >= config.osWritebackMs) {
      fsync(incr); // the OS's dirty-page writeback (dirty_expire_centisecs), not Redis
      return new FlushResult(written, true, "appendfsync no: the OS wrote back dirty pages after " + config.osWritebackMs + " ms");
    }
    return written == 0 ? NOTHING : new FlushResult(written, false, "");
  }

  /** fsync the current incr file regardless of policy (shutdown). */
  public void fsyncNow() {
    String incr = manifest.lastIncr();
    if (incr != null && files.exists(path(incr))) fsync(path(incr));
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

  private void fsync(String incr) {
    files.fsync(incr);
    fsyncedSize = currentSize;
  }

  /**
   * The parent's half of BGREWRITEAOF's start (rewriteAppendOnlyFileBackground): flush, open a new incr
   * file and persist a manifest listing it, so writes from now on go to a file the rewrite does not cover.
   */
  public void openNewIncrForRewrite(long nowMs) {
    flush(nowMs);
    String old = path(manifest.lastIncr());
    if (config.appendfsync != AppendFsync.NO && files.exists(old)) files.fsync(old);
    AofManifest m = manifest.copy();
    String incr = m.newIncr(config.appendfilename);
    files.create(path(incr));
    files.fsync(path(incr));
    persistManifest(m);
    selectedDb = -1;
    currentSize = 0;
    fsyncedSize = 0;
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
