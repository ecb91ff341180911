package sim.redis.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The redis.conf settings this model reads, with Redis 7.0's names and defaults. */
public final class RedisConfig {
  public enum AppendFsync {
    ALWAYS, EVERYSEC, NO;

    public static AppendFsync parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "always" -> ALWAYS;
        case "everysec" -> EVERYSEC;
        case "no" -> NO;
        default -> throw new IllegalArgumentException("appendfsync must be always, everysec or no, got '" + s + "'");
      };
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One {@code save <seconds> <changes>} point. */
  public record SavePoint(long seconds, long changes) {}

  public int port = 6379;
  /**
   * server.configfile: the redis.conf this server was started with (null: none, and CONFIG REWRITE answers
   * "The server is running without a config file"). When set, start-up reads it over these settings
   * ({@link RedisConfigFile#load}) and CONFIG REWRITE writes it.
   */
  public String configfile;
  public String dbfilename = "dump.rdb";
  public boolean appendonly = false;
  public AppendFsync appendfsync = AppendFsync.EVERYSEC;
  public String appenddirname = "appendonlydir";
  public String appendfilename = "appendonly.aof";
  public boolean aofUseRdbPreamble = true;
  public boolean aofLoadTruncated = true;
  public boolean rdbcompression = true;
  public boolean rdbchecksum = true;
  public List<SavePoint> savePoints = parseSave("3600 1 300 100 60 10000");
  public int hz = 10;
  public boolean stopWritesOnBgsaveError = true;
  public boolean noAppendfsyncOnRewrite = false;
  /** Replication: replica-read-only, min-replicas-to-write / min-replicas-max-lag (seconds), the backlog. */
  public boolean replicaReadOnly = true;
  public int minReplicasToWrite = 0;
  public int minReplicasMaxLag = 10;
  public long replBacklogSize = 1024 * 1024;
  /** repl-timeout (seconds) and repl-ping-replica-period (seconds). */
  public int replTimeoutSec = 60;
  public int replPingReplicaPeriod = 10;
  /** replicaof host port at start; null: a master. */
  public String replicaofHost;
  public int replicaofPort = 6379;
  public int replicaPriority = 100;
  public boolean replDisklessSync = true;
  public boolean clusterEnabled = false;
  public long clusterNodeTimeoutMs = 15_000;
  /** The encoding thresholds (hash-max-listpack-entries...). */
  public sim.redis.keyspace.Limits limits = new sim.redis.keyspace.Limits();
  /**
   * Model of how long a forked child takes to serialize the dataset: a fixed cost plus a per-key cost.
   * (Real Redis: fork time plus writing speed; the simulation needs it to crash in the middle.)
   */
  public long childBaseMs = 100;
  public long childMillisPer1000Keys = 10;
  /** Model of the OS page-cache writeback for {@code appendfsync no}: Linux dirty_expire_centisecs=3000. */
  public long osWritebackMs = 30_000;

  /** Parses the {@code save} setting: "" disables, else pairs "seconds changes". */
  public static List<SavePoint> parseSave(String spec) {
    List<SavePoint> out = new ArrayList<>();
    String trimmed = spec.trim();
    if (trimmed.isEmpty()) return out;
    String[] parts = trimmed.split("\\s+");
    if (parts.length % 2 != 0) throw new IllegalArgumentException("save needs pairs of <seconds> <changes>, got '" + spec + "'");
    for (int i = 0; i < parts.length; i += 2) {
      try {
        out.add(new SavePoint(Long.parseLong(parts[i]), Long.parseLong(parts[i + 1])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("save point '" + parts[i] + " " + parts[i + 1] + "' is not two integers");
      }
    }
    return out;
  }

  public String saveString() {
    StringBuilder sb = new StringBuilder();
    for (SavePoint p : savePoints) sb.append(sb.length() == 0 ? "" : " ").append(p.seconds()).append(' ').append(p.changes());
    return sb.toString();
  }
}
