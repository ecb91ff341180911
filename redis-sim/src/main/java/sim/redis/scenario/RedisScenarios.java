package sim.redis.scenario;

import java.util.List;
import java.util.Map;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.redis.scenario.PersistenceScenario.Expect;
import sim.redis.server.RedisConfig;
import sim.redis.server.RedisConfig.AppendFsync;

/** The Redis lessons: failures and recovery, the write path, and the durability trade-off. */
public final class RedisScenarios implements ScenarioProvider {
  private static final String CRASH_TWICE = "at 3s crash redis; at 4s restart redis; at 6s crash redis; at 6500ms restart redis";

  @Override
  public List<Scenario> scenarios() {
    return List.of(
        writePath(),
        failureRecovery(),
        new FsyncTradeoffScenario(),
        crash(AppendFsync.ALWAYS, Expect.NO_ACKED_LOSS, "no acknowledged write is lost: each reply waits for the fsync"),
        crash(AppendFsync.EVERYSEC, Expect.LOSS_WITHIN_2S, "writes acknowledged since the last background fsync (at most ~2 s) are lost"),
        crash(AppendFsync.NO, Expect.ANY_LOSS, "the OS decides when the AOF reaches the disk; everything since its last writeback can go"),
        bgsaveForkSnapshot(),
        aofRewriteCrash(),
        tornAofTail(),
        corruptRdb(),
        aofWriteError(AppendFsync.EVERYSEC),
        aofWriteError(AppendFsync.ALWAYS));
  }

  static Scenario writePath() {
    return new PersistenceScenario("redis.write-path",
        "follow one SET from the client through the AOF buffer, write and fsync to the reply (appendfsync always)",
        "A client sends SET k<i> <i>. redis.call marks the command executing against the keyspace; the change is "
            + "propagated into aof_buf (feedAppendOnlyFile, with a SELECT when the database changes); beforeSleep then "
            + "writes aof_buf to appendonlydir/appendonly.aof.1.incr.aof (redis.aof.write) and, because appendfsync is "
            + "always, fsyncs it (redis.aof.fsync) before the reply is sent. Step with './sim step redis.write-path' and "
            + "break on redis.aof.fsync to see that no +OK leaves before its bytes are durable.",
        () -> PersistenceScenario.aof(AppendFsync.ALWAYS), "", Map.of(), Expect.NO_ACKED_LOSS, 0);
  }

  static Scenario failureRecovery() {
    return new PersistenceScenario("redis.failure-recovery",
        "crash and restart with both an RDB and an AOF: Redis loads the AOF, and loses at most the everysec window",
        "The server runs with appendonly yes (everysec) and an RDB save point every second. It crashes at 3 s: "
            + "unsynced page-cache bytes vanish, the forked child (if any) dies with its temp file. On restart "
            + "loadDataFromDisk prefers the AOF when appendonly is on (redis.load shows the manifest it read: base + "
            + "incr files), ignoring dump.rdb. The ledger compares what came back with what the client had been told: "
            + "a prefix of the history, missing at most the writes acknowledged in the last ~2 s.",
        () -> {
          RedisConfig c = PersistenceScenario.aof(AppendFsync.EVERYSEC);
          c.savePoints = RedisConfig.parseSave("1 100");
          return c;
        }, CRASH_TWICE, Map.of(), Expect.LOSS_WITHIN_2S, 0);
  }

  static Scenario crash(AppendFsync policy, Expect expect, String lesson) {
    return new PersistenceScenario("redis.crash-appendfsync-" + policy.configName(),
        "crash twice under appendfsync " + policy.configName() + ": " + lesson,
        "One client writes SET k0, k1, ... one at a time. The server appends each to its AOF and fsyncs per "
            + "appendfsync " + policy.configName() + ". The disk loses un-fsynced bytes at each crash. After each restart the "
            + "ledger checks that the loaded keys are exactly k0..k(m-1) (a prefix of the history) and compares m with "
            + "the writes the client saw acknowledged: " + lesson + ".",
        () -> PersistenceScenario.aof(policy), CRASH_TWICE, Map.of(), expect, 0);
  }

  static Scenario bgsaveForkSnapshot() {
    return new PersistenceScenario("redis.bgsave-fork-snapshot",
        "BGSAVE forks a point-in-time snapshot: writes after the fork are not in dump.rdb, and a crash loses them",
        "RDB only (appendonly no, no automatic save points). After 200 writes the client sends BGSAVE: the server "
            + "forks (redis.rdb.fork); the child serializes the keyspace as it was at that instant while the parent keeps "
            + "accepting writes; it then fsyncs temp-<pid>.rdb and renames it over dump.rdb (redis.rdb.done). The crash "
            + "at 4 s loses everything after the fork: the restart must load exactly k0..k199.",
        () -> {
          RedisConfig c = new RedisConfig();
          c.savePoints = List.of();
          return c;
        }, "at 4s crash redis; at 5s restart redis", Map.of(200, List.of("BGSAVE")), Expect.FORK_SNAPSHOT, 200);
  }

