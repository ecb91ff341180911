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
      assertDecisionsCommittedBeforeTold(t.events());
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

  /** The controller tells brokers of an election only after the quorum's high watermark passed the record holding it. */
  private static void assertDecisionsCommittedBeforeTold(List<TraceEvent> events) {
    int checked = 0;
    for (int i = 0; i < events.size(); i++) {
      TraceEvent elected = events.get(i);
      if (!elected.kind().equals("kafka.leader.elected") || !elected.detail().contains("fenced")) continue;
      boolean committed = false;
      for (int j = i + 1; j < events.size(); j++) {
        TraceEvent e = events.get(j);
        if (!e.node().equals(elected.node())) continue;
        if (e.kind().equals("kafka.kraft.hw.advance")) committed = true;
        if (e.kind().equals("send") && e.detail().contains("LeaderAndIsr")) {
          assertTrue(committed, "LeaderAndIsr sent before the election was committed: " + e.detail());
          checked++;
          break;
        }
      }
    }
    assertEquals(true, checked > 0, "an election after a fence was told to brokers");
  }
}
