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

  @Override
  public int compareTo(NodeId other) {
    return name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return name;
  }
}
