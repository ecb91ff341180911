package sim.zk.tree;

import java.util.List;

/**
 * A client request, as ZooKeeper's {@code OpCode}s: writes (create, delete, setData, check, multi, session
 * open/close) travel through ZAB as transactions; reads (getData, exists, getChildren) are answered by the
 * server the client is connected to; sync is a read that first catches up with the leader.
 */
public sealed interface Op {
  /** {@code CreateMode}: persistent/ephemeral, sequential or not. {@code data} is text (UTF-8). */
  record Create(String path, String data, boolean ephemeral, boolean sequential) implements Op {}

  record Delete(String path, int version) implements Op {}

  record SetData(String path, String data, int version) implements Op {}

  /** {@code Op.check}: only inside a multi. */
  record Check(String path, int version) implements Op {}

  record Multi(List<Op> ops) implements Op {
    public Multi {
      ops = List.copyOf(ops);
    }
  }

  record GetData(String path, boolean watch) implements Op {}

  record Exists(String path, boolean watch) implements Op {}

  record GetChildren(String path, boolean watch) implements Op {}

  record Sync(String path) implements Op {}

  /** {@code OpCode.createSession}: committed like any write so every server knows the session. */
  record CreateSession(int timeoutMs) implements Op {}

  /** {@code OpCode.closeSession}: by the client's close() or by the leader's session tracker on expiry. */
  record CloseSession() implements Op {}

  default boolean isWrite() {
    return !(this instanceof GetData || this instanceof Exists || this instanceof GetChildren || this instanceof Sync);
  }

  /** The name the script and the JSON output use. */
  default String verb() {
    if (this instanceof Create) return "create";
    if (this instanceof Delete) return "delete";
    if (this instanceof SetData) return "set";
    if (this instanceof Check) return "check";
    if (this instanceof Multi) return "multi";
    if (this instanceof GetData) return "get";
    if (this instanceof Exists) return "stat";
    if (this instanceof GetChildren) return "ls";
    if (this instanceof Sync) return "sync";
    if (this instanceof CreateSession) return "connect";
    return "close";
  }

  /** The path the request names, or null. */
  default String path() {
    if (this instanceof Create c) return c.path();
    if (this instanceof Delete d) return d.path();
    if (this instanceof SetData s) return s.path();
    if (this instanceof Check c) return c.path();
    if (this instanceof GetData g) return g.path();
    if (this instanceof Exists e) return e.path();
    if (this instanceof GetChildren g) return g.path();
    if (this instanceof Sync s) return s.path();
    return null;
  }
}
