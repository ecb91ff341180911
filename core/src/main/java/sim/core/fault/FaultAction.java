package sim.core.fault;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.disk.CrashLossMode;
import sim.core.disk.SimDisk;

/**
 * One fault a plan injects. Each knows how to apply itself to a simulation and which nodes it names, and
 * prints as the plan text that {@link FaultPlan#parse} reads back to an equal action.
 */
public sealed interface FaultAction {
  void apply(Simulation sim);

  /** The fault's kind in traces ({@code attrs.fault}): "crash", "partition", "drop", "disk.eio". */
  default String kind() {
    String[] words = toString().split(" ");
    return words[0].equals("disk") && words.length > 2 ? "disk." + words[2] : words[0];
  }

  /** Records this fault in the trace under {@code traceKind}, its kind and node as attributes. */
  default void trace(Simulation sim, String node, String traceKind, String detail) {
    List<NodeId> named = nodes();
    sim.trace().recordPoint(node, traceKind, detail, named.size() == 1
        ? List.of("fault", kind(), "node", named.get(0).name())
        : List.of("fault", kind(), "nodes", named.stream().map(NodeId::name).toList()));
  }

  /** The nodes this action names, to check them against the cluster before the run starts. */
  default List<NodeId> nodes() {
    return List.of();
  }

