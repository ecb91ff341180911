package sim.core;

/** The name of a simulated node ("n1", "broker-2", "client"). Ordered by name so iteration is deterministic. */
public record NodeId(String name) implements Comparable<NodeId> {
  public NodeId {
    Check.argument(name != null && !name.isBlank(), "a node id needs a name");
    Check.argument(plain(name), "node id '%s' may not contain ',', '|', ';' or spaces (they separate names in fault plans)", name);
  }

  private static boolean plain(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == ',' || c == '|' || c == ';' || Character.isWhitespace(c)) return false;
    }
    return true;
  }

  public static NodeId of(String name) {
    return new NodeId(name);
  }

  /** Hand-written: a record's generated equals and hashCode go through method handles, slow on the hot path of every lookup. */
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof NodeId other && name.equals(other.name);
  }

  /** The same value the record's generated hashCode gives (hash-ordered iteration, and with it every trace, stays the same). */
  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public int compareTo(NodeId other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
