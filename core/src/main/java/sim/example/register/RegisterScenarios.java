package sim.example.register;

import java.util.List;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;

/**
 * The kernel's worked example: a primary–backup register. It exercises every kernel feature (messages,
 * timers, fsync, crash loss, restart recovery, invariants, final checks, write-path points) in a model
 * small enough to read in one sitting.
 */
public final class RegisterScenarios implements ScenarioProvider {
  static final NodeId PRIMARY = NodeId.of("primary");
  static final NodeId BACKUP = NodeId.of("backup");
  static final NodeId CLIENT = NodeId.of("client");

  @Override
  public List<Scenario> scenarios() {
    return List.of(new Register(true), new Register(false));
  }

  /** The register, durable (fsync + replicate before ack) or not (ack from the page cache). */
  public static final class Register implements Scenario {
    private final boolean durable;

    public Register(boolean durable) {
      this.durable = durable;
    }

    @Override
    public String name() {
      return durable ? "example.register" : "example.register-ack-before-fsync";
    }

    @Override
    public String summary() {
      return durable
          ? "Kernel example: a primary-backup register that fsyncs and replicates before it acks; crashes lose nothing acked"
          : "Kernel example: the same register acking from the page cache; a crash loses acknowledged writes";
    }

    @Override
    public String explanation() {
      return "A client writes v1, v2, ... to a primary every 100 ms. The primary appends each write to register.log"
          + (durable
              ? ", waits for fsync, replicates to the backup (which fsyncs too) and only then acks. "
                  + "At 3s the primary crashes: every write in its page cache but not fsynced is lost, yet none of "
                  + "those had been acked, so the client simply retries them after the restart."
              : " and acks at once, from the page cache, replicating in the background without fsync. "
                  + "At 3s the primary crashes and loses the writes it had acked but not fsynced: the final check "
                  + "reports them as the expected cost of acking before fsync.")
          + " Watch example.append, example.ack and example.recover.";
    }

    @Override
    public String faultPlan() {
      return "at 3s crash primary; at 3.5s restart primary; at 6s crash backup; at 6.5s restart backup";
    }

    @Override
    public long durationNanos() {
      return Durations.seconds(8);
    }

    @Override
    public long livenessNanos() {
      return Durations.seconds(3);
    }

    @Override
    public void setup(Simulation sim) {
      sim.addNode(PRIMARY, () -> new RegisterServer(true, durable, BACKUP));
      sim.addNode(BACKUP, () -> new RegisterServer(false, durable, BACKUP));
      sim.addClient(CLIENT, () -> new RegisterClient(PRIMARY));
      if (durable) {
        sim.addInvariant("acked-writes-on-backup", () -> {
          RegisterClient c = sim.node(CLIENT, RegisterClient.class);
          RegisterServer b = sim.node(BACKUP, RegisterServer.class);
          if (c == null || b == null || c.acked.isEmpty()) return null;
          long last = c.acked.last();
          return b.contains(last) ? null : "write " + last + " was acked but the backup does not have it";
        });
      }
      sim.addFinalCheck("acked-writes-survive", () -> {
        RegisterClient c = sim.node(CLIENT, RegisterClient.class);
        RegisterServer p = sim.node(PRIMARY, RegisterServer.class);
        List<Long> lost = c.acked.stream().filter(id -> !p.contains(id)).toList();
        String detail = c.acked.size() + " writes acked, " + lost.size() + " of them lost"
            + (lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size())));
        if (lost.isEmpty()) return CheckResult.ok("acked-writes-survive", detail);
        return durable
            ? CheckResult.failed("acked-writes-survive", detail)
            : CheckResult.expectedAnomaly("acked-writes-survive", detail + ": acked before fsync, lost in the crash");
      });
      sim.addFinalCheck("progress", () -> {
        // Liveness: once every fault is healed, writes must be acknowledged again.
        RegisterClient c = sim.node(CLIENT, RegisterClient.class);
        long sinceAckNanos = sim.nowNanos() - c.lastAckNanos;
        boolean live = c.lastAckNanos >= 0 && sinceAckNanos <= Durations.seconds(1);
        return CheckResult.of("progress", live, c.acked.size() + " writes acked, the last "
            + (c.lastAckNanos < 0 ? "never" : Durations.format(sinceAckNanos) + " before the end"));
      });
    }
  }
}
