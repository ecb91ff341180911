package sim.zk.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Check;

/**
 * ZooKeeper's {@code DataTree}: the znodes with their data and {@link Stat}, the ephemerals per session and
 * the server-local watches. {@link #apply} runs one committed transaction; {@link #read} answers a read.
 * The checks and their order follow {@code PrepRequestProcessor}; the Stat updates follow {@code
 * DataTree.createNode/deleteNode/setData}.
 */
public final class DataTree {
  /** A znode: data, stat and child names (sorted, which ZooKeeper does not promise). */
  static final class ZNode {
    String data;
    Stat stat;
    final TreeSet<String> children = new TreeSet<>();

    ZNode(String data, Stat stat) {
      this.data = data;
      this.stat = stat;
    }

    ZNode copy() {
      ZNode c = new ZNode(data, stat);
      c.children.addAll(children);
      return c;
    }
  }

  /** What applying a transaction produced: the client's result and the watches it fired here. */
  public record Applied(OpResult result, List<WatchEvent> events) {}

  public static final String ZOOKEEPER = "/zookeeper";

  private final TreeMap<String, ZNode> nodes = new TreeMap<>();
  private final TreeMap<Long, TreeSet<String>> ephemerals = new TreeMap<>();
  private final WatchManager dataWatches = new WatchManager();
  private final WatchManager childWatches = new WatchManager();
  private long lastProcessedZxid;
  private long digest;

  public DataTree() {
    put("/", new ZNode("", Stat.system(0)));
    put(ZOOKEEPER, new ZNode("", Stat.system(0)));
    put(ZOOKEEPER + "/quota", new ZNode("", Stat.system(0)));
    put(ZOOKEEPER + "/config", new ZNode("", Stat.system(0)));
    // DataTree's constructor links these with addChild, which leaves cversion and pzxid at 0.
    linkSystemChild("/", "zookeeper");
    linkSystemChild(ZOOKEEPER, "quota");
    linkSystemChild(ZOOKEEPER, "config");
  }

  private void linkSystemChild(String parent, String name) {
    ZNode p = nodes.get(parent);
    p.children.add(name);
    Stat s = p.stat;
    replaceStat(parent, p, new Stat(s.czxid(), s.mzxid(), s.ctime(), s.mtime(), s.version(), s.cversion(), s.aversion(),
        s.ephemeralOwner(), s.dataLength(), p.children.size(), s.pzxid()));
  }

  public long lastProcessedZxid() {
    return lastProcessedZxid;
  }

  /** A digest of every node's path, data and stat, kept up to date as nodes change (like ZooKeeper's). */
  public long digest() {
    return digest;
  }

  public int nodeCount() {
    return nodes.size();
  }

  public boolean exists(String path) {
    return nodes.containsKey(path);
  }

  public Stat stat(String path) {
    ZNode n = nodes.get(path);
    return n == null ? null : n.stat;
  }

  public String data(String path) {
    ZNode n = nodes.get(path);
    return n == null ? null : n.data;
  }

  public List<String> children(String path) {
    ZNode n = nodes.get(path);
    return n == null ? List.of() : List.copyOf(n.children);
  }

  public TreeSet<String> ephemerals(long sessionId) {
    TreeSet<String> s = ephemerals.get(sessionId);
    return s == null ? new TreeSet<>() : new TreeSet<>(s);
  }

  public int watchCount() {
    return dataWatches.size() + childWatches.size();
  }

  // ---- reads ----------------------------------------------------------------------------------------

