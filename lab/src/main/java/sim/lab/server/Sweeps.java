package sim.lab.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRegistry;
import sim.core.scenario.ScenarioRunner;

/**
 * Runs a scenario over many seeds for the lab's charts. Redis's fsync policies: {@code redis.durability-tradeoff}
 * crashes a server under each {@code appendfsync} policy at once; its checks say, per policy, how many
 * acknowledged writes the crash lost ("lost N acked"), which this reads per seed. Results are cached: a seed's
 * run never changes.
 */
final class Sweeps {
  static final int MAX_SEEDS = 50;
  static final String REDIS_TRADEOFF = "redis.durability-tradeoff";
  private static final Pattern LOST = Pattern.compile("lost (\\d+) acked");
  /** One safety check per policy, {@code redis.acked-writes-survive.always} etc., whose detail says "lost N acked". */
  private static final String CHECK_PREFIX = "redis.acked-writes-survive.";
  private static final List<String> POLICIES = List.of("always", "everysec", "no");

  private final ScenarioRegistry registry;
  private final Map<Long, Map<String, Long>> redisCache = new ConcurrentHashMap<>();

  Sweeps(ScenarioRegistry registry) {
    this.registry = registry;
  }

  /** {"scenario", "policies", "seeds": [1..n], "lost": {policy: [per seed]}}. */
  Map<String, Object> redisFsync(int seeds) {
    Scenario scenario = registry.find(REDIS_TRADEOFF).orElseThrow(() -> LabError.notFound(
        "this build has no scenario " + REDIS_TRADEOFF + " (the Redis model is not on the class path)"));
    Map<String, List<Long>> lost = new LinkedHashMap<>();
    for (String p : POLICIES) lost.put(p, new ArrayList<>());
    List<Long> seedList = new ArrayList<>();
    for (long seed = 1; seed <= seeds; seed++) {
      Map<String, Long> perPolicy = redisCache.computeIfAbsent(seed, s -> lossesOf(scenario, s));
      seedList.add(seed);
      for (String p : POLICIES) lost.get(p).add(perPolicy.get(p));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", REDIS_TRADEOFF);
    out.put("policies", POLICIES);
    out.put("seeds", seedList);
    out.put("lost", lost);
    return out;
  }

  private static Map<String, Long> lossesOf(Scenario scenario, long seed) {
    RunResult r = ScenarioRunner.run(scenario, RunOptions.seed(seed));
    Map<String, Long> out = new LinkedHashMap<>();
    for (String p : POLICIES) {
      String check = CHECK_PREFIX + p;
      CheckResult c = r.checks().stream().filter(x -> x.name().equals(check)).findFirst()
          .orElseThrow(() -> new LabError(500, REDIS_TRADEOFF + " seed " + seed + " has no check " + check + " (has: "
              + r.checks().stream().map(CheckResult::name).toList() + "): the chart and the Redis model disagree"));
      long sum = 0;
      Matcher m = LOST.matcher(c.detail());
      boolean found = false;
      while (m.find()) {
        sum += Long.parseLong(m.group(1));
        found = true;
      }
      if (!found) throw new LabError(500, check + " seed " + seed + " does not say how many acked writes were lost: " + c.detail());
      out.put(p, sum);
    }
    return out;
  }
}
