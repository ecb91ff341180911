package sim.zk.tree;

import java.util.List;

/** What a request returns to the client: ZooKeeper's responses, or the error code. */
public sealed interface OpResult {
  record Created(String path, Stat stat) implements OpResult {}

  record Deleted() implements OpResult {}

  /** setData's new stat, or exists' stat (null when the node does not exist). */
  record StatOnly(Stat stat) implements OpResult {}

  record Data(String data, Stat stat) implements OpResult {}

  record Children(List<String> children, Stat stat) implements OpResult {
    public Children {
      children = List.copyOf(children);
    }
  }

  record Checked() implements OpResult {}

  record Synced(String path) implements OpResult {}

  record MultiDone(List<OpResult> results) implements OpResult {
    public MultiDone {
      results = List.copyOf(results);
    }
  }

  record SessionOpened(long sessionId, int timeoutMs) implements OpResult {}

  record Closed() implements OpResult {}

  /**
   * A failed request. For a failed multi, {@code multiCodes} has one code per op as in {@code
   * KeeperException.getResults()}: OK before the failing op, its error, RUNTIMEINCONSISTENCY after.
   */
  record Failed(KeeperCode code, List<KeeperCode> multiCodes) implements OpResult {
    public Failed {
      multiCodes = List.copyOf(multiCodes);
    }

    public static Failed of(KeeperCode code) {
      return new Failed(code, List.of());
    }
  }
}