  /** getData / exists / getChildren, registering a watch when asked (FinalRequestProcessor's read path). */
  public OpResult read(Op op, long sessionId) {
    String path = op.path();
    if (Paths.invalidReason(path, false) != null) return OpResult.Failed.of(KeeperCode.BADARGUMENTS);
    ZNode n = nodes.get(path);
    if (op instanceof Op.Exists e) {
      if (e.watch()) dataWatches.add(path, sessionId); // an exists watch is set even on a missing node
      return new OpResult.StatOnly(n == null ? null : n.stat.asSeenByClient());
    }
    if (n == null) return OpResult.Failed.of(KeeperCode.NONODE);
    if (op instanceof Op.GetData g) {
      if (g.watch()) dataWatches.add(path, sessionId);
      return new OpResult.Data(n.data, n.stat.asSeenByClient());
    }
    if (op instanceof Op.GetChildren g) {
      if (g.watch()) childWatches.add(path, sessionId);
      return new OpResult.Children(List.copyOf(n.children), n.stat.asSeenByClient());
    }
    throw new IllegalArgumentException("not a read: " + op);
  }

  /**
   * {@code DataTree.setWatches} after a reconnect: a watch whose node changed after {@code relativeZxid} (the
   * last zxid the client saw) fires now; the others are registered here.
   */
  public List<WatchEvent> setWatches(long relativeZxid, List<String> data, List<String> exist, List<String> child, long sessionId) {
    List<WatchEvent> fire = new ArrayList<>();
    for (String path : data) {
      ZNode n = nodes.get(path);
      if (n == null) fire.add(new WatchEvent(sessionId, EventType.NodeDeleted, path, lastProcessedZxid));
      else if (n.stat.mzxid() > relativeZxid) fire.add(new WatchEvent(sessionId, EventType.NodeDataChanged, path, lastProcessedZxid));
      else dataWatches.add(path, sessionId);
    }
    for (String path : exist) {
      if (nodes.containsKey(path)) fire.add(new WatchEvent(sessionId, EventType.NodeCreated, path, lastProcessedZxid));
      else dataWatches.add(path, sessionId);
    }
    for (String path : child) {
      ZNode n = nodes.get(path);
      if (n == null) fire.add(new WatchEvent(sessionId, EventType.NodeDeleted, path, lastProcessedZxid));
      else if (n.stat.pzxid() > relativeZxid) fire.add(new WatchEvent(sessionId, EventType.NodeChildrenChanged, path, lastProcessedZxid));
      else childWatches.add(path, sessionId);
    }
    return fire;
  }

  public void removeWatches(long sessionId) {
    dataWatches.removeSession(sessionId);
    childWatches.removeSession(sessionId);
  }

  // ---- writes ---------------------------------------------------------------------------------------

  /** Applies one committed transaction in zxid order. */
  public Applied apply(Txn txn) {
    Check.state(txn.zxid() > lastProcessedZxid, "txn %s applied after %s", Txn.hex(txn.zxid()), Txn.hex(lastProcessedZxid));
    lastProcessedZxid = txn.zxid();
    List<WatchEvent> events = new ArrayList<>();
    OpResult result;
    if (txn.op() instanceof Op.Multi m) {
      result = applyMulti(txn, m, events);
    } else if (txn.op() instanceof Op.CloseSession) {
      killSession(txn.sessionId(), txn.zxid(), events);
      result = new OpResult.Closed();
    } else if (txn.op() instanceof Op.CreateSession cs) {
      result = new OpResult.SessionOpened(txn.sessionId(), cs.timeoutMs());
    } else {
      try {
        result = applyOne(txn, txn.op(), events);
      } catch (KeeperError e) {
        result = OpResult.Failed.of(e.code());
      }
    }
    return new Applied(result, events);
  }

  private OpResult applyOne(Txn txn, Op op, List<WatchEvent> events) throws KeeperError {
    if (op instanceof Op.Create c) return create(txn, c, events);
    if (op instanceof Op.Delete d) return delete(txn.zxid(), d.path(), d.version(), events);
    if (op instanceof Op.SetData s) return setData(txn, s, events);
    if (op instanceof Op.Check c) return check(c);
    throw new KeeperError(KeeperCode.UNIMPLEMENTED, op.path());
  }

