package sim.cassandra.scenario;

import java.util.ArrayList;
import java.util.List;
import sim.cassandra.script.ConsistencyLevel;
import sim.core.NodeId;
import sim.core.SimRandom;
import sim.core.Simulation;

/**
 * The experimenter of {@code cassandra.rw-table}: for each (write level, read level) pair one trial, whose
 * fault the seed picks. It lives outside the simulated nodes (like {@link History}): the trial client asks
 * it to strike before its write and to undo the fault once the read has answered, and it keeps the outcomes.
 */
final class RwTrials {
  static final List<ConsistencyLevel> LEVELS = List.of(ConsistencyLevel.ONE, ConsistencyLevel.QUORUM, ConsistencyLevel.ALL);

  enum Outcome { PENDING, SKIPPED, UNACKNOWLEDGED, UNANSWERED, FRESH, STALE }

  /** One trial: its levels, the fault and coordinators the seed chose, and what the read returned. */
  static final class Trial {
    final ConsistencyLevel write;
    final ConsistencyLevel read;
    final String key;
    String fault = "";
    NodeId writeVia;
    NodeId readVia;
    Outcome outcome = Outcome.PENDING;
    String note = "";
    final List<NodeId> cutFrom = new ArrayList<>();
    NodeId crashed;
    boolean crashAfterAck;

    Trial(ConsistencyLevel write, ConsistencyLevel read, String key) {
      this.write = write;
      this.read = read;
      this.key = key;
    }

    boolean overlap(int rf) {
      return Checks.blockFor(write, rf) + Checks.blockFor(read, rf) > rf;
    }
  }

  private final Simulation sim;
  private final List<NodeId> replicas;
  private final int rf;
  private final SimRandom random;
  final List<Trial> trials = new ArrayList<>();

  RwTrials(Simulation sim, List<NodeId> replicas, int rf) {
    this.sim = sim;
    this.replicas = List.copyOf(replicas);
    this.rf = rf;
    this.random = sim.random("rw-table");
    for (ConsistencyLevel w : LEVELS) for (ConsistencyLevel r : LEVELS) trials.add(new Trial(w, r, "k" + trials.size()));
  }

  int rf() {
    return rf;
  }

  /**
   * Picks the trial's fault and coordinators and strikes before the write. Below ALL the write can be
   * acknowledged without some replicas, and the seed picks which way they miss it: the coordinator's link to
   * one or more of them is cut one way for the write (they keep gossiping, so it believes them UP and sends
   * the mutation, which is lost; at most RF - W of them, so the write can still succeed), or one crashes just
   * before the write (too recently for the failure detector to have convicted it). An ALL write needs every
   * replica, so there a replica crashes once the write is acknowledged, before the read. The read goes
   * through another coordinator. False: too few nodes are up (other faults took them), the trial is skipped.
   */
  boolean strike(Trial t) {
    List<NodeId> up = new ArrayList<>();
    for (NodeId n : replicas) if (sim.isUp(n)) up.add(n);
    if (up.size() < 2) {
      t.outcome = Outcome.SKIPPED;
      t.note = "fewer than two replicas up";
      return false;
    }
    t.writeVia = up.remove(random.nextInt(up.size()));
    int spare = rf - Checks.blockFor(t.write, rf);
    boolean crash = spare == 0 || random.nextInt(2) == 1;
    if (crash && up.size() >= 2) {
      t.crashed = up.remove(random.nextInt(up.size()));
      t.readVia = up.get(random.nextInt(up.size()));
      t.crashAfterAck = spare == 0;
      t.fault = t.crashed + (t.crashAfterAck ? " crashed once the write was acknowledged" : " crashed just before the write");
      if (!t.crashAfterAck) crash(t);
      return true;
    }
    List<NodeId> others = new ArrayList<>(up);
    int cuts = Math.min(others.size(), 1 + random.nextInt(Math.max(1, spare)));
    for (int i = 0; i < cuts; i++) {
      NodeId v = others.remove(random.nextInt(others.size()));
      // a link someone else already cut stays theirs: only links this trial cut are restored afterwards
      if (!sim.network().isBlocked(t.writeVia, v)) t.cutFrom.add(v);
    }
    t.readVia = up.get(random.nextInt(up.size()));
    StringBuilder f = new StringBuilder();
    for (NodeId v : t.cutFrom) f.append(f.length() == 0 ? "" : ", ").append(t.writeVia).append("->").append(v);
    t.fault = t.cutFrom.isEmpty() ? "no link left to cut" : "cut " + f + " during the write";
    List<NodeId> cut = List.copyOf(t.cutFrom);
    NodeId from = t.writeVia;
    sim.schedule(0, "rw-table fault: " + t.fault + " (trial " + t.write + "/" + t.read + ")", () -> {
      for (NodeId v : cut) sim.network().block(from, v);
    });
    return true;
  }

  private void crash(Trial t) {
    NodeId victim = t.crashed;
    sim.schedule(0, "rw-table fault: crash " + victim + " (trial " + t.write + "/" + t.read + ")", () -> sim.crash(victim));
  }

  /** The write is over (acknowledged or not): the cut links heal; under ALL the replica crashes now. */
  void writeDone(Trial t, boolean acknowledged) {
    if (t.crashAfterAck && acknowledged) crash(t);
    if (t.cutFrom.isEmpty()) return;
    List<NodeId> cut = List.copyOf(t.cutFrom);
    NodeId from = t.writeVia;
    t.cutFrom.clear();
    sim.schedule(0, "rw-table: the cut links heal (trial " + t.write + "/" + t.read + ")", () -> {
      for (NodeId v : cut) sim.network().unblock(from, v);
    });
  }

  /** The trial is over: the replica it crashed restarts. */
  void undo(Trial t) {
    NodeId crashed = t.crashed;
    if (crashed == null) return;
    sim.schedule(0, "rw-table: restart " + crashed + " (trial " + t.write + "/" + t.read + ")", () -> {
      if (!sim.isUp(crashed)) sim.restart(crashed);
    });
  }

  /** What {@code \rwtable} shows and the lab's chart reads: one line per trial, key=value words first. */
  String render() {
    StringBuilder b = new StringBuilder("rf=" + rf + " levels=ONE,QUORUM,ALL (one trial per write/read pair; the write's fault is the seed's)\n");
    for (Trial t : trials) {
      b.append("W=").append(t.write).append(" R=").append(t.read).append(" overlap=").append(t.overlap(rf) ? "yes" : "no")
          .append(" outcome=").append(t.outcome.name().toLowerCase(java.util.Locale.ROOT));
      if (t.writeVia != null) b.append(" | ").append(t.fault).append("; write via ").append(t.writeVia).append(", read via ").append(t.readVia);
      if (!t.note.isEmpty()) b.append("; ").append(t.note);
      b.append('\n');
    }
    return b.toString();
  }
}
