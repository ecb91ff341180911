package sim.redis.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.redis.aof.AofCommandReader;
import sim.redis.aof.AofException;
import sim.redis.aof.AofManifest;
import sim.redis.aof.AppendOnlyFile;
import sim.redis.command.ClientState;
import sim.redis.command.Command;
import sim.redis.command.Dispatcher;
import sim.redis.config.RedisConfig;
import sim.redis.host.RedisEnv;
import sim.redis.host.RedisFiles;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.keyspace.RedisObject;
import sim.redis.rdb.RdbReader;
import sim.redis.resp.RespOut;

/**
 * loadDataFromDisk (server.c) with loadAppendOnlyFiles (aof.c) and rdbLoad (rdb.c): the AOF when
 * {@code appendonly yes} — base then incr files in manifest order, replayed through the normal command path
 * with a fake client — else {@code dump.rdb}. Anything that must not be loaded is an {@link AofException} or
 * {@code RdbException} and leaves the directory untouched (Redis exits); the only repair is the one Redis
 * does itself, trimming a truncated tail of the last file under {@code aof-load-truncated yes}.
 */
final class DataLoader {
  private final RedisConfig config;
  private final RedisFiles files;
  private final RedisEnv env;
  private final Dispatcher dispatcher;
  private final boolean loadTruncatedSilently; // --break redis.load-truncated-aof-silently

  DataLoader(RedisConfig config, RedisFiles files, RedisEnv env, Dispatcher dispatcher, boolean loadTruncatedSilently) {
    this.config = config;
    this.files = files;
    this.env = env;
    this.dispatcher = dispatcher;
    this.loadTruncatedSilently = loadTruncatedSilently;
  }

  /** What was loaded, for the start-up log line and INFO. */
  record Loaded(String source, long keys, long expiredSkipped, long commands) {
    static final Loaded NOTHING = new Loaded("", 0, 0, 0);

    String describe() {
      if (source.isEmpty()) return "no data files: starting with an empty dataset";
      return source + " (" + keys + " keys" + (commands > 0 ? ", " + commands + " commands replayed" : "")
          + (expiredSkipped > 0 ? ", " + expiredSkipped + " expired keys skipped" : "") + ")";
    }
  }

  Loaded load() {
    dispatcher.setLoading(true);
    try {
      return config.appendonly ? loadAof() : loadRdb();
    } finally {
      dispatcher.setLoading(false);
    }
  }

  /**
   * readSyncBulkPayload on a replica: emptyData, then the master's RDB through the same reader and merge as a
   * restart; keys already expired are kept, since the master's DELs will remove them.
   */
  Loaded loadReplicationPayload(byte[] payload) {
    dispatcher.setLoading(true);
    try {
      dispatcher.keyspace().flushAll();
      RdbReader.Result r = RdbReader.read(payload, "the master's RDB", config.limits);
      mergeInto(r.keyspace());
      Loaded l = new Loaded("the master's RDB", dispatcher.keyspace().totalKeys(), 0, 0);
      env.log("MASTER <-> REPLICA sync: Loading DB in memory: " + l.describe());
      return l;
    } finally {
      dispatcher.setLoading(false);
    }
  }

  private Loaded loadRdb() {
    if (!files.exists(config.dbfilename)) return Loaded.NOTHING;
    RdbReader.Result r = RdbReader.read(files.readAll(config.dbfilename), config.dbfilename, config.limits);
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
    mergeInto(r.keyspace());
    Loaded l = new Loaded(config.dbfilename, dispatcher.keyspace().totalKeys(), expired, 0);
    env.log("Done loading RDB, keys loaded: " + l.keys() + ", keys expired: " + expired + ".");
    env.log("DB loaded from disk: " + l.describe());
    return l;
  }

