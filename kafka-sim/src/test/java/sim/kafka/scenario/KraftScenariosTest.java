package sim.kafka.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.trace.TraceEvent;

/** The KRaft quorum's lessons over several seeds, and the orders the mechanism promises, read from the trace. */
class KraftScenariosTest {
  @Test
  void aCrashedActiveControllerIsReplacedInAHigherEpochThatKeepsManagingBrokers() {
    KafkaScenariosTest.forSeeds(KraftScenarios.controllerFailover(), t -> {
      assertTrue(t.result().ok(), t.result().checks().toString());
      for (String lesson : List.of("kafka.story.new-controller-in-higher-epoch", "kafka.story.new-controller-elects-partition-leader")) {
        assertTrue(t.check(lesson).ok(), t.check(lesson).render());
      }
      assertVoteRequestsFollowTheirQuorumStateFsync(t.events());
      assertBrokersActOnElectionsOnlyOnceCommitted(t.events());
      assertObserversNeverCountTowardTheHighWatermark(t.events());
      assertARestartedBrokerIsUnfencedOnlyOnceCaughtUp(t.events(), "b1", sim.core.Durations.seconds(18));
    });
  }

  @Test
  void aPartitionedLeaderResignsTheMajorityElectsAndPreVoteKeepsTheOldLeaderFromDisrupting() {
    KafkaScenariosTest.forSeeds(KraftScenarios.partitionedController(), t -> {
      assertTrue(t.result().ok(), t.result().checks().toString());
      for (String lesson : List.of("kafka.story.minority-leader-resigns", "kafka.story.majority-elects", "kafka.story.pre-vote-prevents-disruption")) {
        assertTrue(t.check(lesson).ok(), t.check(lesson).render());
      }
    });
  }

  @Test
  void aBrokerCutOffFromTheControllersIsFencedAndLosesItsLeadership() {
    KafkaScenariosTest.forSeeds(KraftScenarios.brokerFenced(), t -> {
      assertTrue(t.result().ok(), t.result().checks().toString());
      for (String lesson : List.of("kafka.story.broker-fenced", "kafka.story.leadership-moves")) assertTrue(t.check(lesson).ok(), t.check(lesson).render());
      TraceEvent fenced = t.events().stream().filter(e -> e.kind().equals("note") && e.detail().contains("fences b1: no heartbeat")).findFirst().orElseThrow();
      long lastAnswered = t.events().stream().filter(e -> e.kind().equals("deliver") && e.node().equals("b1") && e.detail().contains("BrokerHeartbeatResponse")
          && e.timeNanos() < fenced.timeNanos()).mapToLong(TraceEvent::timeNanos).max().orElse(0);
      assertTrue(fenced.timeNanos() - lastAnswered >= sim.core.Durations.millis(9000) - sim.core.Durations.millis(2500),
          "fenced " + sim.core.Durations.format(fenced.timeNanos() - lastAnswered) + " after b1's last answered heartbeat: about broker.session.timeout.ms");
    });
  }

  /** Persist before you speak: a candidate's real vote requests leave only after its quorum-state fsync returned. */
  private static void assertVoteRequestsFollowTheirQuorumStateFsync(List<TraceEvent> events) {
    int checked = 0;
    for (int i = 0; i < events.size(); i++) {
      TraceEvent c = events.get(i);
      if (!c.kind().equals("kafka.kraft.candidate")) continue;
      boolean durable = false;
      for (int j = i + 1; j < events.size(); j++) {
        TraceEvent e = events.get(j);
        if (!e.node().equals(c.node())) continue;
        if (e.kind().equals("fsync.done") && e.detail().contains("quorum-state")) durable = true;
        if (e.kind().equals("send") && e.detail().contains("VoteRequest") && e.detail().contains("preVote=false")) {
          assertTrue(durable, c.node() + " asked for votes before its vote for itself was durable: " + e.detail());
          checked++;
          break;
        }
        if (e.kind().startsWith("kafka.kraft.") && !e.kind().equals("kafka.kraft.candidate")) break;
      }
    }
    assertTrue(checked > 0, "some candidate sent vote requests");
  }

