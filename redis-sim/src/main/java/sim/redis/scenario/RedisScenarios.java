package sim.redis.scenario;

import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.redis.config.RedisConfig;
import sim.redis.config.RedisConfig.AppendFsync;
import sim.redis.scenario.PersistenceScenario.Facts;
import sim.redis.server.BreakRules;

/** The Redis lessons: failures and recovery, the write path, and the durability trade-off. */
public final class RedisScenarios implements ScenarioProvider {
  private static final String CRASH_TWICE = "at 3s crash redis; at 4s restart redis; at 6s crash redis; at 6500ms restart redis";

  @Override
  public List<Scenario> scenarios() {
    List<Scenario> all = new java.util.ArrayList<>(List.of(
        writePath(),
        failureRecovery(),
        new FsyncTradeoffScenario(),
        crash(AppendFsync.ALWAYS),
        crash(AppendFsync.EVERYSEC),
        crash(AppendFsync.NO),
        alwaysFsyncLatency(),
        bgsaveForkSnapshot(),
        aofRewriteCrash(),
        tornAofTail(),
        corruptRdb(),
        aofWriteError(AppendFsync.EVERYSEC),
        aofWriteError(AppendFsync.ALWAYS)));
    all.addAll(ReplicationLessons.scenarios());
    all.addAll(SentinelLessons.scenarios());
    all.addAll(ClusterLessons.scenarios());
    all.addAll(ManualFailoverLessons.scenarios());
    all.addAll(ReplicaMigrationLessons.scenarios());
    all.addAll(ReshardLessons.scenarios());
    return all;
  }

  @Override
  public List<BreakRule> breakRules() {
    List<BreakRule> all = new java.util.ArrayList<>(List.of(
        new BreakRule(BreakRules.ALWAYS_ACKS_BEFORE_FSYNC, "redis.always-fsync-latency",
            "under appendfsync always the +OK leaves after write(2) but before the fsync returns; the crash catches "
                + "acknowledged writes in the page cache: redis.acked-writes-survive and redis.linearizable fail"),
        new BreakRule(BreakRules.LOAD_TRUNCATED_AOF_SILENTLY, "redis.torn-aof-tail",
            "the loader accepts a torn AOF tail without trimming it; new writes are appended after the partial command and "
                + "the next start refuses the file (Bad file format): redis.acked-writes-survive fails"),
        new BreakRule(BreakRules.RDB_RENAME_BEFORE_FSYNC, "redis.bgsave-fork-snapshot",
            "BGSAVE renames temp-<pid>.rdb over dump.rdb before its bytes are fsynced; the crash leaves an empty dump.rdb "
                + "that cannot be loaded: redis.acked-writes-survive fails for writes the completed save covered")));
    all.addAll(ReplicationLessons.breakRules());
    all.addAll(SentinelLessons.breakRules());
    all.addAll(ClusterLessons.breakRules());
    all.addAll(ManualFailoverLessons.breakRules());
    all.addAll(ReshardLessons.breakRules());
    return all;
  }

