package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.RunOptions;
import sim.core.scenario.RunResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioRunner;
import sim.core.testing.SimTesting;
import sim.core.trace.TraceEvent;

/** Each lesson, with its own fault plan over several seeds, comes out the way Kafka does. */
class KafkaScenariosTest {
  static final int SEEDS = 4;

  /** A run with its trace kept, for asserting on write-path points and messages. */
  record Traced(RunResult result, List<TraceEvent> events) {
    boolean has(String kind, String detailPart) {
      return events.stream().anyMatch(e -> e.kind().equals(kind) && e.detail().contains(detailPart));
    }

    CheckResult check(String name) {
      return result.check(name);
    }
  }

  static Traced traced(Scenario s, long seed) {
    List<TraceEvent> events = new ArrayList<>();
    RunResult r = ScenarioRunner.run(s, RunOptions.seed(seed).withListeners(List.of(events::add)));
    SimTesting.assertOk(r);
    return new Traced(r, events);
  }

  static void forSeeds(Scenario s, java.util.function.Consumer<Traced> assertions) {
    for (long seed : SimTesting.seeds(1, SEEDS)) assertions.accept(traced(s, seed));
  }

  @Test
  void writePathKeepsEveryAcknowledgedRecordAndFollowsTheChain() {
    forSeeds(KafkaScenarios.writePath(), t -> {
      assertTrue(t.result().expectedAnomalies().isEmpty(), t.result().checks().toString());
      assertTrue(t.check("kafka.progress").detail().contains("acknowledged 200"), t.check("kafka.progress").detail());
      // The chain for the first record of orders-0, in order.
      List<String> chain = List.of("kafka.producer.send", "kafka.leader.append", "kafka.follower.fetch", "kafka.hw.advance", "kafka.producer.ack",
          "kafka.consumer.fetch", "kafka.consumer.poll");
      int at = 0;
      for (TraceEvent e : t.events()) {
        if (at < chain.size() && e.kind().equals(chain.get(at)) && e.detail().contains("orders-")) at++;
      }
      assertEquals(chain.size(), at, "write path points in order: " + chain);
    });
  }

  @Test
  void stuckFollowersShrinkTheIsrAndMinInsyncRefusesAcksAll() {
    forSeeds(KafkaScenarios.slowFollowerMinInsync(), t -> {
      assertTrue(t.has("kafka.isr.shrink", "propose ISR [b1]"), "ISR shrank to the leader");
      assertTrue(t.has("send", "NOT_ENOUGH_REPLICAS"), "acks=all refused with NOT_ENOUGH_REPLICAS");
      assertTrue(t.has("kafka.isr.expand", "caught up"), "followers rejoin after the heal");
      assertTrue(t.check("kafka.acked-records-kept").ok() && !t.check("kafka.acked-records-kept").expected());
    });
  }

