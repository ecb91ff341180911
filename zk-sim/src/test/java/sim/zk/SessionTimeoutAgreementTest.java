package sim.zk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sim.core.testing.SimTesting;
import sim.zk.server.ZkConfig;

/** The negotiated session timeout is clamped to [2, 20] x tickTime exactly as a real ZooKeeper 3.9 does it. */
class SessionTimeoutAgreementTest {
  @ParameterizedTest
  @ValueSource(ints = {500, 1000, 3999, 4000, 6000, 30_000, 40_000, 40_001, 100_000})
  void negotiatedTimeoutMatchesRealZooKeeper(int requestedMs) throws Exception {
    RealZooKeeper real = RealZooKeeper.startOrNull();
    SimTesting.requireOracle("embedded ZooKeeper 3.9 server", real != null, "needs loopback TCP sockets");
    try (RealZooKeeper server = real) {
      CountDownLatch up = new CountDownLatch(1);
      ZooKeeper zk = new ZooKeeper(server.connectString(), requestedMs, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) up.countDown();
      });
      try {
        org.junit.jupiter.api.Assertions.assertTrue(up.await(20, TimeUnit.SECONDS), "real client did not connect");
        assertEquals(zk.getSessionTimeout(), ZkConfig.of(3).negotiateTimeout(requestedMs), "requested " + requestedMs + "ms");
      } finally {
        zk.close();
      }
    }
  }
}
