package sim.zk.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.zk.tree.DataTree;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;
import sim.zk.tree.WatchEvent;

/**
 * A single data tree with no replication: every write is applied at once. The reference the ensemble's
 * output is compared to, and the fastest way to check the data model alone ({@code --servers 0}).
 */
public final class TreeBackend implements ScriptBackend {
  private final DataTree tree = new DataTree();
  private final Map<String, Long> sessions = new LinkedHashMap<>();
  private final Map<Long, String> clientOf = new TreeMap<>();
  private final List<ClientEvent> events = new ArrayList<>();
  private final List<String> appearance = new ArrayList<>();
  private long zxid;
  private long nextSession = 0x1000000L;
  private long clockMs = 1_700_000_000_000L;

  @Override
  public OpResult execute(String client, Op op) {
    if (!appearance.contains(client)) appearance.add(client);
    long session = sessions.computeIfAbsent(client, c -> open(c));
    if (!op.isWrite()) {
      return op instanceof Op.Sync s ? new OpResult.Synced(s.path()) : tree.read(op, session);
    }
    DataTree.Applied a = tree.apply(new Txn(++zxid, session, 0, clockMs++, op));
    for (WatchEvent e : a.events()) {
      String who = clientOf.get(e.sessionId());
      if (who != null) events.add(new ClientEvent(who, e.type(), e.path()));
    }
    if (op instanceof Op.CloseSession) {
      sessions.remove(client);
      clientOf.remove(session);
    }
    return a.result();
  }

  private long open(String client) {
    long id = nextSession++;
    tree.apply(new Txn(++zxid, id, 0, clockMs++, new Op.CreateSession(30_000)));
    clientOf.put(id, client);
    return id;
  }

  @Override
  public List<ClientEvent> drainEvents() {
    List<ClientEvent> out = new ArrayList<>();
    for (String client : appearance) {
      for (ClientEvent e : events) if (e.client().equals(client)) out.add(e);
    }
    events.clear();
    return out;
  }
}
