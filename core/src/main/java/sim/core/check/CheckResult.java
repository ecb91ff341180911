package sim.core.check;

/**
 * The verdict of a check at the end of a run. {@code expected} marks an outcome that is bad for users but
 * is what the real system does under this configuration ("acknowledged records lost: expected under
 * unclean leader election"): it is reported, and does not fail the run.
 */
public record CheckResult(String name, boolean ok, boolean expected, String detail) {
  public static CheckResult ok(String name, String detail) {
    return new CheckResult(name, true, false, detail);
  }

  public static CheckResult failed(String name, String detail) {
    return new CheckResult(name, false, false, detail);
  }

  /** A loss or anomaly that this configuration of the real system is known to allow. */
  public static CheckResult expectedAnomaly(String name, String detail) {
    return new CheckResult(name, true, true, detail);
  }

  public static CheckResult of(String name, boolean ok, String detail) {
    return new CheckResult(name, ok, false, detail);
  }

  public String render() {
    String mark = !ok ? "FAIL" : expected ? "EXPECTED" : "ok";
    return String.format("%-8s %s: %s", mark, name, detail);
  }
}
