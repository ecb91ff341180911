package sim.redis.server;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import sim.redis.aof.AofManifest;
import sim.redis.aof.AppendOnlyFile;
import sim.redis.command.Stats;
import sim.redis.config.RedisConfig;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;

/**
 * genRedisInfoString: INFO's sections in Redis 7.0's order and field names. Fields the model has a value
 * for report it (persistence, stats, keyspace...); fields about the process (memory, CPU, fork figures)
 * report fixed or estimated values and say so in the README.
 */
final class Info {
  private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
      "replication", "cpu", "modules", "errorstats", "cluster", "keyspace");
  private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats", "replication",
      "cpu", "modules", "commandstats", "errorstats", "latencystats", "cluster", "keyspace");
  static final String VERSION = "7.0.15";

  private final RedisServer server;

  Info(RedisServer server) {
    this.server = server;
  }

  /** The text for these section names: none or "default" means the default set; unknown names add nothing. */
  String render(List<String> requested) {
    Set<String> wanted = new java.util.LinkedHashSet<>();
    if (requested.isEmpty()) wanted.addAll(DEFAULT);
    for (String r : requested) {
      switch (r) {
        case "default" -> wanted.addAll(DEFAULT);
        case "all", "everything" -> wanted.addAll(ALL);
        default -> wanted.add(r);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String s : ALL) {
      if (!wanted.contains(s)) continue;
      if (sb.length() > 0) sb.append("\r\n");
      section(sb, s);
    }
    return sb.toString();
  }

  private void section(StringBuilder sb, String name) {
    switch (name) {
      case "server" -> server(sb);
      case "clients" -> clients(sb);
      case "memory" -> memory(sb);
      case "persistence" -> persistence(sb);
      case "stats" -> stats(sb);
      case "replication" -> replication(sb);
      case "cpu" -> cpu(sb);
      case "modules" -> sb.append("# Modules\r\n");
      case "commandstats" -> commandstats(sb);
      case "errorstats" -> errorstats(sb);
      case "latencystats" -> sb.append("# Latencystats\r\n");
      case "cluster" -> sb.append("# Cluster\r\n").append("cluster_enabled:0\r\n");
      case "keyspace" -> keyspace(sb);
      default -> throw new IllegalStateException(name);
    }
  }

  private void server(StringBuilder sb) {
    long now = server.nowMs();
    long uptimeSec = (now - server.startedMs()) / 1000;
    RedisConfig c = server.config();
    sb.append("# Server\r\n");
    line(sb, "redis_version", VERSION);
    line(sb, "redis_git_sha1", "00000000");
    line(sb, "redis_git_dirty", 0);
    line(sb, "redis_build_id", "0000000000000000");
    line(sb, "redis_mode", "standalone");
    line(sb, "os", "redis-sim");
    line(sb, "arch_bits", 64);
    line(sb, "monotonic_clock", "the simulated clock");
    line(sb, "multiplexing_api", "redis-sim");
    line(sb, "atomicvar_api", "c11-builtin");
    line(sb, "gcc_version", "0.0.0");
    line(sb, "process_id", 1000);
    line(sb, "process_supervised", "no");
    line(sb, "run_id", server.runId());
    line(sb, "tcp_port", c.port);
    line(sb, "server_time_usec", now * 1000);
    line(sb, "uptime_in_seconds", uptimeSec);
    line(sb, "uptime_in_days", uptimeSec / 86400);
    line(sb, "hz", c.hz);
    line(sb, "configured_hz", c.hz);
    line(sb, "lru_clock", (now / 1000) & ((1 << 24) - 1));
    line(sb, "executable", "");
    line(sb, "config_file", c.configfile == null ? "" : c.configfile); // Redis: its absolute path
    line(sb, "io_threads_active", 0);
  }

  private void clients(StringBuilder sb) {
    sb.append("# Clients\r\n");
    line(sb, "connected_clients", server.connectedClients());
    line(sb, "cluster_connections", 0);
    line(sb, "maxclients", 10000);
    line(sb, "client_recent_max_input_buffer", 0);
    line(sb, "client_recent_max_output_buffer", 0);
    line(sb, "blocked_clients", 0);
    line(sb, "tracking_clients", 0);
    line(sb, "clients_in_timeout_table", 0);
  }

  /** An estimate (no allocator here): a fixed start-up footprint plus a rough per-key cost. */
  private void memory(StringBuilder sb) {
    long used = 876_272 + server.keyspace().totalKeys() * 64;
    sb.append("# Memory\r\n");
    line(sb, "used_memory", used);
    line(sb, "used_memory_human", human(used));
    line(sb, "used_memory_peak", used);
    line(sb, "used_memory_peak_human", human(used));
    line(sb, "maxmemory", 0);
    line(sb, "maxmemory_human", "0B");
    line(sb, "maxmemory_policy", "noeviction");
    line(sb, "mem_aof_buffer", server.aof() == null ? 0 : server.aof().pendingBytes());
    line(sb, "mem_allocator", "redis-sim");
  }

  /** INFO persistence: Redis 7.0's fields in its order (fork and copy-on-write figures are 0, not modelled). */
  private void persistence(StringBuilder sb) {
    ForkedChildren ch = server.children();
    RedisConfig c = server.config();
    long now = server.nowMs();
    sb.append("# Persistence\r\n");
    line(sb, "loading", 0);
    line(sb, "async_loading", 0);
    for (String f : List.of("current_cow_peak", "current_cow_size", "current_cow_size_age")) line(sb, f, 0);
    line(sb, "current_fork_perc", "0.00");
    line(sb, "current_save_keys_processed", 0);
    line(sb, "current_save_keys_total", 0);
    line(sb, "rdb_changes_since_last_save", server.dirty());
    line(sb, "rdb_bgsave_in_progress", ch.active(ForkedChildren.ChildKind.RDB) ? 1 : 0);
    line(sb, "rdb_last_save_time", ch.lastSaveMs() / 1000);
    line(sb, "rdb_last_bgsave_status", ch.lastBgsaveOk() ? "ok" : "err");
    line(sb, "rdb_last_bgsave_time_sec", ch.rdbLastBgsaveTimeSec());
    line(sb, "rdb_current_bgsave_time_sec", ch.currentSec(ForkedChildren.ChildKind.RDB, now));
    line(sb, "rdb_saves", ch.rdbSaves());
    line(sb, "rdb_last_cow_size", 0);
    line(sb, "rdb_last_load_keys_expired", c.appendonly ? 0 : server.loaded().expiredSkipped());
    line(sb, "rdb_last_load_keys_loaded", c.appendonly ? 0 : server.loaded().keys());
    line(sb, "aof_enabled", c.appendonly ? 1 : 0);
    line(sb, "aof_rewrite_in_progress", ch.active(ForkedChildren.ChildKind.AOF) ? 1 : 0);
    line(sb, "aof_rewrite_scheduled", ch.aofRewriteScheduled() ? 1 : 0);
    line(sb, "aof_last_rewrite_time_sec", ch.aofLastRewriteTimeSec());
    line(sb, "aof_current_rewrite_time_sec", ch.currentSec(ForkedChildren.ChildKind.AOF, now));
    line(sb, "aof_last_bgrewrite_status", ch.lastRewriteOk() ? "ok" : "err");
    line(sb, "aof_rewrites", ch.aofRewrites());
    line(sb, "aof_rewrites_consecutive_failures", 0);
    AppendOnlyFile aof = server.aof();
    line(sb, "aof_last_write_status", aof == null || aof.lastWriteOk() ? "ok" : "err");
    line(sb, "aof_last_cow_size", 0);
    line(sb, "module_fork_in_progress", 0);
    line(sb, "module_fork_last_cow_size", 0);
    if (aof == null || !c.appendonly) return;
    AofManifest m = aof.manifest();
    long base = m.base() == null ? 0 : sizeOf(aof.path(m.base().file()));
    long total = base;
    for (AofManifest.Entry e : m.incrs()) total += sizeOf(aof.path(e.file()));
    line(sb, "aof_current_size", total);
    line(sb, "aof_base_size", base);
    line(sb, "aof_pending_rewrite", 0);
    line(sb, "aof_buffer_length", aof.pendingBytes());
    line(sb, "aof_pending_bio_fsync", aof.bioFsyncInProgress() ? 1 : 0);
    line(sb, "aof_delayed_fsync", aof.delayedFsyncs());
  }

  private void stats(StringBuilder sb) {
    Stats s = server.dispatcher().stats();
    sb.append("# Stats\r\n");
    line(sb, "total_connections_received", s.connectionsReceived);
    line(sb, "total_commands_processed", s.commandsProcessed);
    line(sb, "instantaneous_ops_per_sec", 0);
    line(sb, "rejected_connections", 0);
    line(sb, "sync_full", 0);
    line(sb, "sync_partial_ok", 0);
    line(sb, "sync_partial_err", 0);
    line(sb, "expired_keys", server.dispatcher().expiredKeys());
    line(sb, "evicted_keys", 0);
    line(sb, "keyspace_hits", s.keyspaceHits);
    line(sb, "keyspace_misses", s.keyspaceMisses);
    line(sb, "pubsub_channels", 0);
    line(sb, "pubsub_patterns", 0);
    line(sb, "latest_fork_usec", 0);
    line(sb, "total_forks", server.children().rdbSaves() + server.children().aofRewrites());
    line(sb, "total_error_replies", s.errorReplies);
  }

  private void replication(StringBuilder sb) {
    server.replicationState().info(sb);
  }

  private static void cpu(StringBuilder sb) {
    sb.append("# CPU\r\n");
    for (String f : List.of("used_cpu_sys", "used_cpu_user", "used_cpu_sys_children", "used_cpu_user_children",
        "used_cpu_sys_main_thread", "used_cpu_user_main_thread")) {
      line(sb, f, "0.000000");
    }
  }

  private void commandstats(StringBuilder sb) {
    sb.append("# Commandstats\r\n");
    for (Map.Entry<String, Stats.CommandCounts> e : server.dispatcher().stats().commands.entrySet()) {
      Stats.CommandCounts n = e.getValue();
      if (n.calls == 0 && n.rejected == 0) continue;
      sb.append("cmdstat_").append(e.getKey()).append(":calls=").append(n.calls).append(",usec=0,usec_per_call=0.00")
          .append(",rejected_calls=").append(n.rejected).append(",failed_calls=").append(n.failed).append("\r\n");
    }
  }

  private void errorstats(StringBuilder sb) {
    sb.append("# Errorstats\r\n");
    for (Map.Entry<String, Long> e : server.dispatcher().stats().errors.entrySet()) {
      sb.append("errorstat_").append(e.getKey()).append(":count=").append(e.getValue()).append("\r\n");
    }
  }

  private void keyspace(StringBuilder sb) {
    sb.append("# Keyspace\r\n");
    long now = server.nowMs();
    Keyspace ks = server.keyspace();
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      sb.append("db").append(i).append(":keys=").append(db.size()).append(",expires=").append(db.expiresSize())
          .append(",avg_ttl=").append(avgTtl(db, now)).append("\r\n");
    }
  }

  /** The mean remaining TTL of the volatile keys (Redis keeps a sampled estimate; this one is exact). */
  private static long avgTtl(Db db, long now) {
    if (db.expiresSize() == 0) return 0;
    long sum = 0;
    for (String key : db.expiringKeys()) sum += Math.max(0, db.expireAtMs(key) - now);
    return sum / db.expiresSize();
  }

  private long sizeOf(String path) {
    return server.files().exists(path) ? server.files().size(path) : 0;
  }

  static String human(long bytes) {
    if (bytes < 1024) return bytes + "B";
    String[] units = {"K", "M", "G", "T"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
  }

  private static void line(StringBuilder sb, String k, Object v) {
    sb.append(k).append(':').append(v).append("\r\n");
  }
}
