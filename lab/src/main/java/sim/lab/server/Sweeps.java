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
 * run never changes. Cassandra's R + W > RF table: {@code cassandra.rw-table} runs one trial per (write level, read
 * level) pair under a fault the seed picks; its inspector {@code \rwtable} lists each trial as
 * {@code W=ONE R=QUORUM overlap=no outcome=stale | …}, which this reads after each seed's run.
 */
final class Sweeps {
  static final int MAX_SEEDS = 50;
  static final String REDIS_TRADEOFF = "redis.durability-tradeoff";
  private static final Pattern LOST = Pattern.compile("lost (\\d+) acked");
  /** One safety check per policy, {@code redis.acked-writes-survive.always} etc., whose detail says "lost N acked". */
  private static final String CHECK_PREFIX = "redis.acked-writes-survive.";
  private static final List<String> POLICIES = List.of("always", "everysec", "no");

  private final ScenarioRegistry registry;
  static final String CASSANDRA_TABLE = "cassandra.rw-table";
  private static final String RW_INSPECTOR = "rwtable";
  private static final Pattern RW_HEADER = Pattern.compile("^rf=(\\d+) levels=([A-Z_]+(?:,[A-Z_]+)*)");
  private static final Pattern RW_TRIAL = Pattern.compile("(?m)^W=(\\S+) R=(\\S+) overlap=(yes|no) outcome=(\\S+)");

  private final Map<Long, Map<String, Long>> redisCache = new ConcurrentHashMap<>();
  private final Map<Long, String> cassandraCache = new ConcurrentHashMap<>();

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

  /**
   * {"scenario", "rf", "levels", "seeds": n, "cells": [{"write", "read", "overlap", "stale", "fresh",
   * "unanswered", "unacknowledged"}]}: per pair, how many seeds ended each way. The model says which pairs
   * overlap (R + W > RF); the lab only counts.
   */
  Map<String, Object> cassandraRw(int seeds) {
    Scenario scenario = registry.find(CASSANDRA_TABLE).orElseThrow(() -> LabError.notFound(
        "this build has no scenario " + CASSANDRA_TABLE + " (the Cassandra model is not on the class path)"));
    Map<String, Map<String, Object>> cells = new LinkedHashMap<>();
    String rf = null;
    String levels = null;
    for (long seed = 1; seed <= seeds; seed++) {
      String table = cassandraCache.computeIfAbsent(seed, s -> rwTableOf(scenario, s));
      Matcher h = RW_HEADER.matcher(table);
      if (!h.find()) throw new LabError(500, "\\" + RW_INSPECTOR + " of seed " + seed + " does not start with rf=… levels=…: " + table);
      rf = h.group(1);
      levels = h.group(2);
      Matcher m = RW_TRIAL.matcher(table);
      while (m.find()) {
        Map<String, Object> c = cells.computeIfAbsent(m.group(1) + "/" + m.group(2), k -> newCell(m.group(1), m.group(2), m.group(3)));
        String outcome = m.group(4);
        if (c.containsKey(outcome)) c.merge(outcome, 1L, (a, b) -> (Long) a + (Long) b);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", CASSANDRA_TABLE);
    out.put("rf", Integer.parseInt(rf));
    out.put("levels", List.of(levels.split(",")));
    out.put("seeds", seeds);
    out.put("cells", new ArrayList<>(cells.values()));
    return out;
  }

  private static Map<String, Object> newCell(String write, String read, String overlap) {
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("write", write);
    c.put("read", read);
    c.put("overlap", overlap.equals("yes"));
    for (String o : List.of("stale", "fresh", "unanswered", "unacknowledged", "skipped", "pending")) c.put(o, 0L);
    return c;
  }

  private static String rwTableOf(Scenario scenario, long seed) {
    String[] table = new String[1];
    ScenarioRunner.run(scenario, RunOptions.seed(seed), sim -> {
      var inspector = sim.inspectors().get(RW_INSPECTOR);
      if (inspector == null) throw new LabError(500, CASSANDRA_TABLE + " has no inspector \\" + RW_INSPECTOR + ": the chart and the Cassandra model disagree");
      table[0] = inspector.show().apply("");
    });
    return table[0];
  }
}
