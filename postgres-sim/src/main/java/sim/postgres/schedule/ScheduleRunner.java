package sim.postgres.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.Durations;
import sim.core.Simulation;
import sim.postgres.engine.Clock;
import sim.postgres.engine.Database;
import sim.postgres.engine.Result;

/**
 * Plays a schedule on a simulated PostgreSQL with the reference runner's timing: each step gets
 * {@link #BLOCKED_AFTER_NANOS} of simulated time to finish before it is reported blocked, then statements
 * it released print their own lines, in step order. deadlock_timeout is 100 ms, as on the oracle server,
 * so the waiter that closes a cycle is the one that fails.
 */
public final class ScheduleRunner {
  public static final long BLOCKED_AFTER_NANOS = Durations.millis(400);
  public static final long RELEASE_WAIT_NANOS = Durations.millis(300);
  public static final long ORACLE_DEADLOCK_TIMEOUT_NANOS = Durations.millis(100);

  private final Simulation sim;
  private final Database db;

  public ScheduleRunner(long seed) {
    this.sim = new Simulation(seed);
    this.db = new Database(clockOf(sim));
    db.setDeadlockTimeoutNanos(ORACLE_DEADLOCK_TIMEOUT_NANOS);
  }

  public static Clock clockOf(Simulation sim) {
    return new Clock() {
      @Override
      public long nowNanos() {
        return sim.nowNanos();
      }

      @Override
      public void schedule(long delayNanos, String label, Runnable action) {
        sim.schedule(delayNanos, label, action);
      }
    };
  }

  public Database database() {
    return db;
  }

  public Simulation simulation() {
    return sim;
  }

  /** Runs the setup lines; returns an error text naming the line that failed, or null. */
  public String setup(Schedule schedule) {
    for (int i = 0; i < schedule.setup().size(); i++) {
      String sql = schedule.setup().get(i);
      Result r = db.execute("setup", sql);
      if (r instanceof Result.Error e) {
        int line = schedule.setupLine(i);
        return (line > 0 ? "line " + line + ": " : "") + "setup statement failed: " + sql + ": " + e.sqlState() + " " + e.message();
      }
    }
    return null;
  }

  /** Runs every step and returns the JSON lines. */
  public List<String> run(Schedule schedule) {
    List<String> out = new ArrayList<>();
    Map<Integer, Result> finished = new TreeMap<>();
    Map<Integer, Schedule.Step> blocked = new TreeMap<>();
    for (Schedule.Step step : schedule.steps()) {
      db.submit(step.session(), step.sql(), r -> finished.put(step.index(), r));
      sim.runUntilTime(sim.nowNanos() + BLOCKED_AFTER_NANOS);
      Result r = finished.remove(step.index());
      if (r != null) out.add(StepJson.of(step, r));
      else {
        out.add(StepJson.blocked(step));
        blocked.put(step.index(), step);
      }
      sim.runUntilTime(sim.nowNanos() + RELEASE_WAIT_NANOS);
      for (var it = blocked.entrySet().iterator(); it.hasNext(); ) {
        var e = it.next();
        Result done = finished.remove(e.getKey());
        if (done != null) {
          out.add(StepJson.of(e.getValue(), done));
          it.remove();
        }
      }
    }
    return out;
  }
}