  private Loaded loadAof() {
    AofManifest m = AppendOnlyFile.loadManifest(config, files);
    if (m.isEmpty()) return Loaded.NOTHING;
    List<AofManifest.Entry> parts = new ArrayList<>();
    if (m.base() != null) parts.add(m.base());
    parts.addAll(m.incrs());
    ClientState fake = new ClientState("aof-loader");
    long commands = 0;
    for (int i = 0; i < parts.size(); i++) {
      String name = parts.get(i).file();
      String path = config.appenddirname + "/" + name;
      if (!files.exists(path)) throw new AofException("The AOF file " + name + " doesn't exist");
      commands += loadAofFile(path, name, i == parts.size() - 1, fake);
    }
    List<String> names = new ArrayList<>();
    for (AofManifest.Entry e : parts) names.add(e.file());
    Loaded l = new Loaded(String.join(" + ", names), dispatcher.keyspace().totalKeys(), 0, commands);
    env.log("DB loaded from append only file: " + l.describe());
    return l;
  }

  private long loadAofFile(String path, String name, boolean last, ClientState fake) {
    byte[] data = files.readAll(path);
    int offset = 0;
    if (RdbReader.looksLikeRdb(data)) {
      env.log("Reading RDB base file on AOF loading...");
      RdbReader.Result r = RdbReader.read(data, 0, name, config.limits);
      mergeInto(r.keyspace());
      offset = (int) r.bytesRead();
    }
    AofCommandReader.Parsed parsed = AofCommandReader.parse(data, offset);
    if (parsed.formatError() != null) {
      throw new AofException("Bad file format reading the append only file " + name + ": make a backup of your AOF file, "
          + "then use ./redis-check-aof --fix <filename.manifest> (" + parsed.formatError() + ")");
    }
    if (parsed.truncated()) truncatedTail(path, name, last, parsed.validUpTo());
    replay(parsed.commands(), name, fake);
    return parsed.commands().size();
  }

  /** A short read at the end: trimmed when it is the last file and aof-load-truncated is on, else refused. */
  private void truncatedTail(String path, String name, boolean last, long validUpTo) {
    if (!last) throw new AofException("Fatal error: the truncated file is not the last file (" + name + ")");
    if (!config.aofLoadTruncated) {
      throw new AofException("Unexpected end of file reading the append only file " + name + ". You can: 1) Make a "
          + "backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set "
          + "the 'aof-load-truncated' configuration option to yes and restart the server.");
    }
    if (loadTruncatedSilently) return; // --break: the partial command stays, new writes are appended after it
    env.log("!!! Warning: short read while loading the AOF file " + name + "!!!");
    env.log("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
    files.truncate(path, validUpTo);
    files.fsync(path);
    env.point("redis.aof.truncated", "AOF " + name + " loaded anyway because aof-load-truncated is enabled; cut at "
        + validUpTo, "file", name, "validUpTo", validUpTo);
  }

  private void replay(List<List<String>> commands, String name, ClientState fake) {
    RespOut sink = new RespOut();
    for (List<String> argv : commands) {
      Command cmd = dispatcher.table().lookup(argv.get(0));
      if (cmd == null) throw new AofException("Unknown command '" + argv.get(0) + "' reading the append only file " + name);
      if (!cmd.arityOk(argv.size())) {
        throw new AofException("Wrong arity for command '" + argv.get(0) + "' reading the append only file " + name);
      }
      sink.clear();
      dispatcher.execute(fake, argv, sink);
      if (sink.length() > 0 && sink.array()[0] == '-') {
        env.log("AOF " + name + ": command " + argv.get(0) + " replied " + sink.toString().trim());
      }
    }
  }

  private void mergeInto(Keyspace loaded) {
    Keyspace into = dispatcher.keyspace();
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db from = loaded.db(i);
      Db to = into.db(i);
      from.forEach((key, value) -> {
        to.put(key, value);
        long at = from.expireAtMs(key);
        if (at >= 0) to.setExpire(key, at);
      });
    }
  }
}
