package sim.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The open TCP connections between nodes: a pair is connected once a message was delivered between them
 * since either last started. When one side dies the other side's operating system sees the RST.
 */
final class Connections {
  /** One connection, its ends named in order so iteration is deterministic. */
  private record Pair(NodeId a, NodeId b) implements Comparable<Pair> {
    static Pair of(NodeId x, NodeId y) {
      return x.compareTo(y) <= 0 ? new Pair(x, y) : new Pair(y, x);
    }

    @Override
    public int compareTo(Pair o) {
      int c = a.compareTo(o.a);
      return c != 0 ? c : b.compareTo(o.b);
    }
  }

  private final TreeSet<Pair> open = new TreeSet<>();
  private NodeId lastFrom;
  private NodeId lastTo;

  /** A message was delivered from {@code from} to {@code to}: the connection is (still) open. */
  void delivered(NodeId from, NodeId to) {
    if (from == lastFrom && to == lastTo) return; // the common case: the same link again
    open.add(Pair.of(from, to));
    lastFrom = from;
    lastTo = to;
  }

  /** Closes every connection of {@code dead}; returns the peers at their other ends, in name order. */
  List<NodeId> closeAll(NodeId dead) {
    List<NodeId> peers = new ArrayList<>();
    open.removeIf(p -> {
      if (p.a().equals(dead)) peers.add(p.b());
      else if (p.b().equals(dead)) peers.add(p.a());
      else return false;
      return true;
    });
    lastFrom = null;
    lastTo = null;
    return peers;
  }
}