  record Crash(NodeId node) implements FaultAction {
    public void apply(Simulation sim) { sim.crash(node); }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "crash " + node; }
  }

  record Restart(NodeId node) implements FaultAction {
    public void apply(Simulation sim) { sim.restart(node); }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "restart " + node; }
  }

  record Pause(NodeId node) implements FaultAction {
    public void apply(Simulation sim) { sim.pause(node); }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "pause " + node; }
  }

  record Resume(NodeId node) implements FaultAction {
    public void apply(Simulation sim) { sim.resume(node); }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "resume " + node; }
  }

  /** Groups that cannot reach each other; nodes in no group keep every link. */
  record Partition(List<Set<NodeId>> groups) implements FaultAction {
    public void apply(Simulation sim) {
      for (int i = 0; i < groups.size(); i++) {
        for (int j = i + 1; j < groups.size(); j++) sim.network().partition(groups.get(i), groups.get(j));
      }
      trace(sim, "sim", "partition", toString());
    }

    public List<NodeId> nodes() {
      return groups.stream().flatMap(Set::stream).toList();
    }

    public String toString() {
      StringBuilder b = new StringBuilder("partition ");
      for (int i = 0; i < groups.size(); i++) {
        if (i > 0) b.append('|');
        b.append(String.join(",", new TreeSet<>(groups.get(i)).stream().map(NodeId::name).toList()));
      }
      return b.toString();
    }
  }

  record Block(NodeId from, NodeId to) implements FaultAction {
    public void apply(Simulation sim) {
      sim.network().block(from, to);
      trace(sim, "sim", "partition", toString());
    }
    public List<NodeId> nodes() { return List.of(from, to); }
    public String toString() { return "block " + from + "->" + to; }
  }

  record Heal() implements FaultAction {
    public void apply(Simulation sim) {
      sim.network().heal();
      trace(sim, "sim", "heal", "every link restored; drop, duplicate and reorder off");
    }
    public String toString() { return "heal"; }
  }

  record Drop(double probability) implements FaultAction {
    public void apply(Simulation sim) {
      sim.network().setDropProbability(probability);
      trace(sim, "sim", "fault", toString());
    }
    public String toString() { return "drop " + probability; }
  }

  /** One message in flight (by the id the trace gives it: {@code msg_id}) never arrives. */
  record DropMessage(long messageId) implements FaultAction {
    public void apply(Simulation sim) {
      String words = sim.loseMessage(messageId);
      traceMessageFault(sim, this, messageId, words == null ? "not in flight: nothing to drop" : words + " will not arrive");
    }
    public String kind() { return "drop-message"; }
    public String toString() { return "drop message " + messageId; }
  }

  /** One message in flight arrives twice. */
  record DuplicateMessage(long messageId) implements FaultAction {
    public void apply(Simulation sim) {
      String words = sim.duplicateMessage(messageId);
      traceMessageFault(sim, this, messageId, words == null ? "not in flight: nothing to duplicate" : words + " will arrive twice");
    }
    public String kind() { return "duplicate-message"; }
    public String toString() { return "duplicate message " + messageId; }
  }

  private static void traceMessageFault(Simulation sim, FaultAction a, long id, String what) {
    sim.trace().recordPoint("sim", "fault", a + ": " + what, List.of("fault", a.kind(), "msg_id", id));
  }

  record Duplicate(double probability) implements FaultAction {
    public void apply(Simulation sim) {
      sim.network().setDuplicateProbability(probability);
      trace(sim, "sim", "fault", toString());
    }
    public String toString() { return "duplicate " + probability; }
  }

  record Reorder(boolean on) implements FaultAction {
    public void apply(Simulation sim) {
      sim.network().setReorder(on);
      trace(sim, "sim", "fault", toString());
    }
    public String toString() { return "reorder " + (on ? "on" : "off"); }
  }

  record Slow(NodeId node, long extraNanos) implements FaultAction {
    public void apply(Simulation sim) { sim.setSlow(node, extraNanos); }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "slow " + node + " " + Durations.formatExact(extraNanos); }
  }

  record Skew(NodeId node, long offsetNanos) implements FaultAction {
    public void apply(Simulation sim) { sim.setClockSkew(node, offsetNanos, 0); }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "skew " + node + " " + Durations.formatExact(offsetNanos); }
  }

  record DiskLossMode(NodeId node, CrashLossMode mode) implements FaultAction {
    public void apply(Simulation sim) {
      sim.disk(node).setCrashLossMode(mode);
      trace(sim, node.name(), "fault", toString());
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() {
      return "disk " + node + " " + switch (mode) {
        case LOSE_UNSYNCED -> "lose";
        case KEEP_PREFIX -> "prefix";
        case TORN_LAST_WRITE -> "torn";
      };
    }
  }

  record DiskEio(NodeId node, int writes) implements FaultAction {
    public void apply(Simulation sim) {
      sim.disk(node).failNextWrites(writes);
      trace(sim, node.name(), "fault", toString());
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "disk " + node + " eio " + writes; }
  }

  record DiskFsyncEio(NodeId node, int fsyncs) implements FaultAction {
    public void apply(Simulation sim) {
      sim.disk(node).failNextFsyncs(fsyncs);
      trace(sim, node.name(), "fault", toString());
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "disk " + node + " fsync-eio " + fsyncs; }
  }

  record DiskFsyncLatency(NodeId node, long latencyNanos) implements FaultAction {
    public void apply(Simulation sim) {
      sim.disk(node).setFsyncLatencyNanos(latencyNanos);
      trace(sim, node.name(), "fault", toString());
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "disk " + node + " fsync-latency " + Durations.formatExact(latencyNanos); }
  }

  record DiskCorruptReads(NodeId node, double probability) implements FaultAction {
    public void apply(Simulation sim) {
      sim.disk(node).setCorruptReadProbability(probability);
      trace(sim, node.name(), "fault", toString());
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "disk " + node + " corrupt-reads " + probability; }
  }

  record DiskFull(NodeId node) implements FaultAction {
    public void apply(Simulation sim) {
      sim.disk(node).fill();
      trace(sim, node.name(), "fault", toString());
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "disk " + node + " full"; }
  }

  record DiskCorrupt(NodeId node, String file, long offset, int length) implements FaultAction {
    /** Corrupts what exists of the range; a file that is missing or shorter (earlier faults) is not an error. */
    public void apply(Simulation sim) {
      SimDisk disk = sim.disk(node);
      long size = disk.exists(file) ? disk.size(file) : -1;
      int reach = (int) Math.max(0, Math.min(length, size - offset));
      if (size < 0 || reach == 0) {
        trace(sim, node.name(), "fault", toString() + ": nothing to corrupt (file " + (size < 0 ? "missing" : size + "B") + ")");
        return;
      }
      disk.corrupt(file, offset, reach);
    }
    public List<NodeId> nodes() { return List.of(node); }
    public String toString() { return "disk " + node + " corrupt " + file + " " + offset + " " + length; }
  }
}
