package sim.redis.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import sim.redis.keyspace.Limits;
import sim.redis.resp.Numbers;

/**
 * The parameters CONFIG GET and CONFIG SET know (config.c's standardConfig table, 7.0 names, aliases, bounds
 * and error texts): persistence, replication, the encoding thresholds and a few server settings. A parameter
 * Redis has and this model does not is unknown to CONFIG SET here.
 */
public final class ConfigRegistry {
  /** One parameter: how to read it from and write it into a RedisConfig. */
  public static final class Param {
    final String name;
    final String alias;
    final boolean immutable;
    final Function<RedisConfig, String> get;
    final Setter set;

    Param(String name, String alias, boolean immutable, Function<RedisConfig, String> get, Setter set) {
      this.name = name;
      this.alias = alias;
      this.immutable = immutable;
      this.get = get;
      this.set = set;
    }

    public String name() {
      return name;
    }

    public String get(RedisConfig c) {
      return get.apply(c);
    }
  }

  /** Parses and stores a value; returns an error text (config.c's *err) or null. */
  @FunctionalInterface
  interface Setter {
    String set(RedisConfig c, String value);
  }

  private static final Map<String, Param> PARAMS = new LinkedHashMap<>();

  static {
    bool("appendonly", null, false, c -> c.appendonly, (c, v) -> c.appendonly = v);
    enumeration("appendfsync", List.of("everysec", "always", "no"), c -> c.appendfsync.configName(),
        (c, v) -> c.appendfsync = RedisConfig.AppendFsync.parse(v));
    add("save", null, false, RedisConfig::saveString, ConfigRegistry::setSave);
    add("dbfilename", null, false, c -> c.dbfilename, (c, v) -> {
      if (v.contains("/")) return "dbfilename can't be a path, just a filename";
      c.dbfilename = v;
      return null;
    });
    add("appenddirname", null, true, c -> c.appenddirname, (c, v) -> null);
    add("appendfilename", null, true, c -> c.appendfilename, (c, v) -> null);
    bool("aof-use-rdb-preamble", null, false, c -> c.aofUseRdbPreamble, (c, v) -> c.aofUseRdbPreamble = v);
    bool("aof-load-truncated", null, false, c -> c.aofLoadTruncated, (c, v) -> c.aofLoadTruncated = v);
    bool("rdbcompression", null, false, c -> c.rdbcompression, (c, v) -> c.rdbcompression = v);
    bool("rdbchecksum", null, true, c -> c.rdbchecksum, (c, v) -> c.rdbchecksum = v);
    bool("stop-writes-on-bgsave-error", null, false, c -> c.stopWritesOnBgsaveError, (c, v) -> c.stopWritesOnBgsaveError = v);
    bool("no-appendfsync-on-rewrite", null, false, c -> c.noAppendfsyncOnRewrite, (c, v) -> c.noAppendfsyncOnRewrite = v);
    integer("hz", null, false, 0, Integer.MAX_VALUE, false, c -> c.hz, (c, v) -> c.hz = (int) Math.max(1, Math.min(500, v)));
    integer("databases", null, true, 1, Integer.MAX_VALUE, false, c -> 16, (c, v) -> { });
    integer("port", null, true, 0, 65535, false, c -> c.port, (c, v) -> c.port = v.intValue());
    integer("maxmemory", null, false, 0, Long.MAX_VALUE, true, c -> 0, (c, v) -> { });
    bool("replica-read-only", "slave-read-only", false, c -> c.replicaReadOnly, (c, v) -> c.replicaReadOnly = v);
    integer("min-replicas-to-write", "min-slaves-to-write", false, 0, Integer.MAX_VALUE, false, c -> c.minReplicasToWrite,
        (c, v) -> c.minReplicasToWrite = v.intValue());
    integer("min-replicas-max-lag", "min-slaves-max-lag", false, 0, Integer.MAX_VALUE, false, c -> c.minReplicasMaxLag,
        (c, v) -> c.minReplicasMaxLag = v.intValue());
    integer("repl-backlog-size", null, false, 1, Long.MAX_VALUE, true, c -> c.replBacklogSize, (c, v) -> c.replBacklogSize = v);
    integer("repl-timeout", null, false, 1, Integer.MAX_VALUE, false, c -> c.replTimeoutSec, (c, v) -> c.replTimeoutSec = v.intValue());
    integer("repl-ping-replica-period", "repl-ping-slave-period", false, 1, Integer.MAX_VALUE, false,
        c -> c.replPingReplicaPeriod, (c, v) -> c.replPingReplicaPeriod = v.intValue());
    integer("replica-priority", "slave-priority", false, 0, Integer.MAX_VALUE, false, c -> c.replicaPriority,
        (c, v) -> c.replicaPriority = v.intValue());
    bool("repl-diskless-sync", null, false, c -> c.replDisklessSync, (c, v) -> c.replDisklessSync = v);
    bool("cluster-enabled", null, true, c -> c.clusterEnabled, (c, v) -> c.clusterEnabled = v);
    integer("cluster-node-timeout", null, false, 0, Long.MAX_VALUE, false, c -> c.clusterNodeTimeoutMs,
        (c, v) -> c.clusterNodeTimeoutMs = v);
    integer("list-max-listpack-size", "list-max-ziplist-size", false, Integer.MIN_VALUE, Integer.MAX_VALUE, false,
        c -> c.limits.listMaxListpackSize, (c, v) -> c.limits.listMaxListpackSize = v.intValue());
    integer("list-compress-depth", null, false, 0, Integer.MAX_VALUE, false, c -> c.limits.listCompressDepth,
        (c, v) -> c.limits.listCompressDepth = v.intValue());
    integer("hash-max-listpack-entries", "hash-max-ziplist-entries", false, 0, Long.MAX_VALUE, false,
        c -> c.limits.hashMaxListpackEntries, (c, v) -> c.limits.hashMaxListpackEntries = v);
    integer("hash-max-listpack-value", "hash-max-ziplist-value", false, 0, Long.MAX_VALUE, true,
        c -> c.limits.hashMaxListpackValue, (c, v) -> c.limits.hashMaxListpackValue = v);
    integer("set-max-intset-entries", null, false, 0, Long.MAX_VALUE, false, c -> c.limits.setMaxIntsetEntries,
        (c, v) -> c.limits.setMaxIntsetEntries = v);
    integer("zset-max-listpack-entries", "zset-max-ziplist-entries", false, 0, Long.MAX_VALUE, false,
        c -> c.limits.zsetMaxListpackEntries, (c, v) -> c.limits.zsetMaxListpackEntries = v);
    integer("zset-max-listpack-value", "zset-max-ziplist-value", false, 0, Long.MAX_VALUE, true,
        c -> c.limits.zsetMaxListpackValue, (c, v) -> c.limits.zsetMaxListpackValue = v);
    integer("hll-sparse-max-bytes", null, false, 0, Long.MAX_VALUE, true, c -> c.limits.hllSparseMaxBytes,
        (c, v) -> c.limits.hllSparseMaxBytes = v);
    integer("stream-node-max-bytes", null, false, 0, Long.MAX_VALUE, true, c -> c.limits.streamNodeMaxBytes,
        (c, v) -> c.limits.streamNodeMaxBytes = v);
    integer("stream-node-max-entries", null, false, 0, Long.MAX_VALUE, false, c -> c.limits.streamNodeMaxEntries,
        (c, v) -> c.limits.streamNodeMaxEntries = v);
  }

