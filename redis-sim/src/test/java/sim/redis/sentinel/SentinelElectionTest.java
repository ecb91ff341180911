package sim.redis.sentinel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.redis.config.RedisConfig;
import sim.redis.node.RedisMessage;
import sim.redis.node.RedisNode;

/** sentinelVoteLeader, sentinelGetLeader and sentinelSelectSlave, rule by rule; and the vote's fsync before its reply. */
class SentinelElectionTest {
  /** A sentinel process stand-in that records what the monitor asked of it. */
  static final class FakeHost implements SentinelHost {
    long now = 1_700_000_000_000L;
    long epoch;
    boolean voteTwice;
    final List<String> log = new ArrayList<>();

    public long now() { return now; }
    public int random(int bound) { return 0; }
    public String myId() { return "me"; }
    public long currentEpoch() { return epoch; }
    public void currentEpoch(long e) { epoch = e; }
    public void flushConfig() { log.add("flush epoch=" + epoch); }
    public void event(String type, String detail) { log.add(type); }
    public void ask(Instance target, String command) { }
    public void replicaof(Instance target, String host, int port) { log.add("REPLICAOF " + target.host + " " + host); }
    public void askPeer(PeerSentinel peer, String h, int p, long e, String runId) { log.add("ask " + peer.id.name() + " " + runId); }
    public void helloNow() { }
    public boolean broken(String rule) { return voteTwice; }
  }

  private static Monitor monitor(FakeHost host, int quorum) {
    SentinelConfig c = SentinelConfig.monitor("mymaster", "redis", 6379, quorum);
    c.sentinels.add("s2");
    c.sentinels.add("s3");
    return new Monitor(c, host, "redis", 6379);
  }

  @Test
  void aSentinelVotesOncePerEpochForTheFirstToAsk() {
    FakeHost h = new FakeHost();
    Monitor m = monitor(h, 2);
    assertEquals("a", m.voteLeader(1, "a")[0]);
    Object[] second = m.voteLeader(1, "b");
    assertEquals("a", second[0], "the second candidate of epoch 1 gets the first one's name back");
    assertEquals(1L, second[1]);
    assertEquals("b", m.voteLeader(2, "b")[0], "a new epoch, a new vote");
    assertEquals("b", m.voteLeader(1, "c")[0], "an older epoch changes nothing");
  }

  @Test
  void aGreaterEpochIsAdoptedAndBothChangesAreFlushedBeforeTheAnswer() {
    FakeHost h = new FakeHost();
    Monitor m = monitor(h, 2);
    m.voteLeader(5, "a");
    assertEquals(5, h.epoch);
    assertEquals(List.of("flush epoch=5", "+new-epoch", "flush epoch=5", "+vote-for-leader"), h.log);
    assertEquals(h.now, m.failoverStartTime, "voting for another delays our own failover (rand() % 1000 = 0 here)");
  }

  @Test
  void theBrokenRuleVotesTwiceInOneEpoch() {
    FakeHost h = new FakeHost();
    h.voteTwice = true;
    Monitor m = monitor(h, 2);
    m.voteLeader(1, "a");
    assertEquals("b", m.voteLeader(1, "b")[0]);
  }

  @Test
  void theLeaderNeedsAMajorityOfTheKnownSentinelsAndQuorum() {
    FakeHost h = new FakeHost();
    h.epoch = 1;
    Monitor m = monitor(h, 2);
    assertNull(m.getLeader(1), "our own vote alone is 1 of 3");
    PeerSentinel s2 = m.sentinels.get("s2");
    s2.leader = "me";
    s2.leaderEpoch = 1;
    assertEquals("me", m.getLeader(1), "2 of 3 and quorum 2");
    Monitor strict = monitor(new FakeHost(), 3);
    ((FakeHost) strict.host).epoch = 1;
    strict.sentinels.get("s2").leader = "me";
    strict.sentinels.get("s2").leaderEpoch = 1;
    assertNull(strict.getLeader(1), "a majority is not enough when quorum is 3");
  }