  /**
   * Brokers learn an election from the metadata log, and act on it only once committed: no LeaderAndIsr is ever sent, and
   * the first broker to publish the state an election after a fence chose does so after the electing controller's high
   * watermark moved on.
   */
  private static void assertBrokersActOnElectionsOnlyOnceCommitted(List<TraceEvent> events) {
    assertTrue(events.stream().noneMatch(e -> e.kind().equals("send") && e.detail().contains("LeaderAndIsr")), "KRaft brokers get no LeaderAndIsr");
    int checked = 0;
    for (int i = 0; i < events.size(); i++) {
      TraceEvent elected = events.get(i);
      if (!elected.kind().equals("kafka.leader.elected") || !elected.detail().contains("fenced")) continue;
      String state = elected.detail().substring(0, elected.detail().indexOf('}') + 1);
      boolean committed = false;
      for (int j = i + 1; j < events.size(); j++) {
        TraceEvent e = events.get(j);
        if (e.node().equals(elected.node()) && e.kind().equals("kafka.kraft.hw.advance")) committed = true;
        if (e.kind().equals("kafka.broker.metadata.publish") && e.detail().contains(state)) {
          assertTrue(committed, e.node() + " applied " + state + " before it was committed: " + e.detail());
          checked++;
          break;
        }
      }
    }
    assertTrue(checked > 0, "an election after a fence reached a broker through the metadata log");
  }

  /** The high watermark counts voters only: no broker is among the end offsets a leader's advance was computed from. */
  private static void assertObserversNeverCountTowardTheHighWatermark(List<TraceEvent> events) {
    long advances = events.stream().filter(e -> e.kind().equals("kafka.kraft.hw.advance")).peek(e -> {
      String ends = e.detail().substring(e.detail().indexOf("end offsets"));
      assertTrue(!ends.contains("b1=") && !ends.contains("b2=") && !ends.contains("b3="), "a broker counted toward the high watermark: " + e.detail());
    }).count();
    assertTrue(advances > 0);
    assertTrue(events.stream().anyMatch(e -> e.kind().equals("send") && e.detail().startsWith("b2->") && e.detail().contains("FetchRequest[epoch=")),
        "brokers fetch the metadata log");
  }

  /**
   * A restarted broker asks to stay fenced (wantFence=true) until the controller says it replayed its own
   * RegisterBrokerRecord, and is unfenced only after that (BrokerHeartbeatManager's "caught up").
   */
  private static void assertARestartedBrokerIsUnfencedOnlyOnceCaughtUp(List<TraceEvent> events, String broker, long restartedAt) {
    TraceEvent caughtUp = events.stream().filter(e -> e.timeNanos() >= restartedAt && e.node().equals(broker)
        && e.kind().equals("kafka.broker.metadata.caught-up")).findFirst().orElseThrow(() -> new AssertionError(broker + " never caught up"));
    TraceEvent unfenced = events.stream().filter(e -> e.timeNanos() >= restartedAt && e.kind().equals("note")
        && e.detail().startsWith("controller unfences " + broker + ":")).findFirst().orElseThrow(() -> new AssertionError(broker + " never unfenced"));
    assertTrue(unfenced.timeNanos() >= caughtUp.timeNanos(), "unfenced before caught up: " + unfenced.detail());
    assertTrue(events.stream().filter(e -> e.timeNanos() >= restartedAt && e.timeNanos() < caughtUp.timeNanos() && e.kind().equals("send")
        && e.detail().startsWith(broker + "->") && e.detail().contains("KraftBrokerHeartbeat[")).allMatch(e -> e.detail().contains("wantFence=true")),
        "a broker still catching up asks to stay fenced");
  }
}