  private ConfigRegistry() {}

  private static void add(String name, String alias, boolean immutable, Function<RedisConfig, String> get, Setter set) {
    Param p = new Param(name, alias, immutable, get, set);
    PARAMS.put(name, p);
    if (alias != null) PARAMS.put(alias, p);
  }

  private static void bool(String name, String alias, boolean immutable, Function<RedisConfig, Boolean> get,
      BiConsumer<RedisConfig, Boolean> set) {
    add(name, alias, immutable, c -> get.apply(c) ? "yes" : "no", (c, v) -> {
      String l = v.toLowerCase(Locale.ROOT);
      if (!l.equals("yes") && !l.equals("no")) return "argument must be 'yes' or 'no'";
      set.accept(c, l.equals("yes"));
      return null;
    });
  }

  private static void enumeration(String name, List<String> values, Function<RedisConfig, String> get,
      BiConsumer<RedisConfig, String> set) {
    add(name, null, false, get, (c, v) -> {
      String l = v.toLowerCase(Locale.ROOT);
      if (!values.contains(l)) return "argument(s) must be one of the following: " + String.join(", ", values);
      set.accept(c, l);
      return null;
    });
  }

  private static void integer(String name, String alias, boolean immutable, long min, long max, boolean memory,
      Function<RedisConfig, Number> get, BiConsumer<RedisConfig, Long> set) {
    add(name, alias, immutable, c -> get.apply(c).toString(), (c, v) -> {
      Long n = memory ? memToLong(v) : Numbers.parseLong(v);
      if (n == null) return memory ? "argument must be a memory value" : "argument couldn't be parsed into an integer";
      if (n < min || n > max) return "argument must be between " + min + " and " + max + " inclusive";
      set.accept(c, n);
      return null;
    });
  }

