package sim.bench.zk;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import sim.zk.script.SimBackend;
import sim.zk.tree.Op;

/**
 * Z1, second line (the first version of the benchmark, kept for comparison): committed setData per
 * wall-clock second, one client waiting for each reply. The model commits through a simulated 3-server
 * ensemble (forward to the leader, PROPOSAL, fsync, ACK, COMMIT, apply); the baseline is a real ZooKeeper
 * 3.9 standalone server embedded in the same JVM whose txn log fsyncs to the real disk and which pays a
 * loopback TCP round trip per request. So the baseline does more real work than the model: see
 * {@link Z1CommitThroughputBenchmark} for the like-for-like comparison.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class Z1SyncClientRealFsyncBenchmark {

  /** A simulated ensemble with one connected client. */
  @State(Scope.Thread)
  public static class Simulated {
    SimBackend backend;
    int n;

    @Setup(Level.Trial)
    public void setUp() {
      backend = new SimBackend(1, 3).withSettle(0);
      backend.execute("bench", new Op.Create("/bench", "0", false, false));
    }
  }

  /** A real standalone ZooKeeper on a loopback port with one client. */
  @State(Scope.Thread)
  public static class Real {
    File dir;
    ZooKeeperServer server;
    ServerCnxnFactory factory;
    ZooKeeper zk;
    int n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      System.setProperty("zookeeper.admin.enableServer", "false");
      dir = Files.createTempDirectory("z1-real-zk").toFile();
      server = new ZooKeeperServer(dir, dir, 2000);
      factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 10);
      factory.startup(server);
      CountDownLatch up = new CountDownLatch(1);
      zk = new ZooKeeper("127.0.0.1:" + factory.getLocalPort(), 30_000, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) up.countDown();
      });
      up.await(20, TimeUnit.SECONDS);
      zk.create("/bench", "0".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      zk.close();
      factory.shutdown();
      server.shutdown();
    }
  }

  @Benchmark
  public Object simulatedEnsembleSetData(Simulated s) {
    return s.backend.execute("bench", new Op.SetData("/bench", Integer.toString(s.n++), -1));
  }

  @Benchmark
  public Object baselineRealZooKeeperSetData(Real r) throws Exception {
    return r.zk.setData("/bench", Integer.toString(r.n++).getBytes(StandardCharsets.UTF_8), -1);
  }
}