  @Test
  void leaderCrashElectsAnInSyncReplicaAndLosesNothing() {
    forSeeds(KafkaScenarios.leaderCrash(), t -> {
      assertTrue(t.has("kafka.leader.elected", "leader b1 fenced"), "the controller fenced the crashed leader");
      assertTrue(t.has("kafka.leader.elected", "{leader b2 epoch 1"), "b2, first live ISR member in assignment order, leads epoch 1");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.ok() && !kept.expected(), kept.render());
    });
  }

  @Test
  void uncleanElectionLosesAcknowledgedRecordsAsExpected() {
    forSeeds(KafkaScenarios.uncleanElection(), t -> {
      assertTrue(t.has("kafka.leader.elected", "UNCLEAN"), "b3 elected unclean");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.expected() && kept.excuse().rule().contains("unclean.leader.election.enable=true"), kept.render());
      assertEquals(kept.excuse().records().size(), Integer.parseInt(kept.detail().split(" ")[0]), "the excuse covers exactly the lost records");
    });
  }

  @Test
  void offlinePartitionWaitsForTheInSyncReplicaAndLosesNothing() {
    forSeeds(KafkaScenarios.offlinePartition(), t -> {
      assertTrue(t.has("kafka.leader.elected", "OFFLINE"), "no live in-sync replica: offline");
      assertFalse(t.has("kafka.leader.elected", "UNCLEAN"), "b3 is never elected");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.ok() && !kept.expected(), kept.render());
    });
  }

  @Test
  void aPausedLeaderIsSilentAndTheProducerWaitsForItsRequestTimeout() {
    forSeeds(KafkaScenarios.leaderPaused(), t -> {
      assertFalse(t.events().stream().anyMatch(e -> e.kind().equals("conn.reset")), "a pause closes no connection");
      assertTrue(t.has("note", "request.timeout.ms expired"));
      assertTrue(t.check("kafka.acked-records-kept").ok() && !t.check("kafka.acked-records-kept").expected());
    });
  }

  @Test
  void aCrashedLeaderResetsItsConnectionsAndTheProducerFailsOverBeforeItsTimeout() {
    forSeeds(KafkaScenarios.leaderCrash(), t -> {
      assertTrue(t.events().stream().anyMatch(e -> e.kind().equals("conn.reset") && e.node().equals("producer")), "the producer hears the RST");
      assertTrue(t.has("note", "NETWORK_EXCEPTION: connection to b1 reset"), "its requests in flight fail at once");
      assertFalse(t.events().stream().anyMatch(e -> e.node().equals("producer") && e.detail().contains("request.timeout.ms expired")),
          "no request waits out request.timeout.ms");
    });
  }

  @Test
  void epochTruncationRemovesTheDivergedTail() {
    forSeeds(KafkaScenarios.epochDivergence(), t -> {
      assertTrue(t.events().stream().anyMatch(e -> e.node().equals("b1") && e.kind().equals("kafka.log.truncate")
          && e.detail().contains("epoch 0 ends at")), "b1 truncates by OffsetsForLeaderEpoch");
      assertTrue(t.check("kafka.replicas-converge").ok());
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.expected() && kept.excuse().rule().contains("acks=1"), kept.render());
    });
  }

  @Test
  void retriesWithoutIdempotenceDuplicate() {
    forSeeds(KafkaScenarios.retriesWithoutIdempotence(), t -> {
      CheckResult dups = t.check("kafka.no-duplicates");
      assertTrue(dups.expected() && dups.excuse().rule().contains("enable.idempotence=false"), dups.render());
    });
  }

  @Test
  void idempotentProducerRetriesDoNotDuplicate() {
    forSeeds(KafkaScenarios.idempotentProducer(), t -> {
      CheckResult dups = t.check("kafka.no-duplicates");
      assertTrue(dups.ok() && !dups.expected(), dups.render());
      assertTrue(t.has("note", "duplicate batch from producer"), "the leader recognised retried batches");
    });
  }

  @Test
  void isolatedLeaderWithAcks1LosesAcknowledgedWrites() {
    forSeeds(KafkaScenarios.isolatedLeaderAcks1(), t -> {
      assertTrue(t.has("kafka.log.truncate", "orders-0"), "the deposed leader truncates");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.expected() && kept.excuse().rule().contains("acks=1"), kept.render());
      assertTrue(t.check("kafka.consumed-records-stay").ok() && !t.check("kafka.consumed-records-stay").expected(),
          "consumers never saw the lost writes: they were above the high watermark");
    });
  }

  @Test
  void allReplicasCrashingLosesTheUnflushedTail() {
    forSeeds(KafkaScenarios.allReplicasCrash(), t -> {
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.expected() && kept.excuse().rule().contains("acks=all is not fsync"), kept.render());
    });
  }

  @Test
  void controlledShutdownMovesLeadershipFirstAndLosesNothing() {
    forSeeds(KafkaScenarios.controlledShutdown(), t -> {
      assertTrue(t.has("kafka.leader.elected", "controlled shutdown of b1"));
      assertTrue(t.has("note", "controlled shutdown complete"));
      assertFalse(t.has("kafka.leader.elected", "leader b1 fenced"), "no session timeout was needed");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.ok() && !kept.expected(), kept.render());
    });
  }

  @Test
  void corruptSegmentIsTruncatedAtTheBadBatchAndRefetched() {
    forSeeds(KafkaScenarios.corruptSegmentRecovery(), t -> {
      assertTrue(t.events().stream().anyMatch(e -> e.node().equals("b2") && e.kind().equals("kafka.log.truncate")
          && e.detail().contains("recovery") && e.detail().contains("CRC")), "b2's recovery reports the CRC failure");
      assertTrue(t.has("kafka.isr.expand", "b2 caught up"), "b2 refetches and rejoins the ISR");
      CheckResult kept = t.check("kafka.acked-records-kept");
      assertTrue(kept.ok() && !kept.expected(), kept.render());
    });
  }

  @Test
  void stateOfABrokerShowsWhatTheStepperPromises() {
    KafkaScenario s = KafkaScenarios.leaderCrash();
    Simulation run = ScenarioRunner.prepare(s, RunOptions.seed(5));
    run.runUntilTime(s.durationNanos());
    String state = run.node(NodeId.of("b2")).describeState();
    for (String part : List.of("orders-0: leader", "epoch 1", "ISR [", "LEO ", "HW ", "follower b", "epochs: epoch 0@0", "segments: [00000000000000000000.log")) {
      assertTrue(state.contains(part), "state b2 shows '" + part + "':\n" + state);
    }
  }

  @Test
  void sameSeedSameTrace() {
    for (Scenario s : new KafkaScenarios().scenarios()) {
      assertEquals(SimTesting.run(s, 42).traceHash(), SimTesting.run(s, 42).traceHash(), s.name());
    }
  }
}
