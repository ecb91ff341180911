package sim.zk.tree;

/**
 * ZooKeeper's {@code org.apache.zookeeper.data.Stat}: the metadata of a znode, with the same fields and
 * meaning. Times are the leader's wall clock in milliseconds when the transaction was proposed.
 *
 * <p>Inside the tree {@code cversion} is the persisted one ({@code StatPersisted}): the number of child
 * creations, which also names sequential children. Clients see {@link #asSeenByClient()}: {@code DataNode
 * .copyStat} reports {@code cversion * 2 - numChildren}, the number of child creations and deletions.
 */
public record Stat(long czxid, long mzxid, long ctime, long mtime, int version, int cversion, int aversion,
    long ephemeralOwner, int dataLength, int numChildren, long pzxid) {

  /** The fields a reader of a narrated reply wants, in zkCli's names. */
  @Override
  public String toString() {
    return "Stat[dataVersion " + version + ", mZxid " + Txn.hex(mzxid) + ", cZxid " + Txn.hex(czxid) + ", numChildren " + numChildren + "]";
  }

  /** The Stat a client receives (v3 cversion semantics: creates plus deletes). */
  public Stat asSeenByClient() {
    return new Stat(czxid, mzxid, ctime, mtime, version, cversion * 2 - numChildren, aversion, ephemeralOwner,
        dataLength, numChildren, pzxid);
  }

  /** {@code DataTree.createStat}: a new node's stat before it has children. */
  static Stat created(long zxid, long timeMs, long ephemeralOwner, int dataLength) {
    return new Stat(zxid, zxid, timeMs, timeMs, 0, 0, 0, ephemeralOwner, dataLength, 0, zxid);
  }

  /** The root and the /zookeeper nodes: an empty {@code StatPersisted}. */
  static Stat system(int numChildren) {
    return new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, numChildren, 0);
  }
}
