package sim.redis.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.redis.keyspace.Db;
import sim.redis.keyspace.Keyspace;
import sim.redis.node.FailoverClient;
import sim.redis.node.RedisNode;
import sim.redis.replication.Replication;

/**
 * What the replication checks judge by, sampled from the servers after every event: each master's history as
 * (replid, offset) → a digest of its dataset at that offset; the offset each write first had on the master;
 * the replica's acknowledged offset as the master saw it; the replica's crashes; and the promoted replica's
 * dataset at the moment it took over.
 */
final class ReplicationLedger {
  private final Simulation sim;
  private final NodeId master;
  private final NodeId replica;
  private final NodeId client;
  private final Map<String, TreeMap<Long, Long>> history = new HashMap<>(); // replid → offset → digest
  private final Map<String, Long> lastSampled = new HashMap<>(); // node → its offset when last sampled
  private final Map<String, Integer> countByReplid = new HashMap<>();
  /** Per write: every (replid, offset) at which a master had it; and whether the replica acknowledged one. */
  private final List<List<Object[]>> writeOffsets = new ArrayList<>();
  private final List<Boolean> ackedByReplica = new ArrayList<>(); // a REPLCONF ACK at or past it reached the master
  private final List<Integer> appliedInLife = new ArrayList<>(); // the replica's latest life whose offset passed it
  private int life = 1; // the replica process: a new one after every crash
  private sim.redis.server.RedisServer lastReplicaProcess;
  private String violation;
  private long prefixChecks;
  private long unjudgedOffsets;
  /** The promoted replica's keys k<i> at promotion (null: no promotion seen). */
  java.util.BitSet promotedDataset;
  int promotedAtAck = -1;
  int promotedLife;

  ReplicationLedger(Simulation sim, NodeId master, NodeId replica, NodeId client) {
    this.sim = sim;
    this.master = master;
    this.replica = replica;
    this.client = client;
  }

  /** After every event: record, then judge the replica; the first violation sticks. */
  String observe() {
    if (violation != null) return violation;
    sim.redis.server.RedisServer process = server(replica); // a restart builds a new server: a new process
    if (process != null && process != lastReplicaProcess) {
      if (lastReplicaProcess != null) life++;
      lastReplicaProcess = process;
    }
    Replication m = serving(master);
    Replication r = serving(replica);
    if (m != null && !m.isReplica()) recordMaster(master, m, server(master).keyspace());
    if (r != null && !r.isReplica()) recordMaster(replica, r, server(replica).keyspace());
    if (r != null && r.isReplica() && r.linkUp()) judgeReplica(replica, r, server(replica).keyspace(), m);
    if (violation == null && m != null && m.isReplica() && m.linkUp()) judgeReplica(master, m, server(master).keyspace(), r);
    if (r != null && !r.isReplica() && promotedDataset == null) promoted();
    return violation;
  }

  private void recordMaster(NodeId id, Replication m, Keyspace ks) {
    String node = id.name();
    if (id.equals(master) && promotedDataset == null) markAcks(m); // an ACK moves no offset: look every time
    Long last = lastSampled.get(node + m.replid());
    if (last != null && last == m.offset()) return;
    lastSampled.put(node + m.replid(), m.offset());
    history.computeIfAbsent(m.replid(), x -> new TreeMap<>()).put(m.offset(), digest(ks));
    if (id.equals(master) && promotedDataset == null) recordWrites(m, ks);
  }

  /** Writes k<seen>..k<n-1> are now at this offset of this history; the replica's ACK marks them replicated. */
  private void recordWrites(Replication m, Keyspace ks) {
    int n = ks.db(0).size();
    int seen = countByReplid.getOrDefault(m.replid(), 0);
    for (int i = seen; i < n; i++) {
      while (writeOffsets.size() <= i) {
        writeOffsets.add(new ArrayList<>());
        ackedByReplica.add(false);
        appliedInLife.add(0);
      }
      writeOffsets.get(i).add(new Object[] {m.replid(), m.offset()});
    }
    if (n > seen) countByReplid.put(m.replid(), n);
    lastAcks = null; // new writes: look at the ACKs again
    markAcks(m);
  }

  private java.util.Map<String, Long> lastAcks;

  private void markAcks(Replication m) {
    java.util.Map<String, Long> acks = m.replicaAcks();
    if (acks.equals(lastAcks)) return;
    lastAcks = acks;
    for (long ack : acks.values()) {
      for (int i = 0; i < writeOffsets.size(); i++) {
        if (ackedByReplica.get(i)) continue;
        for (Object[] at : writeOffsets.get(i)) if (at[0].equals(m.replid()) && ack >= (long) at[1]) ackedByReplica.set(i, true);
      }
    }
  }