  static Scenario writePath() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.write-path",
        "follow one SET from the client through the AOF buffer, write and fsync to the reply (appendfsync always)",
        "A client sends SET k<i> <i>. redis.call marks the command executing against the keyspace; the change is "
            + "propagated into aof_buf (feedAppendOnlyFile, with a SELECT when the database changes); beforeSleep then "
            + "writes aof_buf to appendonlydir/appendonly.aof.1.incr.aof (redis.aof.write) and, because appendfsync is "
            + "always, the main thread fsyncs it (redis.aof.fsync, then the kernel's fsync.wait/fsync.done) before the "
            + "reply leaves (redis.reply). Step with './sim step redis.write-path' and break on redis.aof.fsync to see "
            + "that no +OK leaves before its bytes are durable.", ""),
        () -> PersistenceScenario.aof(AppendFsync.ALWAYS), Map.of(), "redis.write-path-demonstrated", f -> {
          int fsyncs = f.server().count("redis.aof.fsync");
          boolean ok = fsyncs > 0 && f.server().repliesAfterWrite() > 0;
          return CheckResult.of("redis.write-path-demonstrated", ok, f.server().count("redis.call") + " commands, "
              + f.server().count("redis.aof.write") + " AOF writes, " + fsyncs + " main-thread fsyncs, "
              + f.server().count("redis.reply") + " replies");
        }).readable(Durations.millis(100));
  }

  static Scenario failureRecovery() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.failure-recovery",
        "crash and restart with both an RDB and an AOF: Redis loads the AOF, and loses at most the everysec window",
        "The server runs with appendonly yes (everysec) and an RDB save point every second. It crashes at 3 s: "
            + "unsynced page-cache bytes vanish, the forked child (if any) dies with its temp file. On restart "
            + "loadDataFromDisk prefers the AOF when appendonly is on (redis.load names the files it read: base + "
            + "incr), ignoring dump.rdb. The ledger compares what came back with what the client had been told: "
            + "a prefix of the history, missing at most the writes acknowledged inside the everysec window.", CRASH_TWICE),
        () -> {
          RedisConfig c = PersistenceScenario.aof(AppendFsync.EVERYSEC);
          c.savePoints = RedisConfig.parseSave("1 100");
          return c;
        }, Map.of(), "redis.restart-loads-the-aof", f -> {
          boolean fromAof = !f.ledger().recoveries.isEmpty();
          for (RecoveryLedger.Recovery r : f.ledger().recoveries) fromAof &= r.refusal() == null && r.loadedFrom().contains(".incr.aof");
          int saves = f.server().count("redis.rdb.done");
          return CheckResult.of("redis.restart-loads-the-aof", fromAof && saves > 0, saves + " background saves; "
              + f.ledger().summary());
        });
  }

  static Scenario crash(AppendFsync policy) {
    String lesson = switch (policy) {
      case ALWAYS -> "no acknowledged write is lost: each reply waits for the fsync";
      case EVERYSEC -> "the writes acknowledged since the last background fsync (about a second) are lost";
      case NO -> "the OS decides when the AOF reaches the disk; everything since its last writeback can go";
    };
    String story = switch (policy) {
      case ALWAYS -> "redis.always-crashes-lose-nothing";
      case EVERYSEC -> "redis.everysec-loses-the-last-second";
      case NO -> "redis.no-loses-the-unwritten-back";
    };
    return new PersistenceScenario(PersistenceScenario.lesson("redis.crash-appendfsync-" + policy.configName(),
        "crash twice under appendfsync " + policy.configName() + ": " + lesson,
        "One client writes SET k0, k1, ... one at a time. The server appends each to its AOF and fsyncs per "
            + "appendfsync " + policy.configName() + ". The disk loses un-fsynced bytes at each crash. After each restart the "
            + "ledger checks that the loaded keys are exactly k0..k(m-1) (a prefix of the history) and compares m with "
            + "the writes the client saw acknowledged: " + lesson + ".", CRASH_TWICE),
        () -> PersistenceScenario.aof(policy), Map.of(), story, f -> {
          int recoveries = f.ledger().recoveries.size();
          int lost = f.ledger().totalLostAcked();
          boolean ok = recoveries >= 2 && (policy == AppendFsync.ALWAYS ? lost == 0 : lost > 0);
          return CheckResult.of(story, ok, recoveries + " restarts, " + lost + " acknowledged writes lost");
        });
  }

  static Scenario alwaysFsyncLatency() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.always-fsync-latency",
        "a slow disk (50 ms per fsync) under appendfsync always: every reply waits for its fsync, and a crash in between "
            + "loses only unacknowledged writes",
        "The disk takes 50 ms per fsync. Under appendfsync always the main thread blocks in fsync(2) after each write "
            + "(fsync.wait ... thread blocked, then fsync.done 50 ms later): requests that arrive meanwhile wait in the "
            + "socket, and the +OK leaves only when the fsync returned. The crash at 3 s lands inside such a wait: the "
            + "write being fsynced may or may not survive, but it was never acknowledged, so no acknowledged write is "
            + "lost and the register clients' history stays linearizable.",
        "at 0s disk redis fsync-latency 50ms; at 3s crash redis; at 4s restart redis"),
        () -> PersistenceScenario.aof(AppendFsync.ALWAYS), Map.of(), "redis.reply-waits-for-the-slow-fsync", f -> {
          long wait = f.server().minReplyWaitNanos();
          boolean ok = f.server().repliesAfterWrite() > 0 && wait >= Durations.millis(50);
          return CheckResult.of("redis.reply-waits-for-the-slow-fsync", ok, f.server().repliesAfterWrite()
              + " replies after an AOF write, the quickest " + (wait == Long.MAX_VALUE ? "-" : Durations.format(wait))
              + " after it");
        });
  }

  static Scenario bgsaveForkSnapshot() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.bgsave-fork-snapshot",
        "BGSAVE forks a point-in-time snapshot: writes after the fork are not in dump.rdb, and a crash loses them",
        "RDB only (appendonly no, no automatic save points). After 200 writes the client sends BGSAVE: the server "
            + "forks (redis.rdb.fork); the child serializes the keyspace as it was at that instant while the parent keeps "
            + "accepting writes; it then fsyncs temp-<pid>.rdb and renames it over dump.rdb (redis.rdb.done). The crash "
            + "at 4 s loses everything after the fork: the restart must load exactly k0..k199.",
        "at 4s crash redis; at 5s restart redis"),
        () -> {
          RedisConfig c = new RedisConfig();
          c.savePoints = List.of();
          return c;
        }, Map.of(200, List.of("BGSAVE")), "redis.rdb-holds-the-fork-snapshot", f -> {
          List<RecoveryLedger.Recovery> rs = f.ledger().recoveries;
          boolean ok = !rs.isEmpty() && rs.get(0).refusal() == null && rs.get(0).recoveredPrefix() == 200;
          return CheckResult.of("redis.rdb-holds-the-fork-snapshot", ok, "expected exactly the 200 writes before the BGSAVE fork: "
              + f.ledger().summary());
        });
  }

  static Scenario aofRewriteCrash() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.aof-rewrite-crash",
        "crash in the middle of BGREWRITEAOF: the manifest still lists the old base and both incr files, nothing is lost",
        "BGREWRITEAOF first opens a new incr file and atomically persists a manifest naming old base + old incr + new "
            + "incr; the forked child then writes the new base from its snapshot. A crash while the child runs leaves a "
            + "useless temp-rewriteaof-bg-<pid>.aof and a manifest that still describes every acknowledged write. A later "
            + "rewrite completes (redis.aof.rewrite.done): the new base replaces the old one and the old files become "
            + "history and are deleted. Under appendfsync always no acknowledged write may be lost across either crash.",
        "at 1500ms crash redis; at 2500ms restart redis; at 6s crash redis; at 6500ms restart redis"),
        () -> {
          RedisConfig c = PersistenceScenario.aof(AppendFsync.ALWAYS);
          c.childBaseMs = 1500;
          return c;
        }, Map.of(150, List.of("BGREWRITEAOF"), 400, List.of("BGREWRITEAOF")), "redis.rewrite-survives-a-crash", f -> {
          int mid = f.server().crashesMidRewrite();
          int done = f.server().count("redis.aof.rewrite.done");
          return CheckResult.of("redis.rewrite-survives-a-crash", mid > 0 && done > 0 && f.ledger().totalLostAcked() == 0,
              mid + " crash(es) during a rewrite, " + done + " completed rewrite(s), " + f.ledger().totalLostAcked() + " acknowledged writes lost");
        });
  }

  static Scenario tornAofTail() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.torn-aof-tail",
        "a crash tears the last AOF write: aof-load-truncated trims the partial command and loads the rest",
        "The disk keeps an arbitrary prefix of the un-fsynced writes at a crash and may tear the last one in the "
            + "middle of a command. On restart the loader hits a short read in the last incr file; with "
            + "aof-load-truncated yes it logs the warning, truncates the file after the last complete command "
            + "(redis.aof.truncated) and starts. The dataset must still be a prefix of the history, and losses stay "
            + "within the everysec window.",
        "at 0s disk redis torn; at 3s crash redis; at 4s restart redis; at 6s crash redis; at 6500ms restart redis"),
        () -> PersistenceScenario.aof(AppendFsync.EVERYSEC), Map.of(), "redis.torn-tail-trimmed", f -> {
          int trimmed = f.server().count("redis.aof.truncated");
          return CheckResult.of("redis.torn-tail-trimmed", trimmed > 0, trimmed + " truncated tail(s) trimmed at load; " + f.ledger().summary());
        });
  }

  static Scenario aofWriteError(AppendFsync policy) {
    boolean always = policy == AppendFsync.ALWAYS;
    String story = always ? "redis.exits-on-aof-write-error" : "redis.misconf-until-the-write-succeeds";
    return new PersistenceScenario(PersistenceScenario.lesson("redis.aof-eio-" + policy.configName(),
        "the disk fails AOF writes (EIO) under appendfsync " + policy.configName() + ": "
            + (always ? "Redis exits rather than acknowledge an unlogged write" : "writes are refused with MISCONF until the AOF can be written again"),
        "At 2 s the disk fails the next AOF write" + (always ? "" : "s") + " with EIO. flushAppendOnlyFile keeps the unwritten commands in "
            + "aof_buf. " + (always
                ? "With appendfsync always Redis cannot keep its promise and exits ('Can't recover from AOF write error when "
                    + "the AOF fsync policy is always'): the pending replies are never sent (redis.exit). The process is gone "
                    + "until the restart at 4 s, which reloads the AOF: still no acknowledged write lost."
                : "With everysec Redis keeps running but answers every write with '-MISCONF Errors writing to the AOF file: ...' "
                    + "until a retried write succeeds, then logs 'AOF write error looks solved'. The client retries its "
                    + "refused SET. A crash later must still find a prefix of the history."),
        "at 2s disk redis eio " + (always ? 1 : 3) + "; at 3s crash redis; at 4s restart redis"),
        () -> PersistenceScenario.aof(policy), Map.of(), story, f -> always ? exited(f, story) : misconf(f, story));
  }

  private static CheckResult exited(Facts f, String story) {
    int exits = f.server().count("redis.exit");
    return CheckResult.of(story, exits > 0 && f.ledger().totalLostAcked() == 0, exits + " exit(s) on the AOF write error; "
        + f.ledger().summary());
  }

  private static CheckResult misconf(Facts f, String story) {
    boolean ok = f.server().count("redis.aof.error") > 0 && f.server().count("redis.aof.error-solved") > 0
        && f.client().refusals().contains("MISCONF Errors writing to the AOF file");
    return CheckResult.of(story, ok, "client: " + (f.client().refusals().isEmpty() ? "no write refused" : f.client().refusals()));
  }

  static Scenario corruptRdb() {
    return new PersistenceScenario(PersistenceScenario.lesson("redis.corrupt-rdb",
        "bit rot in dump.rdb: the CRC-64 check refuses the file and the data directory is left untouched",
        "After 100 writes the client runs SAVE. The server then crashes and four bytes of dump.rdb are corrupted at "
            + "rest. On restart rdbLoad verifies the CRC-64 (Jones) trailer, or trips over the damaged structure first, "
            + "and refuses to load (Redis exits) without modifying any file, so an operator can still rescue it.",
        "at 2s crash redis; at 2500ms disk redis corrupt dump.rdb 40 4; at 3s restart redis"),
        () -> {
          RedisConfig c = new RedisConfig();
          c.savePoints = List.of();
          return c;
        }, Map.of(100, List.of("SAVE")), "redis.corrupt-rdb-refused", f -> {
          boolean refused = false;
          for (RecoveryLedger.Recovery r : f.ledger().recoveries) refused |= r.refusal() != null;
          return CheckResult.of("redis.corrupt-rdb-refused", refused, f.ledger().summary());
        });
  }
}