  /** All or nothing: on the first failure every change is rolled back and no watch fires. */
  private OpResult applyMulti(Txn txn, Op.Multi m, List<WatchEvent> events) {
    TreeMap<String, ZNode> before = new TreeMap<>();
    TreeMap<Long, TreeSet<String>> ephemeralsBefore = new TreeMap<>();
    for (Map.Entry<Long, TreeSet<String>> e : ephemerals.entrySet()) ephemeralsBefore.put(e.getKey(), new TreeSet<>(e.getValue()));
    long digestBefore = digest;
    Map<String, TreeSet<Long>> dataWatchesBefore = dataWatches.save();
    Map<String, TreeSet<Long>> childWatchesBefore = childWatches.save();
    List<WatchEvent> pending = new ArrayList<>();
    List<OpResult> results = new ArrayList<>();
    for (int i = 0; i < m.ops().size(); i++) {
      Op op = m.ops().get(i);
      remember(before, op.path());
      if (op.path() != null && !op.path().equals("/")) remember(before, Paths.parent(op.path()));
      try {
        OpResult r = applyOne(txn, op, pending);
        if (r instanceof OpResult.Created c) {
          before.putIfAbsent(c.path(), null);
          r = new OpResult.Created(c.path(), null); // Op.create in a multi answers CreateResult(path) only
        }
        results.add(r);
      } catch (KeeperError e) {
        rollback(before, ephemeralsBefore, digestBefore);
        dataWatches.restore(dataWatchesBefore);
        childWatches.restore(childWatchesBefore);
        List<KeeperCode> codes = new ArrayList<>();
        for (int j = 0; j < m.ops().size(); j++) {
          codes.add(j < i ? KeeperCode.OK : j == i ? e.code() : KeeperCode.RUNTIMEINCONSISTENCY);
        }
        return new OpResult.Failed(e.code(), codes);
      }
    }
    events.addAll(pending);
    return new OpResult.MultiDone(results);
  }

  private void remember(TreeMap<String, ZNode> before, String path) {
    if (path == null || before.containsKey(path)) return;
    ZNode n = nodes.get(path);
    before.put(path, n == null ? null : n.copy());
  }

  private void rollback(TreeMap<String, ZNode> before, TreeMap<Long, TreeSet<String>> ephemeralsBefore, long digestBefore) {
    for (Map.Entry<String, ZNode> e : before.entrySet()) {
      if (e.getValue() == null) nodes.remove(e.getKey()); else nodes.put(e.getKey(), e.getValue());
    }
    ephemerals.clear();
    ephemerals.putAll(ephemeralsBefore);
    digest = digestBefore;
  }

  private OpResult create(Txn txn, Op.Create c, List<WatchEvent> events) throws KeeperError {
    String path = c.path();
    if (Paths.invalidReason(path, c.sequential()) != null || path.equals("/")) throw new KeeperError(KeeperCode.BADARGUMENTS, path);
    String parentPath = Paths.parent(path);
    ZNode parent = nodes.get(parentPath);
    if (parent == null) throw new KeeperError(KeeperCode.NONODE, path);
    if (c.sequential()) path = path + String.format(java.util.Locale.ENGLISH, "%010d", parent.stat.cversion());
    if (Paths.invalidReason(path, false) != null) throw new KeeperError(KeeperCode.BADARGUMENTS, path);
    if (nodes.containsKey(path)) throw new KeeperError(KeeperCode.NODEEXISTS, path);
    if (parent.stat.ephemeralOwner() != 0) throw new KeeperError(KeeperCode.NOCHILDRENFOREPHEMERALS, path);
    long owner = c.ephemeral() ? txn.sessionId() : 0;
    ZNode child = new ZNode(c.data(), Stat.created(txn.zxid(), txn.timeMs(), owner, utf8Length(c.data())));
    put(path, child);
    parent.children.add(Paths.name(path));
    Stat p = parent.stat;
    replaceStat(parentPath, parent, new Stat(p.czxid(), p.mzxid(), p.ctime(), p.mtime(), p.version(), p.cversion() + 1,
        p.aversion(), p.ephemeralOwner(), p.dataLength(), parent.children.size(), txn.zxid()));
    if (owner != 0) ephemerals.computeIfAbsent(owner, k -> new TreeSet<>()).add(path);
    dataWatches.trigger(path, EventType.NodeCreated, txn.zxid(), null, events);
    childWatches.trigger(parentPath, EventType.NodeChildrenChanged, txn.zxid(), null, events);
    return new OpResult.Created(path, child.stat.asSeenByClient());
  }

