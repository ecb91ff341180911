package sim.zk;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import sim.zk.script.ClientEvent;
import sim.zk.script.ScriptBackend;
import sim.zk.tree.EventType;
import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;

/**
 * A real ZooKeeper 3.9 standalone server on a loopback port, and a {@link ScriptBackend} that runs script
 * operations through the real Java client, one {@code ZooKeeper} handle per script client.
 */
final class RealZooKeeper implements ScriptBackend, AutoCloseable {
  private static final int TIMEOUT_MS = 30_000;
  private final File dir;
  private final ZooKeeperServer server;
  private final ServerCnxnFactory factory;
  private final String connect;
  private final Map<String, ZooKeeper> clients = new LinkedHashMap<>();
  private final Map<String, LinkedBlockingQueue<ClientEvent>> queues = new LinkedHashMap<>();
  private final List<String> appearance = new ArrayList<>();

  RealZooKeeper() throws Exception {
    System.setProperty("zookeeper.admin.enableServer", "false");
    System.setProperty("zookeeper.4lw.commands.whitelist", "");
    dir = Files.createTempDirectory("real-zk").toFile();
    server = new ZooKeeperServer(dir, dir, 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", 0), 100);
    factory.startup(server);
    connect = "127.0.0.1:" + factory.getLocalPort();
  }

  /** Starts a server, or returns null when that is impossible here (no loopback sockets). */
  static RealZooKeeper startOrNull() {
    try {
      return new RealZooKeeper();
    } catch (Exception | LinkageError e) {
      System.err.println("cannot start an embedded ZooKeeper: " + e);
      return null;
    }
  }

  String connectString() {
    return connect;
  }

  ZooKeeper client(String name) throws Exception {
    ZooKeeper zk = clients.get(name);
    if (zk != null) return zk;
    LinkedBlockingQueue<ClientEvent> q = queues.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
    CountDownLatch connected = new CountDownLatch(1);
    zk = new ZooKeeper(connect, TIMEOUT_MS, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) connected.countDown();
      if (e.getType() != Watcher.Event.EventType.None) {
        q.add(new ClientEvent(name, EventType.valueOf(e.getType().name()), e.getPath()));
      }
    });
    if (!connected.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("client " + name + " did not connect");
    clients.put(name, zk);
    return zk;
  }

  @Override
  public OpResult execute(String name, Op op) {
    if (!appearance.contains(name)) appearance.add(name);
    try {
      ZooKeeper zk = client(name);
      return run(zk, name, op);
    } catch (KeeperException e) {
      List<KeeperCode> codes = new ArrayList<>();
      if (op instanceof Op.Multi && e.getResults() != null) {
        for (org.apache.zookeeper.OpResult r : e.getResults()) {
          codes.add(code(KeeperException.Code.get(((org.apache.zookeeper.OpResult.ErrorResult) r).getErr())));
        }
      }
      return new OpResult.Failed(code(e.code()), codes);
    } catch (Exception e) {
      throw new IllegalStateException("real ZooKeeper failed on " + op, e);
    }
  }

  private OpResult run(ZooKeeper zk, String name, Op op) throws Exception {
    if (op instanceof Op.Create c) {
      Stat st = new Stat();
      String path = zk.create(c.path(), bytes(c.data()), ZooDefs.Ids.OPEN_ACL_UNSAFE, mode(c), st);
      return new OpResult.Created(path, stat(st));
    }
    if (op instanceof Op.Delete d) {
      zk.delete(d.path(), d.version());
      return new OpResult.Deleted();
    }
    if (op instanceof Op.SetData s) return new OpResult.StatOnly(stat(zk.setData(s.path(), bytes(s.data()), s.version())));
    if (op instanceof Op.GetData g) {
      Stat st = new Stat();
      byte[] data = zk.getData(g.path(), g.watch(), st);
      return new OpResult.Data(data == null ? "" : new String(data, StandardCharsets.UTF_8), stat(st));
    }
    if (op instanceof Op.Exists e) {
      Stat st = zk.exists(e.path(), e.watch());
      return new OpResult.StatOnly(st == null ? null : stat(st));
    }
    if (op instanceof Op.GetChildren g) {
      Stat st = new Stat();
      List<String> children = new ArrayList<>(zk.getChildren(g.path(), g.watch(), st));
      children.sort(Comparator.naturalOrder());
      return new OpResult.Children(children, stat(st));
    }
    if (op instanceof Op.Sync s) {
      CountDownLatch done = new CountDownLatch(1);
      int[] rc = new int[1];
      zk.sync(s.path(), (code, path, ctx) -> {
        rc[0] = code;
        done.countDown();
      }, null);
      done.await(20, TimeUnit.SECONDS);
      if (rc[0] != 0) return OpResult.Failed.of(code(KeeperException.Code.get(rc[0])));
      return new OpResult.Synced(s.path());
    }
    if (op instanceof Op.Multi m) return multi(zk, m);
    if (op instanceof Op.CloseSession) {
      zk.close();
      clients.remove(name);
      return new OpResult.Closed();
    }
    throw new IllegalArgumentException("unsupported " + op);
  }

