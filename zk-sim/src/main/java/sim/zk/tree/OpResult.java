package sim.zk.tree;

import java.util.List;

/** What a request returns to the client: ZooKeeper's responses, or the error code. */
public sealed interface OpResult {
  record Created(String path, Stat stat) implements OpResult {
    @Override
    public String toString() {
      return "created " + path;
    }
  }

  record Deleted() implements OpResult {
    @Override
    public String toString() {
      return "deleted";
    }
  }

  /** setData's new stat, or exists' stat (null when the node does not exist). */
  record StatOnly(Stat stat) implements OpResult {
    @Override
    public String toString() {
      return stat == null ? "no node" : stat.toString();
    }
  }

  record Data(String data, Stat stat) implements OpResult {
    @Override
    public String toString() {
      return Op.quote(data) + " " + stat;
    }
  }

  record Children(List<String> children, Stat stat) implements OpResult {
    public Children {
      children = List.copyOf(children);
    }
  }

  record Checked() implements OpResult {
    @Override
    public String toString() {
      return "checked";
    }
  }

  record Synced(String path) implements OpResult {
    @Override
    public String toString() {
      return "synced " + path;
    }
  }

  record MultiDone(List<OpResult> results) implements OpResult {
    public MultiDone {
      results = List.copyOf(results);
    }
  }

  record SessionOpened(long sessionId, int timeoutMs) implements OpResult {
    @Override
    public String toString() {
      return "session 0x" + Long.toHexString(sessionId) + " " + timeoutMs + "ms";
    }
  }

  record Closed() implements OpResult {
    @Override
    public String toString() {
      return "closed";
    }
  }

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

    @Override
    public String toString() {
      return multiCodes.isEmpty() ? code.name() : code.name() + " " + multiCodes;
    }
  }
}