  private OpResult delete(long zxid, String path, int version, List<WatchEvent> events) throws KeeperError {
    if (Paths.invalidReason(path, false) != null || isSpecial(path)) throw new KeeperError(KeeperCode.BADARGUMENTS, path);
    String parentPath = Paths.parent(path);
    ZNode parent = nodes.get(parentPath);
    if (parent == null) throw new KeeperError(KeeperCode.NONODE, path);
    ZNode node = nodes.get(path);
    if (node == null) throw new KeeperError(KeeperCode.NONODE, path);
    if (version != -1 && version != node.stat.version()) throw new KeeperError(KeeperCode.BADVERSION, path);
    if (!node.children.isEmpty()) throw new KeeperError(KeeperCode.NOTEMPTY, path);
    remove(path);
    parent.children.remove(Paths.name(path));
    Stat p = parent.stat;
    replaceStat(parentPath, parent, new Stat(p.czxid(), p.mzxid(), p.ctime(), p.mtime(), p.version(), p.cversion(),
        p.aversion(), p.ephemeralOwner(), p.dataLength(), parent.children.size(), Math.max(p.pzxid(), zxid)));
    long owner = node.stat.ephemeralOwner();
    if (owner != 0 && ephemerals.containsKey(owner)) {
      ephemerals.get(owner).remove(path);
      if (ephemerals.get(owner).isEmpty()) ephemerals.remove(owner);
    }
    TreeSet<Long> fired = dataWatches.trigger(path, EventType.NodeDeleted, zxid, null, events);
    childWatches.trigger(path, EventType.NodeDeleted, zxid, fired, events);
    childWatches.trigger(parentPath, EventType.NodeChildrenChanged, zxid, null, events);
    return new OpResult.Deleted();
  }

  private OpResult setData(Txn txn, Op.SetData s, List<WatchEvent> events) throws KeeperError {
    String path = s.path();
    if (Paths.invalidReason(path, false) != null) throw new KeeperError(KeeperCode.BADARGUMENTS, path);
    ZNode node = nodes.get(path);
    if (node == null) throw new KeeperError(KeeperCode.NONODE, path);
    if (s.version() != -1 && s.version() != node.stat.version()) throw new KeeperError(KeeperCode.BADVERSION, path);
    Stat o = node.stat;
    unhash(path, node);
    node.data = s.data();
    node.stat = new Stat(o.czxid(), txn.zxid(), o.ctime(), txn.timeMs(), o.version() + 1, o.cversion(), o.aversion(),
        o.ephemeralOwner(), utf8Length(s.data()), o.numChildren(), o.pzxid());
    rehash(path, node);
    dataWatches.trigger(path, EventType.NodeDataChanged, txn.zxid(), null, events);
    return new OpResult.StatOnly(node.stat.asSeenByClient());
  }

  private OpResult check(Op.Check c) throws KeeperError {
    if (Paths.invalidReason(c.path(), false) != null) throw new KeeperError(KeeperCode.BADARGUMENTS, c.path());
    ZNode node = nodes.get(c.path());
    if (node == null) throw new KeeperError(KeeperCode.NONODE, c.path());
    if (c.version() != -1 && c.version() != node.stat.version()) throw new KeeperError(KeeperCode.BADVERSION, c.path());
    return new OpResult.Checked();
  }

