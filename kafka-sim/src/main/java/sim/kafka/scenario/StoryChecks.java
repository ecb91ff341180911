package sim.kafka.scenario;

import java.util.List;
import sim.core.Durations;
import sim.core.check.CheckResult;
import sim.core.trace.TraceEvent;
import sim.kafka.scenario.KafkaScenario.StoryCheck;

/** The parts of the Kafka lessons' stories, each a lesson check named {@code kafka.story.*}. */
final class StoryChecks {
  private StoryChecks() {}

  /** A write-path point of {@code kind} whose detail contains {@code part} happened (on {@code node}, if given). */
  static StoryCheck saw(String name, String kind, String node, String part, String what) {
    return new StoryCheck(name, c -> {
      TraceEvent e = c.story().first(kind, node, part);
      return CheckResult.of(name, e != null, e == null ? what + ": never happened" : what + " at " + Durations.format(e.timeNanos()) + ": " + e.detail());
    });
  }

  /** The same, and that {@code never} did not happen. */
  static StoryCheck sawWithout(String name, String kind, String part, String neverKind, String neverPart, String what) {
    return new StoryCheck(name, c -> {
      TraceEvent e = c.story().first(kind, null, part);
      TraceEvent bad = c.story().first(neverKind, null, neverPart);
      if (bad != null) return CheckResult.failed(name, what + ", but also at " + Durations.format(bad.timeNanos()) + ": " + bad.detail());
      return CheckResult.of(name, e != null, e == null ? what + ": never happened" : what + " at " + Durations.format(e.timeNanos()) + ": " + e.detail());
    });
  }

  /** Acknowledged records were lost, and a rule whose words contain {@code rule} allows (some of) it. */
  static StoryCheck ackedLossExplainedBy(String name, String rule) {
    return new StoryCheck(name, c -> {
      for (var e : c.checks().ackedLossRules().entrySet()) {
        if (e.getKey().contains(rule)) return CheckResult.ok(name, e.getValue().size() + " acknowledged records lost, as " + e.getKey() + " allows");
      }
      return CheckResult.failed(name, "no acknowledged record was lost by " + rule + " (" + c.checks().ackedRecordsKept().detail() + ")");
    });
  }

  static StoryCheck duplicatesExplainedBy(String name, String rule) {
    return new StoryCheck(name, c -> {
      CheckResult dups = c.checks().noDuplicates();
      boolean shown = dups.expected() && dups.excuse().rule().contains(rule);
      return CheckResult.of(name, shown, shown ? dups.detail() + ", allowed by " + dups.excuse().rule() : "no duplicate from " + rule + " (" + dups.detail() + ")");
    });
  }

  /**
   * The write path in order for one partition: send, leader append, follower fetch, HW advance, ack, the
   * leader serving a consumer, the consumer's poll.
   */
  static StoryCheck writePathInOrder(String name) {
    List<String> chain = List.of("kafka.producer.send", "kafka.leader.append", "kafka.follower.fetch", "kafka.hw.advance",
        "kafka.producer.ack", "kafka.consumer.fetch", "kafka.consumer.poll");
    return new StoryCheck(name, c -> {
      for (var tp : c.partitions()) {
        int at = 0;
        for (TraceEvent e : c.story().events()) {
          if (at < chain.size() && e.kind().equals(chain.get(at)) && tp.toString().equals(e.attribute("partition"))) at++;
        }
        if (at == chain.size()) return CheckResult.ok(name, tp + ": " + String.join(" → ", chain));
      }
      return CheckResult.failed(name, "no partition went through " + String.join(" → ", chain) + " in order");
    });
  }

  /**
   * After the crash of {@code leader}, the producer got its first acknowledgement from another broker within
   * {@code withinMs}: the connection reset let it fail over without waiting for request.timeout.ms.
   */
  static StoryCheck producerFailsOverWithin(String name, String leader, long withinMs, String why) {
    return new StoryCheck(name, c -> {
      TraceEvent crash = c.story().first(e -> e.kind().equals("conn.reset") && e.node().equals(KafkaCluster.PRODUCER.name())
          && e.detail().contains(leader));
      Long crashedAt = crash == null ? null : crash.timeNanos();
      TraceEvent ack = crashedAt == null ? null : c.story().first(e -> e.timeNanos() > crashedAt && e.kind().equals("kafka.producer.ack"));
      if (ack == null) return CheckResult.failed(name, "the producer never heard a reset from " + leader + " and then an acknowledgement");
      long tookMs = (ack.timeNanos() - crashedAt) / 1_000_000;
      return CheckResult.of(name, tookMs <= withinMs, "reset from " + leader + " at " + Durations.format(crashedAt) + ", next acknowledgement "
          + Durations.format(ack.timeNanos()) + " (" + tookMs + " ms later; " + why + ")");
    });
  }

  /** No connection reset reached the producer, and its first retry was because request.timeout.ms expired. */
  static StoryCheck producerWaitsForTimeout(String name) {
    return new StoryCheck(name, c -> {
      TraceEvent reset = c.story().first(e -> e.kind().equals("conn.reset") && e.node().equals(KafkaCluster.PRODUCER.name()));
      if (reset != null) return CheckResult.failed(name, "the producer heard a reset: " + reset.detail());
      TraceEvent timeout = c.story().first("note", KafkaCluster.PRODUCER.name(), "request.timeout.ms expired");
      return CheckResult.of(name, timeout != null, timeout == null ? "no request timed out"
          : "silence: the producer's requests timed out at " + Durations.format(timeout.timeNanos()) + " (request.timeout.ms="
              + c.spec().producer().requestTimeoutMs() + ") before it retried elsewhere");
    });
  }
}
