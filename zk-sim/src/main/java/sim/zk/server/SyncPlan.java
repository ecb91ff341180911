package sim.zk.server;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import sim.zk.tree.Txn;

/**
 * {@code LearnerHandler.syncFollower}'s choice as a value: how to bring a follower whose last logged zxid
 * is {@code peerZxid} to the leader's committed state. Decided here, carried out by {@link ZkServer}.
 *
 * @param kind DIFF (send what it lacks), TRUNC (cut its log back to {@code truncZxid}, then send the rest)
 *     or SNAP (send the whole state)
 * @param txns the committed txns to send after the DIFF or TRUNC
 * @param why one line for the trace
 */
public record SyncPlan(Kind kind, long truncZxid, List<Txn> txns, String why) {
  public enum Kind { DIFF, TRUNC, SNAP }

  public SyncPlan {
    txns = List.copyOf(txns);
  }

  /**
   * @param history the txns the leader keeps in memory (its {@code committedLog}), by zxid
   * @param committed the last zxid the leader has committed; only txns up to it are sent
   */
  public static SyncPlan choose(long peerZxid, NavigableMap<Long, Txn> history, long committed) {
    NavigableMap<Long, Txn> log = history.headMap(committed, true);
    long minLog = log.isEmpty() ? committed : log.firstKey();
    long maxLog = log.isEmpty() ? committed : log.lastKey();
    String peer = Txn.hex(peerZxid);
    if (peerZxid == committed) {
      return new SyncPlan(Kind.DIFF, 0, List.of(), "is at " + peer + ": empty DIFF");
    }
    if (peerZxid > maxLog) {
      return new SyncPlan(Kind.TRUNC, maxLog, List.of(), "at " + peer + " is past my committed log: TRUNC to " + Txn.hex(maxLog));
    }
    if (!log.isEmpty() && peerZxid >= minLog) {
      if (log.containsKey(peerZxid)) {
        List<Txn> diff = new ArrayList<>(log.tailMap(peerZxid, false).values());
        return new SyncPlan(Kind.DIFF, 0, diff, "at " + peer + ": DIFF of " + diff.size() + " txns");
      }
      // the follower logged a txn this leader never had (an uncommitted proposal of an old leader)
      long prev = log.lowerKey(peerZxid);
      List<Txn> diff = new ArrayList<>(log.tailMap(prev, false).values());
      return new SyncPlan(Kind.TRUNC, prev, diff, "has " + peer + " which I never logged: TRUNC to " + Txn.hex(prev) + " then " + diff.size() + " txns");
    }
    return new SyncPlan(Kind.SNAP, 0, List.of(), "at " + peer + " is older than my committed log (" + Txn.hex(minLog) + "): SNAP at " + Txn.hex(committed));
  }
}
