package sim.redis.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import sim.core.scenario.RunResult;
import sim.core.testing.SimTesting;
import sim.redis.config.RedisConfig.AppendFsync;

/**
 * Measures the fsync-policy table of the README: over many seeds, how many acknowledged writes each
 * appendfsync policy loses per crash and how old the oldest lost one was. Writes it to
 * target/fsync-policy-table.md.
 */
class FsyncPolicyTableTest {
  private static final int SEEDS = 30;
  private static final Pattern LOST = Pattern.compile("lost (\\d+) acked(?: \\(the oldest acknowledged (\\d+) ms before the crash)?");

  record Stats(int crashes, int crashesWithLoss, int maxLost, long totalLost, long maxWindowMs) {}

  static Stats measure(AppendFsync policy) {
    int crashes = 0;
    int withLoss = 0;
    int maxLost = 0;
    long total = 0;
    long maxWindow = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      long first = 2000 + (seed * 379) % 1000; // crash instants spread over the second
      long second = 5000 + (seed * 613) % 1000;
      String plan = "at " + first + "ms crash redis; at " + (first + 1000) + "ms restart redis; at " + second
          + "ms crash redis; at " + (second + 500) + "ms restart redis";
      RunResult r = SimTesting.run(RedisScenarios.crash(policy), seed, plan);
      Matcher m = LOST.matcher(r.check("redis.acked-writes-survive").detail());
      while (m.find()) {
        int lost = Integer.parseInt(m.group(1));
        crashes++;
        if (lost > 0) withLoss++;
        maxLost = Math.max(maxLost, lost);
        total += lost;
        if (m.group(2) != null) maxWindow = Math.max(maxWindow, Long.parseLong(m.group(2)));
      }
    }
    return new Stats(crashes, withLoss, maxLost, total, maxWindow);
  }

  @Test
  void policiesLoseWhatTheyAllow() throws Exception {
    StringBuilder table = new StringBuilder("| appendfsync | crashes | crashes losing acked writes | max lost | mean lost | "
        + "oldest lost ack before crash |\n|---|---|---|---|---|---|\n");
    Map<AppendFsync, Stats> all = new java.util.TreeMap<>();
    for (AppendFsync p : AppendFsync.values()) {
      Stats s = measure(p);
      all.put(p, s);
      table.append(String.format("| %s | %d | %d | %d | %.1f | %d ms |%n", p.configName(), s.crashes(), s.crashesWithLoss(),
          s.maxLost(), (double) s.totalLost() / Math.max(1, s.crashes()), s.maxWindowMs()));
    }
    System.out.println(table);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/fsync-policy-table.md"), table.toString());
    assertEquals(0, all.get(AppendFsync.ALWAYS).totalLost(), "always must lose nothing acknowledged");
    assertTrue(all.get(AppendFsync.EVERYSEC).maxWindowMs() <= 1200, "everysec window " + all.get(AppendFsync.EVERYSEC));
    assertTrue(all.get(AppendFsync.EVERYSEC).crashesWithLoss() > 0, "everysec should lose something in some crash");
    assertTrue(all.get(AppendFsync.NO).totalLost() >= all.get(AppendFsync.EVERYSEC).totalLost(), "no loses at least as much");
  }

  private static final Pattern ACKED = Pattern.compile("acked (\\d+), issued");

  /** The cost side, from redis.durability-tradeoff (2 ms fsyncs): writes acknowledged before the crash. */
  @Test
  void alwaysPaysForItsFsyncsInThroughput() throws Exception {
    StringBuilder table = new StringBuilder("| appendfsync | writes acknowledged in 5.3 s, 2 ms fsync (mean of 10 seeds) |\n|---|---|\n");
    Map<String, Double> mean = new java.util.TreeMap<>();
    for (AppendFsync p : AppendFsync.values()) {
      long total = 0;
      for (long seed = 1; seed <= 10; seed++) {
        RunResult r = SimTesting.run(new FsyncTradeoffScenario(), seed);
        Matcher m = ACKED.matcher(r.check("redis.acked-writes-survive." + p.configName()).detail());
        assertTrue(m.find(), r.check("redis.acked-writes-survive." + p.configName()).detail());
        total += Long.parseLong(m.group(1));
      }
      mean.put(p.configName(), total / 10.0);
      table.append(String.format("| %s | %.0f |%n", p.configName(), total / 10.0));
    }
    System.out.println(table);
    Files.writeString(Path.of("target/fsync-policy-throughput.md"), table.toString());
    assertTrue(mean.get("always") < 0.8 * mean.get("everysec"), "always must be visibly slower: " + mean);
  }
}
