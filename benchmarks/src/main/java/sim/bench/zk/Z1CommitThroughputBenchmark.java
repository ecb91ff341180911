package sim.bench.zk;

import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AsyncCallback;
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
import sim.core.NodeId;
import sim.core.Simulation;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkMessage;
import sim.zk.tree.Op;

/**
 * Z1: committed setData per wall-clock second with {@link #OUTSTANDING} requests kept in flight by one
 * client, the same logical work on both sides. The model commits through a simulated 3-server ensemble
 * (forward to the leader, PROPOSAL, group-committed fsync through the kernel's door, ACK, COMMIT, apply,
 * reply; the fsync is simulated time). The baseline is a real ZooKeeper 3.9 standalone server in the same
 * JVM with {@code zookeeper.forceSync=no} (its log is written but not fsynced) and an asynchronous client
 * holding the same number of requests outstanding, so neither side waits for a disk and the real one pays
 * no round trip per request. Goal: model at least 5x the baseline.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = "-Dzookeeper.forceSync=no")
public class Z1CommitThroughputBenchmark {
  /** Requests in flight at once, on both sides. */
  public static final int OUTSTANDING = 8;
  private static final NodeId DRIVER = NodeId.of("bench");

  /** A simulated ensemble with one connected client keeping {@link #OUTSTANDING} writes in flight. */
  @State(Scope.Thread)
  public static class Simulated {
    Simulation sim;
    ZkClient client;
    NodeId id;
    int n;

    @Setup(Level.Trial)
    public void setUp() {
      sim = new Simulation(1);
      Ensemble e = new Ensemble(sim, ZkConfig.of(3));
      id = e.addClient("bench", 0, 30_000);
      if (!sim.runUntil(e::allServing, 2_000_000)) throw new IllegalStateException("no leader:\n" + e.summary());
      client = e.client(id);
      submit(new Op.Create("/bench", "0", false, false));
      if (!sim.runUntil(() -> client.completed().size() == 1, 2_000_000)) throw new IllegalStateException("no answer to create");
      for (int i = 0; i < OUTSTANDING; i++) submit(set());
    }

    Op set() {
      return new Op.SetData("/bench", Integer.toString(n++), -1);
    }

    void submit(Op op) {
      sim.inject(DRIVER, id, new ZkMessage.Submit(op));
    }

    /** Runs until one more write is answered, then puts another in flight. */
    int oneMore() {
      int before = client.completed().size();
      if (!sim.runUntil(() -> client.completed().size() > before, 1_000_000)) throw new IllegalStateException("stalled: " + client.describeState());
      submit(set());
      return before;
    }
  }

  /** A real standalone ZooKeeper (forceSync=no) on a loopback port with one asynchronous client. */
  @State(Scope.Thread)
  public static class Real {
    File dir;
    ZooKeeperServer server;
    ServerCnxnFactory factory;
    ZooKeeper zk;
    final Semaphore window = new Semaphore(OUTSTANDING);
    final AsyncCallback.StatCallback done = (rc, path, ctx, stat) -> {
      if (rc != 0) throw new IllegalStateException("setData failed: " + rc);
      window.release();
    };
    int n;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      System.setProperty("zookeeper.admin.enableServer", "false");
      if (!"no".equals(System.getProperty("zookeeper.forceSync"))) throw new IllegalStateException("run with -Dzookeeper.forceSync=no");
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
      window.acquire(OUTSTANDING);
      zk.close();
      factory.shutdown();
      server.shutdown();
    }
  }

  @Benchmark
  public int simulatedEnsembleSetData(Simulated s) {
    return s.oneMore();
  }

  /** One more setData once one of the {@link #OUTSTANDING} in flight has been answered. */
  @Benchmark
  public int baselineRealZooKeeperSetData(Real r) throws InterruptedException {
    r.window.acquire();
    r.zk.setData("/bench", Integer.toString(r.n++).getBytes(StandardCharsets.UTF_8), -1, r.done, null);
    return r.n;
  }
}
