package sim.zk;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sim.core.scenario.RunOptions;
import sim.core.scenario.ScenarioRunner;
import sim.core.trace.TraceEvent;
import sim.zk.scenario.ZkScenarios;

/**
 * Reads the trace of whole runs and checks the write path's order: no follower ACKs while its txn log has
 * un-fsynced writes, and the leader COMMITs a zxid only after enough followers ACKed it, in zxid order.
 */
class WritePathOrderTest {
  @ParameterizedTest
  @ValueSource(strings = {"zk.write-path", "zk.leader-crash", "zk.sync-trunc"})
  void ackFollowsFsyncAndCommitFollowsAQuorumOfAcks(String name) {
    for (long seed = 1; seed <= 5; seed++) {
      List<String> problems = new ArrayList<>();
      Map<String, Boolean> logDirty = new HashMap<>();
      Map<String, TreeSet<String>> ackers = new HashMap<>();
      Map<String, Long> lastCommit = new HashMap<>();
      var scenario = new ZkScenarios().scenarios().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
      ScenarioRunner.run(scenario, RunOptions.seed(seed).withListeners(List.of((TraceEvent e) -> {
        String node = e.node();
        switch (e.kind()) {
          case "disk.write" -> {
            if (e.detail().startsWith("version-2/log.")) logDirty.put(node, true);
          }
          case "disk.fsync" -> {
            if (e.detail().startsWith("version-2/log.")) logDirty.put(node, false);
          }
          case "crash" -> logDirty.put(node, false);
          case "zk.zab.ack" -> {
            if (logDirty.getOrDefault(node, false)) problems.add(node + " ACKed with un-fsynced log writes: " + e.detail());
            String zxid = e.detail().replaceAll(".*fsynced (0x[0-9a-f]+).*", "$1");
            ackers.computeIfAbsent(zxid, z -> new TreeSet<>()).add(node);
          }
          case "zk.zab.commit" -> {
            String zxid = e.detail().substring(0, e.detail().indexOf(' '));
            long z = Long.parseLong(zxid.substring(2), 16);
            // 3 servers: the leader's own fsync plus one follower ACK at least
            if (ackers.getOrDefault(zxid, new TreeSet<>()).isEmpty()) problems.add(node + " committed " + zxid + " with no follower ACK");
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
