package sim.es.cluster.allocation;

/** An allocation decider's answer, with its name and reason as {@code _cluster/allocation/explain} prints them. */
public record Decision(Type type, String decider, String explanation) {
  public enum Type { YES, THROTTLE, NO }

  public static Decision yes(String decider) {
    return new Decision(Type.YES, decider, "");
  }

  public static Decision no(String decider, String why) {
    return new Decision(Type.NO, decider, why);
  }

  public static Decision throttle(String decider, String why) {
    return new Decision(Type.THROTTLE, decider, why);
  }

  public boolean yes() {
    return type == Type.YES;
  }

  @Override
  public String toString() {
    return type + "(" + decider + (explanation.isEmpty() ? "" : ": " + explanation) + ")";
  }
}