  /** closeSession: the session's ephemerals are deleted in this one transaction (sorted by path here). */
  private void killSession(long sessionId, long zxid, List<WatchEvent> events) {
    TreeSet<String> paths = ephemerals.remove(sessionId);
    if (paths != null) {
      for (String p : paths) {
        try {
          delete(zxid, p, -1, events);
        } catch (KeeperError e) {
          // an ephemeral cannot have children and its parent exists, so this only reports a model bug
          throw new IllegalStateException("closing session " + Long.toHexString(sessionId) + ": " + e.getMessage(), e);
        }
      }
    }
    removeWatches(sessionId);
  }

  private static boolean isSpecial(String path) {
    return path.equals("/") || path.equals(ZOOKEEPER) || path.equals(ZOOKEEPER + "/quota") || path.equals(ZOOKEEPER + "/config");
  }

  // ---- digest and snapshot support --------------------------------------------------------------------

  private void put(String path, ZNode n) {
    nodes.put(path, n);
    rehash(path, n);
  }

  private void remove(String path) {
    ZNode n = nodes.remove(path);
    if (n != null) unhash(path, n);
  }

  private void replaceStat(String path, ZNode n, Stat stat) {
    unhash(path, n);
    n.stat = stat;
    rehash(path, n);
  }

  private void rehash(String path, ZNode n) {
    digest += nodeHash(path, n);
  }

  private void unhash(String path, ZNode n) {
    digest -= nodeHash(path, n);
  }

  private static long nodeHash(String path, ZNode n) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, path);
    h = mix(h, n.data);
    Stat st = n.stat;
    long[] fields = {st.czxid(), st.mzxid(), st.ctime(), st.mtime(), st.version(), st.cversion(), st.aversion(),
        st.ephemeralOwner(), st.dataLength(), st.numChildren(), st.pzxid()};
    for (long f : fields) h = (h ^ f) * 0x100000001b3L;
    return h ^ (h >>> 29);
  }

  private static long mix(long h, String s) {
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
    return (h ^ 0xff) * 0x100000001b3L; // a separator, so ("ab","c") and ("a","bc") differ
  }

  static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Every node (path order) for a snapshot. */
  public List<SnapshotNode> snapshotNodes() {
    List<SnapshotNode> out = new ArrayList<>();
    for (Map.Entry<String, ZNode> e : nodes.entrySet()) out.add(new SnapshotNode(e.getKey(), e.getValue().data, e.getValue().stat));
    return out;
  }

  /** A node as a snapshot stores it. */
  public record SnapshotNode(String path, String data, Stat stat) {}

  /** Rebuilds a tree from a snapshot's nodes (parents before children, as path order gives). */
  public static DataTree fromSnapshot(List<SnapshotNode> snapshot, long lastProcessedZxid) {
    DataTree t = new DataTree();
    t.nodes.clear();
    t.digest = 0;
    for (SnapshotNode s : snapshot) {
      ZNode n = new ZNode(s.data(), s.stat());
      t.nodes.put(s.path(), n);
      if (!s.path().equals("/")) {
        ZNode parent = t.nodes.get(Paths.parent(s.path()));
        Check.state(parent != null, "snapshot has %s without its parent", s.path());
        parent.children.add(Paths.name(s.path()));
      }
      if (s.stat().ephemeralOwner() != 0) t.ephemerals.computeIfAbsent(s.stat().ephemeralOwner(), k -> new TreeSet<>()).add(s.path());
    }
    for (Map.Entry<String, ZNode> e : t.nodes.entrySet()) t.rehash(e.getKey(), e.getValue());
    t.lastProcessedZxid = lastProcessedZxid;
    return t;
  }

  /** For a follower that loads a SNAP: sets the zxid the snapshot represents. */
  public void setLastProcessedZxid(long zxid) {
    this.lastProcessedZxid = zxid;
  }
}