  static Scenario aofRewriteCrash() {
    return new PersistenceScenario("redis.aof-rewrite-crash",
        "crash in the middle of BGREWRITEAOF: the manifest still lists the old base and both incr files, nothing is lost",
        "BGREWRITEAOF first opens a new incr file and atomically persists a manifest naming old base + old incr + new "
            + "incr; the forked child then writes the new base from its snapshot. A crash while the child runs leaves a "
            + "useless temp-rewriteaof-bg-<pid>.aof and a manifest that still describes every acknowledged write. A later "
            + "rewrite completes (redis.aof.rewrite.done): the new base replaces the old one and the old files become "
            + "history and are deleted. Under appendfsync always no acknowledged write may be lost across either crash.",
        () -> {
          RedisConfig c = PersistenceScenario.aof(AppendFsync.ALWAYS);
          c.childBaseMs = 1500;
          return c;
        }, "at 1500ms crash redis; at 2500ms restart redis; at 6s crash redis; at 6500ms restart redis",
        Map.of(150, List.of("BGREWRITEAOF"), 700, List.of("BGREWRITEAOF")), Expect.NO_ACKED_LOSS, 0);
  }

  static Scenario tornAofTail() {
    return new PersistenceScenario("redis.torn-aof-tail",
        "a crash tears the last AOF write: aof-load-truncated trims the partial command and loads the rest",
        "The disk keeps an arbitrary prefix of the un-fsynced writes at a crash and may tear the last one in the "
            + "middle of a command. On restart the loader hits a short read in the last incr file; with "
            + "aof-load-truncated yes it logs the warning, truncates the file after the last complete command and "
            + "starts. The dataset must still be a prefix of the history, and losses stay within the everysec window.",
        () -> PersistenceScenario.aof(AppendFsync.EVERYSEC),
        "at 0s disk redis torn; at 3s crash redis; at 4s restart redis; at 6s crash redis; at 6500ms restart redis",
        Map.of(), Expect.LOSS_WITHIN_2S, 0);
  }

  static Scenario aofWriteError(AppendFsync policy) {
    boolean always = policy == AppendFsync.ALWAYS;
    return new PersistenceScenario("redis.aof-eio-" + policy.configName(),
        "the disk fails AOF writes (EIO) under appendfsync " + policy.configName() + ": "
            + (always ? "Redis exits rather than acknowledge an unlogged write" : "writes are refused with MISCONF until the AOF can be written again"),
        "At 2 s the disk fails the next AOF write" + (always ? "" : "s") + " with EIO. flushAppendOnlyFile keeps the unwritten commands in "
            + "aof_buf. " + (always
                ? "With appendfsync always Redis cannot keep its promise and exits ('Can't recover from AOF write error when "
                    + "the AOF fsync policy is always'): the pending replies are never sent (redis.exit). The node stays dead "
                    + "until the crash/restart at 3 s/4 s, which reloads the AOF: still no acknowledged write lost."
                : "With everysec Redis keeps running but answers every write with '-MISCONF Errors writing to the AOF file: ...' "
                    + "until a retry in serverCron succeeds, then logs 'AOF write error looks solved'. The client retries its "
                    + "refused SET. A crash later must still find a prefix of the history."),
        () -> PersistenceScenario.aof(policy), "at 2s disk redis eio " + (always ? 1 : 3) + "; at 3s crash redis; at 4s restart redis",
        Map.of(), always ? Expect.NO_ACKED_LOSS : Expect.LOSS_WITHIN_2S, 0);
  }

  static Scenario corruptRdb() {
    return new PersistenceScenario("redis.corrupt-rdb",
        "bit rot in dump.rdb: the CRC-64 check refuses the file and the data directory is left untouched",
        "After 100 writes the client runs SAVE. The server then crashes and four bytes of dump.rdb are corrupted at "
            + "rest. On restart rdbLoad verifies the CRC-64 (Jones) trailer, or trips over the damaged structure first, "
            + "and refuses to load (Redis exits) without modifying any file, so an operator can still rescue it.",
        () -> {
          RedisConfig c = new RedisConfig();
          c.savePoints = List.of();
          return c;
        }, "at 2s crash redis; at 2500ms disk redis corrupt dump.rdb 40 4; at 3s restart redis",
        Map.of(100, List.of("SAVE")), Expect.REFUSED, 0);
  }
}