  /** The replica's dataset is its master's at the same offset, and its offset is not past the master's. */
  private void judgeReplica(NodeId id, Replication r, Keyspace ks, Replication m) {
    String key = id.name() + "/replica " + r.replid();
    Long last = lastSampled.get(key);
    if (last != null && last == r.offset()) return;
    lastSampled.put(key, r.offset());
    if (m != null && !m.isReplica() && m.replid().equals(r.replid()) && r.offset() > m.offset()) {
      violation = id.name() + " (a replica) at offset " + r.offset() + " is past its master's master_repl_offset " + m.offset();
      return;
    }
    TreeMap<Long, Long> h = history.get(r.replid());
    Long expected = h == null ? null : h.get(r.offset());
    if (expected == null) {
      unjudgedOffsets++;
      return;
    }
    prefixChecks++;
    if (id.equals(replica)) markApplied(r);
    if (expected != digest(ks)) {
      violation = id.name() + "'s dataset as a replica at " + r.replid() + ":" + r.offset() + " (" + ks.totalKeys() + " keys) is not its master's "
          + "dataset at that offset: not a prefix of the master's stream";
    }
  }

  /** Writes whose offset (in the replica's history) the replica has now applied, in this life of its process. */
  private void markApplied(Replication r) {
    for (int i = 0; i < writeOffsets.size(); i++) {
      if (appliedInLife.get(i) == life) continue;
      for (Object[] at : writeOffsets.get(i)) if (at[0].equals(r.replid()) && r.offset() >= (long) at[1]) appliedInLife.set(i, life);
    }
  }

  private void promoted() {
    FailoverClient c = sim.node(client, FailoverClient.class);
    promotedDataset = new java.util.BitSet();
    server(replica).keyspace().db(0).forEach((k, v) -> {
      if (k.startsWith("k")) promotedDataset.set(Integer.parseInt(k.substring(1)));
    });
    promotedAtAck = c == null ? -1 : c.acked();
    promotedLife = life;
  }

  /** Why write i is judged as it is: where it was, who acknowledged and applied it. */
  String explain(int i) {
    if (i >= writeOffsets.size()) return "never seen on the master";
    StringBuilder sb = new StringBuilder();
    for (Object[] at : writeOffsets.get(i)) sb.append(((String) at[0]).substring(0, 8)).append(':').append(at[1]).append(' ');
    return "at " + sb.toString().trim() + ", acknowledged by the replica: " + ackedByReplica(i) + ", applied by replica process "
        + appliedInLife.get(i) + " (promoted: process " + promotedLife + ")";
  }

  /** Whether the master heard the replica acknowledge write i (REPLCONF ACK at or past its offset). */
  boolean ackedByReplica(int i) {
    return i < ackedByReplica.size() && ackedByReplica.get(i);
  }

  /**
   * Whether the replica process that was promoted had applied write i; when only an earlier process did, the
   * write died with it (no persistence: a restarted replica is empty until a resync).
   */
  boolean appliedByPromotedProcess(int i) {
    return i < appliedInLife.size() && appliedInLife.get(i) == promotedLife;
  }

  String prefixSummary() {
    return prefixChecks + " replica states compared with the master's history at the same offset"
        + (unjudgedOffsets > 0 ? " (" + unjudgedOffsets + " between the master's sampled offsets, not judged)" : "");
  }

  private Replication serving(NodeId id) {
    var s = server(id);
    return s == null ? null : s.replicationState();
  }

  private sim.redis.server.RedisServer server(NodeId id) {
    if (!sim.isUp(id)) return null;
    RedisNode n = sim.node(id, RedisNode.class);
    return n == null || n.refusal() != null ? null : n.server();
  }

  /** An order-independent 64-bit digest of every key, value and TTL. */
  static long digest(Keyspace ks) {
    long[] sum = {0};
    for (int i = 0; i < Keyspace.DATABASES; i++) {
      Db db = ks.db(i);
      if (db.size() == 0) continue;
      int id = i;
      db.forEach((k, v) -> {
        long h = (id * 1_000_003L + k.hashCode()) * 0x9E3779B97F4A7C15L + v.toString().hashCode() * 31L + db.expireAtMs(k);
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        sum[0] += h ^ (h >>> 32);
      });
    }
    return sum[0];
  }
}
