package sim.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import sim.core.Durations;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.Timer;

class NetworkTest {
  record Seq(int n) implements Message {}

  static final class Inbox implements Node {
    final List<String> got = new ArrayList<>();
    NodeContext ctx;

    public void start(NodeContext ctx) { this.ctx = ctx; }
    public void onMessage(NodeContext ctx, NodeId from, Message m) { got.add(from + ":" + ((Seq) m).n()); }
    public void onTimer(NodeContext ctx, Timer t) {}
  }

  private static final List<NodeId> IDS = List.of(NodeId.of("n1"), NodeId.of("n2"), NodeId.of("n3"));

  private Simulation cluster(long seed) {
    Simulation sim = new Simulation(seed);
    for (NodeId id : IDS) sim.addNode(id, Inbox::new);
    return sim;
  }

  private void sendAll(Simulation sim, int count) {
    for (NodeId from : IDS) for (NodeId to : IDS) {
      if (from.equals(to)) continue;
      for (int i = 0; i < count; i++) sim.node(from, Inbox.class).ctx.send(to, new Seq(i));
    }
  }

  @Test
  void partitionBlocksExactlyTheLinksItNames() {
    Simulation sim = cluster(1);
    sim.network().partition(Set.of(NodeId.of("n1")), Set.of(NodeId.of("n2")));
    sendAll(sim, 1);
    sim.runFor(Durations.seconds(1));
    assertEquals(List.of("n3:0"), sim.node(NodeId.of("n1"), Inbox.class).got, "n2 cannot reach n1; n3 can");
    assertEquals(List.of("n3:0"), sim.node(NodeId.of("n2"), Inbox.class).got);
    assertEquals(List.of("n1:0", "n2:0"), sim.node(NodeId.of("n3"), Inbox.class).got.stream().sorted().toList());
  }

  @Test
  void oneWayBlockCutsOnlyOneDirection() {
    Simulation sim = cluster(1);
    sim.network().block(NodeId.of("n1"), NodeId.of("n2"));
    sendAll(sim, 1);
    sim.runFor(Durations.seconds(1));
    assertTrue(sim.node(NodeId.of("n2"), Inbox.class).got.stream().noneMatch(s -> s.startsWith("n1")));
    assertTrue(sim.node(NodeId.of("n1"), Inbox.class).got.contains("n2:0"), "n1 still hears n2");
  }

  @Test
  void messagesInFlightAreDroppedWhenAPartitionStartsBeforeTheyArrive() {
    Simulation sim = cluster(1);
    sim.node(NodeId.of("n1"), Inbox.class).ctx.send(NodeId.of("n2"), new Seq(1));
    sim.network().partition(Set.of(NodeId.of("n1")), Set.of(NodeId.of("n2")));
    sim.runFor(Durations.seconds(1));
    assertTrue(sim.node(NodeId.of("n2"), Inbox.class).got.isEmpty());
  }

  @Test
  void linksAreFifoUnlessReorderingIsOn() {
    Simulation fifo = cluster(3);
    sendAll(fifo, 50);
    fifo.runFor(Durations.seconds(1));
    List<String> got = fifo.node(NodeId.of("n2"), Inbox.class).got.stream().filter(s -> s.startsWith("n1")).toList();
    for (int i = 0; i < 50; i++) assertEquals("n1:" + i, got.get(i));

    Simulation shuffled = cluster(3);
    shuffled.network().setReorder(true);
    sendAll(shuffled, 50);
    shuffled.runFor(Durations.seconds(1));
    List<String> reordered = shuffled.node(NodeId.of("n2"), Inbox.class).got.stream().filter(s -> s.startsWith("n1")).toList();
    assertEquals(50, reordered.size());
    assertTrue(!reordered.equals(got), "with reordering on, 50 messages over a 0.5-2ms link arrive out of order");
  }

  @Test
  void dropAndDuplicateChangeHowManyArrive() {
    Simulation lossy = cluster(4);
    lossy.network().setDropProbability(0.5);
    sendAll(lossy, 200);
    lossy.runFor(Durations.seconds(1));
    int got = lossy.node(NodeId.of("n2"), Inbox.class).got.size();
    assertTrue(got > 100 && got < 300, "about half of 400 should arrive, got " + got);

    Simulation dup = cluster(4);
    dup.network().setDuplicateProbability(0.5);
    sendAll(dup, 200);
    dup.runFor(Durations.seconds(1));
    int dups = dup.node(NodeId.of("n2"), Inbox.class).got.size();
    assertTrue(dups > 500 && dups < 700, "about 600 copies of 400 messages should arrive, got " + dups);
  }

  @Test
  void healRestoresEveryLink() {
    Simulation sim = cluster(1);
    sim.network().partition(Set.of(NodeId.of("n1")), Set.of(NodeId.of("n2"), NodeId.of("n3")));
    sim.network().heal();
    sendAll(sim, 1);
    sim.runFor(Durations.seconds(1));
    for (NodeId id : IDS) assertEquals(2, sim.node(id, Inbox.class).got.size());
  }

  @Test
  void perLinkLatencyOverridesTheDefaultForThatDirectionOnly() {
    Simulation sim = cluster(1);
    sim.network().setLinkLatency(NodeId.of("n1"), NodeId.of("n2"), Durations.millis(100), Durations.millis(100));
    sendAll(sim, 1);
    sim.runFor(Durations.millis(50));
    assertTrue(sim.node(NodeId.of("n2"), Inbox.class).got.stream().noneMatch(s -> s.startsWith("n1")), "n1->n2 takes 100ms");
    assertTrue(sim.node(NodeId.of("n1"), Inbox.class).got.contains("n2:0"), "n2->n1 keeps the default latency");
    sim.runFor(Durations.millis(60));
    assertTrue(sim.node(NodeId.of("n2"), Inbox.class).got.contains("n1:0"));
  }

  /** A node's message to itself is handed over in-process, as the real systems do: no fault touches it. */
  @Test
  void aNodesMessagesToItselfAreNeverBlockedLostOrDuplicated() {
    Simulation sim = cluster(5);
    NodeId n1 = NodeId.of("n1");
    sim.network().setDropProbability(1.0);
    sim.network().setDuplicateProbability(1.0);
    sim.network().partition(Set.of(n1), Set.of(n1, NodeId.of("n2")));
    for (int i = 0; i < 50; i++) sim.node(n1, Inbox.class).ctx.send(n1, new Seq(i));
    sim.node(n1, Inbox.class).ctx.send(NodeId.of("n2"), new Seq(99));
    sim.runFor(Durations.seconds(1));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 50; i++) expected.add("n1:" + i);
    assertEquals(expected, sim.node(n1, Inbox.class).got, "every one, once, in order");
    assertEquals(List.of(), sim.node(NodeId.of("n2"), Inbox.class).got, "the other link is still cut");
  }
}