  /** memtoull: digits with an optional b, k, kb, m, mb, g or gb unit. */
  static Long memToLong(String s) {
    int i = 0;
    if (s.startsWith("-")) return null;
    while (i < s.length() && Character.isDigit(s.charAt(i))) i++;
    String unit = s.substring(i).toLowerCase(Locale.ROOT);
    long mul = switch (unit) {
      case "", "b" -> 1;
      case "k" -> 1000;
      case "kb" -> 1024;
      case "m" -> 1000_000;
      case "mb" -> 1024 * 1024;
      case "g" -> 1000_000_000L;
      case "gb" -> 1024L * 1024 * 1024;
      default -> -1;
    };
    if (mul < 0) return null;
    if (i == 0) return 0L; // strtoull of no digits: 0, as memtoull accepts it
    try {
      return Math.multiplyExact(Long.parseLong(s.substring(0, i)), mul);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  private static String setSave(RedisConfig c, String v) {
    List<String> args = new ArrayList<>(List.of(v.trim().isEmpty() ? new String[0] : v.trim().split("\\s+")));
    if (args.size() % 2 != 0) return "Invalid save parameters";
    for (int j = 0; j < args.size(); j++) {
      Long n = Numbers.parseLong(args.get(j));
      if (n == null || (j % 2 == 0 && n < 1) || (j % 2 == 1 && n < 0)) return "Invalid save parameters";
    }
    c.savePoints = RedisConfig.parseSave(v);
    return null;
  }

  /** lookupConfig: case-insensitive, aliases included. */
  public static Param lookup(String name) {
    return PARAMS.get(name.toLowerCase(Locale.ROOT));
  }

  /** Every canonical parameter (no aliases), for CONFIG GET patterns. */
  public static List<Param> all() {
    List<Param> out = new ArrayList<>();
    for (Map.Entry<String, Param> e : PARAMS.entrySet()) if (e.getKey().equals(e.getValue().name)) out.add(e.getValue());
    return out;
  }

  /** Alias names as their own entries (CONFIG GET * lists them too in 7.0). */
  public static Map<String, Param> byName() {
    return PARAMS;
  }

  public static boolean immutable(Param p) {
    return p.immutable;
  }

  /** Sets; returns config.c's error text or null. */
  public static String set(Param p, RedisConfig c, String value) {
    return p.set.set(c, value);
  }

  /** A copy of the limits before a failed multi-parameter CONFIG SET, to restore them. */
  public static Limits snapshotLimits(RedisConfig c) {
    return c.limits.copy();
  }
}
