package sim.redis.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.redis.node.RedisNode;
import sim.redis.node.WorkloadClient;

/**
 * Watches one server and its writer across crashes: when the server goes down it notes the time and the
 * acknowledged count; when a new incarnation comes up it reads what was recovered and records a {@link
 * Recovery}. Called after every event (registered as an invariant that never fails by itself).
 */
final class RecoveryLedger {
  /** One restart: how many of the acknowledged writes k0..k(acked-1) came back. */
  record Recovery(int incarnation, int ackedAtCrash, int issuedAtCrash, int recoveredPrefix, boolean exactPrefix,
      long lostWindowNanos, String loadedFrom, String refusal, boolean dirUntouched) {
    int lostAcked() {
      return Math.max(0, ackedAtCrash - recoveredPrefix);
    }

    String describe() {
      if (refusal != null) return "incarnation " + incarnation + " refused to load: " + refusal;
      return "incarnation " + incarnation + ": acked " + ackedAtCrash + ", issued " + issuedAtCrash + ", recovered up to k"
          + (recoveredPrefix - 1) + (exactPrefix ? "" : " WITH GAPS") + ", lost " + lostAcked() + " acked"
          + (lostAcked() > 0 ? " (acknowledged during the last " + lostWindowNanos / 1_000_000 + " ms before the crash)" : "")
          + " from " + loadedFrom;
    }
  }

  private final Simulation sim;
  private final NodeId server;
  private final NodeId client;
  private int seenIncarnation;
  private boolean down;
  private long crashAtNanos;
  private int ackedAtCrash;
  private int issuedAtCrash;
  private final List<int[]> durableSegments = new ArrayList<>();
  private int segmentStart;
  final List<Recovery> recoveries = new ArrayList<>();

  RecoveryLedger(Simulation sim, NodeId server, NodeId client) {
    this.sim = sim;
    this.server = server;
    this.client = client;
    this.seenIncarnation = sim.incarnation(server);
  }

  /** Invariant hook: always null (the scenario's own invariants read {@link #recoveries}). */
  String observe() {
    WorkloadClient c = sim.node(client, WorkloadClient.class);
    if (!sim.isUp(server)) {
      if (!down) {
        down = true;
        crashAtNanos = sim.nowNanos();
      }
      ackedAtCrash = c.acked(); // replies already in flight still count: they were sent before the crash
      issuedAtCrash = c.issued();
      return null;
    }
    if (sim.incarnation(server) == seenIncarnation) return null;
    seenIncarnation = sim.incarnation(server);
    down = false;
    RedisNode node = sim.node(server, RedisNode.class);
    if (node.refusal() != null) {
      recoveries.add(new Recovery(seenIncarnation, ackedAtCrash, issuedAtCrash, 0, true, 0, "", node.refusal(), node.dirUntouchedByRefusal()));
      return null;
    }
    // The server's history is the durable segments recovered before, then the writes since the last restart
    // (the client resumes at its acknowledged count): the dataset must be those segments plus a prefix of the new one.
    Map<String, String> data = node.recoveredDataset();
    boolean exact = true;
    int present = 0;
    for (int[] seg : durableSegments) {
      for (int i = seg[0]; i < seg[1]; i++) exact &= ("string:" + i).equals(data.get("0:k" + i));
    }
    int prefix = segmentStart;
    while (("string:" + prefix).equals(data.get("0:k" + prefix))) prefix++;
    for (String key : data.keySet()) if (key.startsWith("0:k")) present++;
    java.util.BitSet expected = new java.util.BitSet();
    for (int[] seg : durableSegments) expected.set(seg[0], seg[1]);
    expected.set(segmentStart, prefix);
    exact &= present == expected.cardinality();
    durableSegments.add(new int[] {segmentStart, prefix});
    segmentStart = ackedAtCrash;
    long window = 0;
    if (ackedAtCrash > prefix) window = crashAtNanos - c.ackTimeNanos(prefix);
    recoveries.add(new Recovery(seenIncarnation, ackedAtCrash, issuedAtCrash, prefix, exact, window,
        node.server().loadedFrom(), null, false));
    return null;
  }

  String summary() {
    if (recoveries.isEmpty()) return "no restart observed";
    StringBuilder sb = new StringBuilder();
    for (Recovery r : recoveries) sb.append(sb.length() == 0 ? "" : "; ").append(r.describe());
    return sb.toString();
  }
}
