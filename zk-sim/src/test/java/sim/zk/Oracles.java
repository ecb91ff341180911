package sim.zk;

import java.util.List;
import sim.core.testing.SimTesting;
import sim.zk.script.ScriptLine;
import sim.zk.script.ScriptRunner;

/** Runs scripts on a fresh embedded real ZooKeeper (skipped, or failed under SIM_ORACLES=required, if impossible). */
final class Oracles {
  private Oracles() {}

  static void quietZooKeeperLogging() {
    System.setProperty("zookeeper.admin.enableServer", "false");
  }

  static List<String> runOnRealZooKeeper(List<ScriptLine> lines) throws Exception {
    RealZooKeeper real = RealZooKeeper.startOrNull();
    SimTesting.requireOracle("embedded ZooKeeper 3.9 server", real != null, "needs loopback TCP sockets");
    try (RealZooKeeper zk = real) {
      return ScriptRunner.run(lines, zk, true);
    }
  }
}
