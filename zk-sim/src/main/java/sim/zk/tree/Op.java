package sim.zk.tree;

import java.util.List;

/**
 * A client request, as ZooKeeper's {@code OpCode}s: writes (create, delete, setData, check, multi, session
 * open/close) travel through ZAB as transactions; reads (getData, exists, getChildren) are answered by the
 * server the client is connected to; sync is a read that first catches up with the leader.
 */
public sealed interface Op {
  /** {@code CreateMode}: persistent/ephemeral, sequential or not. {@code data} is text (UTF-8). */
  record Create(String path, String data, boolean ephemeral, boolean sequential) implements Op {
    @Override
    public String toString() {
      return "create" + (sequential ? " -s" : "") + (ephemeral ? " -e" : "") + " " + path + " " + Op.quote(data);
    }
  }

  record Delete(String path, int version) implements Op {
    @Override
    public String toString() {
      return "delete " + path + (version == -1 ? "" : " " + version);
    }
  }

  record SetData(String path, String data, int version) implements Op {
    @Override
    public String toString() {
      return "set " + path + " " + Op.quote(data) + (version == -1 ? "" : " " + version);
    }
  }

  /** {@code Op.check}: only inside a multi. */
  record Check(String path, int version) implements Op {
    @Override
    public String toString() {
      return "check " + path + " " + version;
    }
  }

  record Multi(List<Op> ops) implements Op {
    public Multi {
      ops = List.copyOf(ops);
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder("multi");
      for (int i = 0; i < ops.size(); i++) b.append(i == 0 ? " " : " ; ").append(ops.get(i));
      return b.toString();
    }
  }

  record GetData(String path, boolean watch) implements Op {
    @Override
    public String toString() {
      return "get " + (watch ? "-w " : "") + path;
    }
  }

  record Exists(String path, boolean watch) implements Op {
    @Override
    public String toString() {
      return "stat " + (watch ? "-w " : "") + path;
    }
  }

  record GetChildren(String path, boolean watch) implements Op {
    @Override
    public String toString() {
      return "ls " + (watch ? "-w " : "") + path;
    }
  }

  record Sync(String path) implements Op {
    @Override
    public String toString() {
      return "sync " + path;
    }
  }

  /** {@code OpCode.createSession}: committed like any write so every server knows the session. */
  record CreateSession(int timeoutMs) implements Op {
    @Override
    public String toString() {
      return "createSession " + timeoutMs + "ms";
    }
  }

  /** {@code OpCode.closeSession}: by the client's close() or by the leader's session tracker on expiry. */
  record CloseSession() implements Op {
    @Override
    public String toString() {
      return "closeSession";
    }
  }

  /** Data as the script writes it, cut short when long (narration, not storage). */
  static String quote(String data) {
    return data.length() <= 40 ? "\"" + data + "\"" : "\"" + data.substring(0, 37) + "...\" (" + data.length() + " chars)";
  }

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
