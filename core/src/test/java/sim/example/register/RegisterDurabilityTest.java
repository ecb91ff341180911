package sim.example.register;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Simulation;
import sim.core.explore.Shrinker;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;

/** The register's acks pass through the kernel's durability door: fsync latency delays them, a crash before it returns loses only what was not acked. */
class RegisterDurabilityTest {
  private static final long LATENCY_NANOS = Durations.millis(50);
  private final RegisterScenarios.Register durable = new RegisterScenarios.Register(true);

  /** Write id → when the client sent it, and → when its ack arrived; plus when each fsync was asked for. */
  private static final class Times {
    final TreeMap<Long, Long> sent = new TreeMap<>();
    final TreeMap<Long, Long> acked = new TreeMap<>();
    final TreeMap<Long, Long> appendedOnPrimary = new TreeMap<>();

    void on(TraceEvent e) {
      Object id = e.attribute("id");
      if (id == null) return;
      long w = ((Number) id).longValue();
      switch (e.kind()) {
        case "example.client.write" -> sent.put(w, e.timeNanos());
        case "example.client.acked" -> acked.put(w, e.timeNanos());
        case "example.append" -> {
          if (e.node().equals("primary")) appendedOnPrimary.putIfAbsent(w, e.timeNanos());
        }
        default -> {}
      }
    }
  }

  private static Simulation start(RegisterScenarios.Register scenario, String plan, Times times) {
    return ScenarioRunner.prepare(scenario, RunOptions.seed(11).withFaults(plan).withListeners(List.of(times::on)));
  }

  @Test
  void withFiftyMillisecondFsyncsEveryAckComesAtLeastFiftyMillisecondsAfterItsWrite() {
    Times times = new Times();
    Simulation sim = start(durable, "at 0s disk primary fsync-latency 50ms", times);
    sim.runFor(Durations.seconds(3));
    assertTrue(times.acked.size() >= 20, "writes were acked: " + times.acked.size());
    for (var e : times.acked.entrySet()) {
      long waited = e.getValue() - times.sent.get(e.getKey());
      assertTrue(waited >= LATENCY_NANOS, "write " + e.getKey() + " acked " + Durations.format(waited) + " after it was sent");
    }
  }

  @Test
  void aCrashWhileTheFsyncIsPendingLosesExactlyTheWriteNotYetAcked() {
    Times first = new Times();
    Simulation probe = start(durable, "at 0s disk primary fsync-latency 50ms", first);
    probe.runFor(Durations.seconds(2));
    long victim = 12;
    long crashAt = first.appendedOnPrimary.get(victim) + LATENCY_NANOS / 2; // its fsync is half way

    Times times = new Times();
    Simulation sim = start(durable, "at 0s disk primary fsync-latency 50ms; at " + Durations.formatExact(crashAt) + " crash primary", times);
    sim.runUntilTime(crashAt + Durations.millis(1));
    assertFalse(sim.isUp(RegisterScenarios.PRIMARY));
    Set<Long> onDisk = new TreeSet<>();
    for (WriteLog.Entry e : new WriteLog(sim.disk(RegisterScenarios.PRIMARY), RegisterServer.LOG).recover(new StringBuilder())) {
      onDisk.add(e.id());
    }
    Set<Long> acked = new TreeSet<>(times.acked.keySet());
    assertFalse(acked.contains(victim), "the write whose fsync was pending was not acked");
    assertTrue(times.appendedOnPrimary.containsKey(victim), "it had reached the primary's page cache");
    assertEquals(acked, onDisk, "the primary's disk keeps exactly the acked writes, and loses write " + victim);
  }

  @Test
  void anFsyncErrorFailStopsThePrimaryAndTheWriteItWasPersistingIsNeverAcked() {
    List<TraceEvent> events = new java.util.ArrayList<>();
    Times times = new Times();
    Simulation sim = ScenarioRunner.prepare(durable, RunOptions.seed(11).withFaults("at 1s disk primary fsync-eio 1")
        .withListeners(List.of(times::on, events::add)));
    sim.runFor(Durations.seconds(2));
    TraceEvent failed = events.stream().filter(e -> e.kind().equals("fsync.failed")).findFirst().orElseThrow();
    assertEquals("primary", failed.node());
    long victim = times.appendedOnPrimary.entrySet().stream().filter(e -> e.getValue() <= failed.timeNanos())
        .reduce((a, b) -> b).orElseThrow().getKey(); // the last write the primary appended before its fsync failed
    assertTrue(events.stream().anyMatch(e -> e.kind().equals("panic") && e.node().equals("primary")
        && e.timeNanos() == failed.timeNanos()), "the fsync error fail-stops the primary at once (onFsyncFailed's default)");
    assertFalse(sim.isUp(RegisterScenarios.PRIMARY), "a panicked primary stays down");
    assertFalse(times.acked.containsKey(victim), "write " + victim + " whose fsync failed was never acked");
    assertTrue(times.acked.headMap(victim).size() >= 5, "the writes before it were acked: " + times.acked.keySet());
    assertTrue(times.acked.tailMap(victim).isEmpty(), "nothing after it was acked: " + times.acked.tailMap(victim));
  }

  @Test
  void exploreFindsEachBrokenRuleOfTheRegisterAndShrinksItToAFewFaults() {
    for (String rule : List.of(RegisterScenarios.ACK_BEFORE_FSYNC, RegisterScenarios.ACK_BEFORE_BACKUP)) {
      Shrinker.Shrunk shrunk = SimTesting.assertExploreFinds(durable, Set.of(rule), 20, 3);
      assertTrue(shrunk.command().contains("--break " + rule) && !shrunk.command().contains("--swarm"), shrunk.command());
    }
  }
}
