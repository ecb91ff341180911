package sim.zk.script;

import sim.zk.tree.KeeperCode;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Stat;

/**
 * A script run as a person reads it, in the words of ZooKeeper's own shell ({@code zkCli.sh}): each line
 * as typed, then what the shell prints for it ({@code Created /a}, the data, the children, a
 * {@code KeeperErrorCode = NoNode for /a}), and watch events as {@code WATCHER::} lines. Stats are one line
 * with {@code zkCli}'s field names. {@code normalize} names zxids and sessions as the JSON output does.
 */
public final class HumanFormat implements ScriptFormat {
  private final OutputFormat names;

  public HumanFormat(boolean normalize) {
    this.names = new OutputFormat(normalize);
  }

  @Override
  public String result(ScriptLine line, OpResult r) {
    return String.format("%4d %s> %s", line.lineNo(), line.client(), command(line.op())) + body(line.op(), r, "      ");
  }

  @Override
  public String event(ClientEvent e) {
    // WatchedEvent.toString, as zkCli's default watcher prints it after "WATCHER::"
    return "      " + e.client() + " WATCHER:: WatchedEvent state:SyncConnected type:" + e.type() + " path:" + e.path();
  }

  /** The line as the script (and zkCli) spells it. */
  static String command(Op op) {
    if (op instanceof Op.Create c) return "create" + (c.sequential() ? " -s" : "") + (c.ephemeral() ? " -e" : "") + " " + c.path() + " \"" + c.data() + "\"";
    if (op instanceof Op.SetData s) return "set " + s.path() + " \"" + s.data() + "\"" + (s.version() == -1 ? "" : " " + s.version());
    if (op instanceof Op.Delete d) return "delete " + d.path() + (d.version() == -1 ? "" : " " + d.version());
    if (op instanceof Op.GetData g) return "get " + (g.watch() ? "-w " : "") + g.path();
    if (op instanceof Op.Exists x) return "stat " + (x.watch() ? "-w " : "") + x.path();
    if (op instanceof Op.GetChildren g) return "ls " + (g.watch() ? "-w " : "") + g.path();
    if (op instanceof Op.Check c) return "check " + c.path() + " " + c.version();
    if (op instanceof Op.Multi m) {
      StringBuilder b = new StringBuilder("multi");
      for (int i = 0; i < m.ops().size(); i++) b.append(i == 0 ? " " : " ; ").append(command(m.ops().get(i)));
      return b.toString();
    }
    return op.verb() + (op.path() == null ? "" : " " + op.path());
  }

  private String body(Op op, OpResult r, String indent) {
    if (r instanceof OpResult.Failed f) {
      StringBuilder b = new StringBuilder("\n").append(indent).append(error(f.code(), op.path()));
      for (int i = 0; i < f.multiCodes().size(); i++) b.append("\n").append(indent).append("  op ").append(i + 1).append(": ").append(codeMessage(f.multiCodes().get(i)));
      return b.toString();
    }
    if (r instanceof OpResult.Created c) return "\n" + indent + "Created " + c.path();
    if (r instanceof OpResult.StatOnly s) return "\n" + indent + (s.stat() == null ? "Node does not exist: " + op.path() : stat(s.stat()));
    if (r instanceof OpResult.Data d) return "\n" + indent + d.data() + "\n" + indent + stat(d.stat());
    if (r instanceof OpResult.Children c) return "\n" + indent + c.children();
    if (r instanceof OpResult.MultiDone m) {
      StringBuilder b = new StringBuilder();
      Op.Multi multi = (Op.Multi) op;
      for (int i = 0; i < m.results().size(); i++) b.append(body(multi.ops().get(i), m.results().get(i), indent + "  "));
      return b.toString();
    }
    return ""; // delete, check, sync, close: zkCli prints nothing
  }

  /** {@code KeeperException.getMessage()}: "KeeperErrorCode = NoNode for /a". */
  public static String error(KeeperCode code, String path) {
    return "KeeperErrorCode = " + codeMessage(code) + (path == null ? "" : " for " + path);
  }

  /** {@code KeeperException.getCodeMessage}. */
  static String codeMessage(KeeperCode code) {
    return switch (code) {
      case OK -> "ok";
      case SYSTEMERROR -> "SystemError";
      case RUNTIMEINCONSISTENCY -> "RuntimeInconsistency";
      case DATAINCONSISTENCY -> "DataInconsistency";
      case CONNECTIONLOSS -> "ConnectionLoss";
      case MARSHALLINGERROR -> "MarshallingError";
      case UNIMPLEMENTED -> "Unimplemented";
      case OPERATIONTIMEOUT -> "OperationTimeout";
      case BADARGUMENTS -> "BadArguments";
      case UNKNOWNSESSION -> "Unknown session";
      case APIERROR -> "APIError";
      case NONODE -> "NoNode";
      case NOAUTH -> "NoAuth";
      case BADVERSION -> "BadVersion";
      case NOCHILDRENFOREPHEMERALS -> "NoChildrenForEphemerals";
      case NODEEXISTS -> "NodeExists";
      case NOTEMPTY -> "Directory not empty";
      case SESSIONEXPIRED -> "Session expired";
      case INVALIDCALLBACK -> "Invalid callback";
      case INVALIDACL -> "InvalidACL";
      case AUTHFAILED -> "AuthFailed";
      case SESSIONMOVED -> "Session moved";
      case NOTREADONLY -> "Not a read-only call";
      case EPHEMERALONLOCALSESSION -> "Ephemeral node on local session";
      case NOWATCHER -> "No such watcher";
      case REQUESTTIMEOUT -> "Unknown error REQUESTTIMEOUT"; // getCodeMessage has no case for it
    };
  }

  /** zkCli's {@code stat} fields on one line. */
  private String stat(Stat s) {
    return "cZxid = " + names.zxidText(s.czxid()) + ", ctime = " + names.timeText(s.ctime()) + ", mZxid = " + names.zxidText(s.mzxid())
        + ", mtime = " + names.timeText(s.mtime()) + ", pZxid = " + names.zxidText(s.pzxid()) + ", cversion = " + s.cversion()
        + ", dataVersion = " + s.version() + ", aclVersion = " + s.aversion() + ", ephemeralOwner = " + names.sessionText(s.ephemeralOwner())
        + ", dataLength = " + s.dataLength() + ", numChildren = " + s.numChildren();
  }
}