  @Test
  void aCandidateVotesForTheMostVotedPeerRatherThanItself() {
    FakeHost h = new FakeHost();
    h.epoch = 1;
    Monitor m = monitor(h, 2);
    m.sentinels.get("s2").leader = "s3id";
    m.sentinels.get("s2").leaderEpoch = 1;
    assertEquals("s3id", m.getLeader(1));
    assertEquals("s3id", m.leader);
  }

  @Test
  void theReplicaChosenIsByPriorityThenOffsetThenRunId() {
    FakeHost h = new FakeHost();
    Monitor m = monitor(h, 2);
    Failover f = new Failover(m);
    Instance a = slave(m, h, "a", 100, 500, "bbbb");
    Instance b = slave(m, h, "b", 100, 900, "cccc");
    Instance c = slave(m, h, "c", 100, 900, "aaaa");
    Instance d = slave(m, h, "d", 50, 1, "zzzz");
    assertEquals(d, f.selectSlave(), "the lowest slave-priority first");
    d.priority = 0;
    assertEquals(c, f.selectSlave(), "priority 0 never; then the greatest offset, then the smaller run id");
    c.sdown = true;
    assertEquals(b, f.selectSlave(), "not an SDOWN replica");
    b.infoRefresh = h.now - 40_000;
    assertEquals(a, f.selectSlave(), "not one whose INFO is older than 3 INFO periods");
    a.masterLinkDownTime = 60_000 * 10;
    assertNull(f.selectSlave(), "not one disconnected from the master for longer than 10 x down-after");
  }

  private static Instance slave(Monitor m, FakeHost h, String name, int priority, long offset, String runId) {
    Instance s = new Instance(name, 6379, h.now);
    s.priority = priority;
    s.replOffset = offset;
    s.runId = runId;
    s.infoRefresh = h.now;
    s.lastAvailTime = h.now;
    m.slaves.put(name + ":6379", s);
    return s;
  }

  @Test
  void theVoteLeavesOnlyAfterSentinelConfIsDurable() {
    Simulation sim = new Simulation(1);
    sim.addNode(NodeId.of("redis"), () -> new RedisNode(RedisConfig::new));
    List<NodeId> ids = List.of(NodeId.of("s1"), NodeId.of("s2"), NodeId.of("s3"));
    for (NodeId id : ids) {
      sim.addNode(id, () -> {
        SentinelConfig c = SentinelConfig.monitor("mymaster", "redis", 6379, 2);
        for (NodeId o : ids) if (!o.equals(id)) c.sentinels.add(o.name());
        return new SentinelNode(() -> c);
      });
    }
    List<String> s1 = new ArrayList<>();
    sim.trace().addListener(e -> {
      if (e.node().equals("s1")) s1.add(e.kind() + " " + e.detail());
    });
    sim.runFor(Durations.millis(500));
    sim.inject(NodeId.of("s2"), NodeId.of("s1"), new RedisMessage.Request(4242,
        List.of("SENTINEL", "is-master-down-by-addr", "redis", "6379", "7", "candidate")));
    sim.runFor(Durations.millis(500));
    int vote = index(s1, "+vote-for-leader candidate 7");
    int durable = index(s1, "fsync.done");
    int reply = index(s1, "Reply[id=4242");
    assertTrue(vote >= 0 && durable > vote && reply > durable, "vote, then fsync.done, then the reply: " + s1);
    assertTrue(s1.get(reply).contains("$9\\r\\ncandidate\\r\\n:7"), s1.get(reply));
    assertEquals(7, sim.node(NodeId.of("s1"), SentinelNode.class).currentEpoch());
    sim.crash(NodeId.of("s1"));
    sim.restart(NodeId.of("s1"));
    sim.runFor(Durations.millis(10));
    assertEquals(7, sim.node(NodeId.of("s1"), SentinelNode.class).currentEpoch(), "the epoch survives a crash");
  }

  private static int index(List<String> events, String fragment) {
    for (int i = 0; i < events.size(); i++) if (events.get(i).contains(fragment)) return i;
    return -1;
  }
}