  private OpResult multi(ZooKeeper zk, Op.Multi m) throws Exception {
    List<org.apache.zookeeper.Op> ops = new ArrayList<>();
    for (Op op : m.ops()) {
      if (op instanceof Op.Create c) ops.add(org.apache.zookeeper.Op.create(c.path(), bytes(c.data()), ZooDefs.Ids.OPEN_ACL_UNSAFE, mode(c)));
      else if (op instanceof Op.Delete d) ops.add(org.apache.zookeeper.Op.delete(d.path(), d.version()));
      else if (op instanceof Op.SetData s) ops.add(org.apache.zookeeper.Op.setData(s.path(), bytes(s.data()), s.version()));
      else if (op instanceof Op.Check c) ops.add(org.apache.zookeeper.Op.check(c.path(), c.version()));
    }
    List<OpResult> results = new ArrayList<>();
    for (org.apache.zookeeper.OpResult r : zk.multi(ops)) {
      if (r instanceof org.apache.zookeeper.OpResult.CreateResult c) results.add(new OpResult.Created(c.getPath(), c.getStat() == null ? null : stat(c.getStat())));
      else if (r instanceof org.apache.zookeeper.OpResult.SetDataResult s) results.add(new OpResult.StatOnly(stat(s.getStat())));
      else if (r instanceof org.apache.zookeeper.OpResult.DeleteResult) results.add(new OpResult.Deleted());
      else if (r instanceof org.apache.zookeeper.OpResult.CheckResult) results.add(new OpResult.Checked());
    }
    return new OpResult.MultiDone(results);
  }

  @Override
  public List<ClientEvent> drainEvents() {
    for (ZooKeeper zk : clients.values()) {
      // A round trip through each client's event thread: events the server sent before this reply are
      // delivered to the watcher before the callback runs.
      CountDownLatch done = new CountDownLatch(1);
      zk.exists("/", false, (rc, path, ctx, stat) -> done.countDown(), null);
      try {
        done.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<ClientEvent> out = new ArrayList<>();
    for (String name : appearance) {
      LinkedBlockingQueue<ClientEvent> q = queues.get(name);
      if (q != null) q.drainTo(out);
    }
    return out;
  }

  private static CreateMode mode(Op.Create c) {
    if (c.ephemeral()) return c.sequential() ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
    return c.sequential() ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KeeperCode code(KeeperException.Code c) {
    return KeeperCode.valueOf(c.name());
  }

  static sim.zk.tree.Stat stat(Stat s) {
    return new sim.zk.tree.Stat(s.getCzxid(), s.getMzxid(), s.getCtime(), s.getMtime(), s.getVersion(), s.getCversion(),
        s.getAversion(), s.getEphemeralOwner(), s.getDataLength(), s.getNumChildren(), s.getPzxid());
  }

  @Override
  public void close() {
    try {
      for (ZooKeeper zk : clients.values()) zk.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    clients.clear();
    factory.shutdown();
    server.shutdown();
    try {
      deleteTree(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void deleteTree(File f) throws IOException {
    File[] kids = f.listFiles();
    if (kids != null) for (File k : kids) deleteTree(k);
    Files.deleteIfExists(f.toPath());
  }
}
