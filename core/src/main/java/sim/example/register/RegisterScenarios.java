package sim.example.register;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.lin.Linearizability;
import sim.core.lin.Models;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.core.trace.TraceEvent;

/**
 * The kernel's worked example: a primary–backup register. It exercises every kernel feature (messages,
 * timers, the durability door, crash loss, restart recovery, invariants, final checks with exact excuses, a
 * linearizability check, rule breaks, write-path points) in a model small enough to read in one sitting.
 */
public final class RegisterScenarios implements ScenarioProvider {
  static final NodeId PRIMARY = NodeId.of("primary");
  static final NodeId BACKUP = NodeId.of("backup");
  static final NodeId CLIENT = NodeId.of("client");

  /** The primary replicates and acks without waiting for its own fsync. */
  public static final String ACK_BEFORE_FSYNC = "example.ack-before-fsync";
  /** The primary acks once its own fsync returns, before the backup has the write on its disk. */
  public static final String ACK_BEFORE_BACKUP = "example.ack-before-backup";

  @Override
  public List<Scenario> scenarios() {
    return List.of(new Register(true), new Register(false));
  }

  @Override
  public List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(ACK_BEFORE_FSYNC, "example.register",
            "the primary acks writes only its page cache holds; its crash loses them (acked-writes-survive, linearizable)"),
        new BreakRule(ACK_BEFORE_BACKUP, "example.register",
            "the client hears 'done' before the backup has the write on its disk (acked-writes-on-backup)"));
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
      return "A client writes v1, v2, ... to a primary every 100 ms and reads the register every 250 ms. The primary "
          + "appends each write to register.log"
          + (durable
              ? ", waits for fsync, replicates to the backup (which fsyncs too) and only then acks. "
                  + "At 3s the primary crashes: every write in its page cache but not fsynced is lost, yet none of "
                  + "those had been acked, so the client simply retries them after the restart, and no reader ever "
                  + "saw them: the history stays linearizable."
              : " and acks at once, from the page cache, replicating in the background without fsync. "
                  + "At 3s the primary crashes and loses the writes it had acked but not fsynced: the final check "
                  + "reports exactly those as the expected cost of acking before fsync.")
          + " Watch example.append, fsync.wait, fsync.done, example.ack and example.recover.";
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
      Durability mode = durable
          ? new Durability(!sim.isBroken(ACK_BEFORE_FSYNC), !sim.isBroken(ACK_BEFORE_BACKUP))
          : Durability.NONE;
      ClientHistory history = new ClientHistory(sim::nowNanos);
      sim.addNode(PRIMARY, () -> new RegisterServer(true, mode, BACKUP));
      sim.addNode(BACKUP, () -> new RegisterServer(false, mode, PRIMARY));
      sim.addClient(CLIENT, () -> new RegisterClient(PRIMARY, history));
      if (durable) {
        sim.addInvariant("acked-writes-on-backup", () -> {
          RegisterClient c = sim.node(CLIENT, RegisterClient.class);
          RegisterServer b = sim.node(BACKUP, RegisterServer.class);
          if (c == null || b == null || c.acked.isEmpty()) return null;
          long last = c.acked.last();
          return b.isDurable(last) ? null : "write " + last + " was acked but is not on the backup's disk";
        });
      }
      AckedBeforeCrash ackedBeforeCrash = new AckedBeforeCrash();
      sim.trace().addListener(ackedBeforeCrash);
      sim.addFinalCheck("acked-writes-survive", () -> {
        RegisterClient c = sim.node(CLIENT, RegisterClient.class);
        RegisterServer p = sim.node(PRIMARY, RegisterServer.class);
        List<String> lost = c.acked.stream().filter(id -> !p.contains(id)).map(String::valueOf).toList();
        String detail = c.acked.size() + " writes acked, " + lost.size() + " of them lost"
            + (lost.isEmpty() ? "" : " " + lost.subList(0, Math.min(10, lost.size())));
        // Acking from the page cache allows exactly this loss: writes the primary acked before it crashed.
        Map<String, List<String>> allowed = durable ? Map.of()
            : Map.of("acks from the page cache: acked before the primary's crash, never fsynced", ackedBeforeCrash.ids());
        return CheckResult.losses("acked-writes-survive", detail, lost, allowed);
      });
      if (durable) {
        sim.addFinalCheck("linearizable", () -> {
          var result = Linearizability.check(Models.register(), history.operations());
          // Undecided (the search budget ran out) fails too: the client's bounded window keeps the history
          // small enough to decide, so running out means the check stopped doing its job.
          return CheckResult.of("linearizable", result.linearizable(), "reads and writes of the register: " + result.describe());
        });
      }
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

  /** Reads the trace: the writes the primary acked before its latest crash (what a page-cache ack may lose). */
  private static final class AckedBeforeCrash implements sim.core.trace.TraceListener {
    private final List<Long> ackedSinceCrash = new ArrayList<>();
    private final TreeSet<Long> ackedBeforeACrash = new TreeSet<>();

    @Override
    public void onEvent(TraceEvent e) {
      if (!e.node().equals(PRIMARY.name())) return;
      if (e.kind().equals("example.ack")) {
        ackedSinceCrash.add(((Number) e.attribute("id")).longValue());
      } else if (e.kind().equals("crash")) {
        ackedBeforeACrash.addAll(ackedSinceCrash);
        ackedSinceCrash.clear();
      }
    }

    List<String> ids() {
      return ackedBeforeACrash.stream().map(String::valueOf).toList();
    }
  }
}
