package sim.core.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sim.core.Check;

/**
 * The verdict of a check at the end of a run.
 *
 * <p>A {@link Kind#SAFETY safety} check must hold under any faults: no acknowledged write lost where the real
 * system promises durability, one leader per epoch. It may be {@link Status#EXPECTED excused} only by an
 * {@link Excuse} naming the real system's rule and exactly the records it covers.
 *
 * <p>A {@link Kind#LESSON lesson} check says the scenario's story happened (a TRUNC, an unclean election).
 * Under the scenario's own fault plan it must hold; under other faults a story that did not happen is
 * {@link Status#NOT_DEMONSTRATED not demonstrated}, never a violation.
 */
public record CheckResult(String name, Kind kind, Status status, String detail, Excuse excuse) {
  public enum Kind { SAFETY, LESSON }

  public enum Status { OK, EXPECTED, FAILED, NOT_DEMONSTRATED }

  public CheckResult {
    Check.notNull(name, "check name");
    Check.notNull(kind, "check kind");
    Check.notNull(status, "check status");
    detail = detail == null ? "" : detail;
    Check.argument(status != Status.EXPECTED || excuse != null, "check %s: an expected anomaly needs an excuse", name);
    Check.argument(kind == Kind.LESSON || status != Status.NOT_DEMONSTRATED, "check %s: only a lesson can be not demonstrated", name);
  }

  public static CheckResult ok(String name, String detail) {
    return new CheckResult(name, Kind.SAFETY, Status.OK, detail, null);
  }

  public static CheckResult failed(String name, String detail) {
    return new CheckResult(name, Kind.SAFETY, Status.FAILED, detail, null);
  }

  public static CheckResult of(String name, boolean ok, String detail) {
    return ok ? ok(name, detail) : failed(name, detail);
  }

  /** A loss or anomaly the real system allows, for exactly the records {@code excuse} covers. */
  public static CheckResult excused(String name, Excuse excuse, String detail) {
    return new CheckResult(name, Kind.SAFETY, Status.EXPECTED, detail, Check.notNull(excuse, "excuse"));
  }

  /**
   * Judges a loss: ok when nothing was lost; excused when every lost record is covered by one of the rules
   * (each rule → the records it allows to be lost); failed otherwise, naming the records no rule covers.
   */
  public static CheckResult losses(String name, String detail, Collection<String> lost, Map<String, ? extends Collection<String>> allowedByRule) {
    if (lost.isEmpty()) return ok(name, detail);
    TreeSet<String> uncovered = new TreeSet<>(lost);
    List<String> rules = new ArrayList<>();
    List<String> covered = new ArrayList<>();
    for (Map.Entry<String, ? extends Collection<String>> e : allowedByRule.entrySet()) {
      List<String> mine = new ArrayList<>();
      for (String r : lost) if (e.getValue().contains(r) && uncovered.remove(r)) mine.add(r);
      if (!mine.isEmpty()) {
        rules.add(e.getKey());
        covered.addAll(mine);
      }
    }
    if (!uncovered.isEmpty()) {
      return failed(name, detail + "; lost with no rule that allows it: " + Excuse.abbreviate(List.copyOf(uncovered), 10));
    }
    return excused(name, Excuse.ofRules(rules, covered), detail);
  }

  /**
   * Transitional: an anomaly explained in prose only. Prefer {@link #excused} with the exact records; this
   * one names no records and will be removed.
   */
  @Deprecated
  public static CheckResult expectedAnomaly(String name, String detail) {
    return new CheckResult(name, Kind.SAFETY, Status.EXPECTED, detail, Excuse.of(detail, List.of()));
  }

  /** This verdict as a lesson's: its story happened (ok) or not; never an excused anomaly. */
  public CheckResult asLesson() {
    Status s = status == Status.EXPECTED ? Status.OK : status;
    return new CheckResult(name, Kind.LESSON, s, detail, null);
  }

  /** A lesson that did not happen under faults other than the scenario's own: not demonstrated. */
  public CheckResult notDemonstrated() {
    Check.state(kind == Kind.LESSON, "only a lesson can be not demonstrated: " + name);
    return status == Status.FAILED ? new CheckResult(name, kind, Status.NOT_DEMONSTRATED, detail, null) : this;
  }

  /** No violation: ok, excused, or a lesson not demonstrated. */
  public boolean ok() {
    return status != Status.FAILED;
  }

  public boolean expected() {
    return status == Status.EXPECTED;
  }

  public boolean isLesson() {
    return kind == Kind.LESSON;
  }

  public String mark() {
    return switch (status) {
      case OK -> "ok";
      case EXPECTED -> "EXPECTED";
      case FAILED -> "FAIL";
      case NOT_DEMONSTRATED -> "n/a";
    };
  }

  public String render() {
    String what = (kind == Kind.LESSON ? "lesson " : "") + name;
    String text = switch (status) {
      case NOT_DEMONSTRATED -> "not demonstrated under these faults (" + detail + ")";
      case EXPECTED -> detail + (excuse == null ? "" : " [allowed by " + excuse.render() + "]");
      default -> detail;
    };
    return String.format("%-8s %s: %s", mark(), what, text);
  }
}
