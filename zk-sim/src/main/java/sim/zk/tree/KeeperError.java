package sim.zk.tree;

/** A request that fails with a ZooKeeper error code (the model's {@code KeeperException}). */
public final class KeeperError extends Exception {
  private final KeeperCode code;
  private final String path;

  public KeeperError(KeeperCode code, String path) {
    super(code + (path == null ? "" : " for " + path), null, false, false);
    this.code = code;
    this.path = path;
  }

  public KeeperCode code() {
    return code;
  }

  public String path() {
    return path;
  }
}
