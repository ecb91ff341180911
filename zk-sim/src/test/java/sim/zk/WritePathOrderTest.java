package sim.zk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.TraceEvent;
import sim.zk.scenario.ZkScenarios;

/**
 * Reads the trace of whole runs and checks the write path's order: a server ACKs (or, as leader, counts its
 * own ACK for) a proposal only after an fsync of its txn log returned after the proposal reached it, and the
 * leader COMMITs a zxid only after a follower ACKed it (3 servers: a quorum is the leader and one follower),
 * in zxid order.
 */
class WritePathOrderTest {
  private static final Pattern PROPOSAL_ZXID = Pattern.compile("Proposal\\[Txn\\[(0x[0-9a-f]+)");

  @ParameterizedTest
  @ValueSource(strings = {"zk.write-path", "zk.leader-crash", "zk.sync-trunc", "zk.power-loss"})
  void ackFollowsFsyncAndCommitFollowsAQuorumOfAcks(String name) {
    for (long seed = 1; seed <= 5; seed++) {
      List<String> problems = new ArrayList<>();
      Map<String, Map<String, Long>> receivedAt = new HashMap<>(); // node -> zxid -> event index
      Map<String, Long> lastLogFsync = new HashMap<>();
      Map<String, Long> highestAcked = new HashMap<>(); // follower -> highest zxid ACKed
      Map<String, Long> lastCommit = new HashMap<>();
      var scenario = new ZkScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
      ScenarioRunner.run(scenario, RunOptions.seed(seed).withListeners(List.of((TraceEvent e) -> {
        String node = e.node();
        switch (e.kind()) {
          case "deliver" -> {
            Matcher m = PROPOSAL_ZXID.matcher(e.detail());
            if ("Proposal".equals(e.messageType()) && m.find()) receivedAt.computeIfAbsent(node, k -> new HashMap<>()).put(m.group(1), e.index());
          }
          case "zk.zab.proposal" -> receivedAt.computeIfAbsent(node, k -> new HashMap<>()).put((String) e.attribute("zxid"), e.index());
          case "fsync.done" -> {
            if (e.detail().contains("version-2/log.")) lastLogFsync.put(node, e.index());
          }
          case "crash" -> {
            receivedAt.remove(node);
            lastLogFsync.remove(node);
          }
          case "zk.zab.ack" -> {
            String zxid = (String) e.attribute("zxid");
            Long got = receivedAt.getOrDefault(node, Map.of()).get(zxid);
            if (got == null || lastLogFsync.getOrDefault(node, -1L) < got) problems.add(node + " ACKed " + zxid + " before an fsync of its log returned");
            highestAcked.merge(node, Long.decode(zxid), Math::max);
          }
          case "zk.zab.commit" -> {
            String zxid = (String) e.attribute("zxid");
            long z = Long.decode(zxid);
            Long proposed = receivedAt.getOrDefault(node, Map.of()).get(zxid);
            if (proposed == null || lastLogFsync.getOrDefault(node, -1L) < proposed) problems.add(node + " committed " + zxid + " before its own log write was durable");
            boolean followerAck = highestAcked.entrySet().stream().anyMatch(a -> !a.getKey().equals(node) && a.getValue() >= z && (a.getValue() >>> 32) == (z >>> 32));
            if (!followerAck) problems.add(node + " committed " + zxid + " with no follower ACK");
            Long before = lastCommit.put(node, z);
            if (before != null && before >= z && (z >>> 32) == (before >>> 32)) problems.add(node + " committed " + zxid + " after " + Long.toHexString(before));
          }
          default -> { }
        }
      })));
      assertTrue(problems.isEmpty(), name + " seed " + seed + ": " + problems.subList(0, Math.min(5, problems.size())));
    }
  }
}
