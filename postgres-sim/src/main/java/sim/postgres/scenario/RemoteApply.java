package sim.postgres.scenario;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.CheckResult;
import sim.core.scenario.Lesson;
import sim.core.scenario.LessonScenario;

/** remote_apply waits until the standby has replayed the commit: a read there right after sees the row; on does not wait for that. */
final class RemoteApply extends LessonScenario {
  static final NodeId CLIENT = PgScenarios.CLIENT;
  static final int ROUNDS = 8;

  RemoteApply() {
    super(new Lesson("pg.remote-apply-read-your-writes",
        "synchronous_commit=remote_apply: a read on the standby right after COMMIT sees the row; with on it may not",
        "pg has synchronous_standby_names = 's1'; s1 replays commit records 40 ms after they arrive "
            + "(recovery_min_apply_delay = 40ms, standing in for a standby whose startup process is behind). The client "
            + "inserts a row on pg and, the moment it hears INSERT 0 1, reads it on s1. With synchronous_commit=on "
            + "the COMMIT returned once s1 had flushed the WAL (flush_lsn), not replayed it: the read finds nothing. "
            + "After SET synchronous_commit = remote_apply the COMMIT waits for s1's replay_lsn (pg.syncrep.wait ... "
            + "to apply): about 40 ms longer, and the read sees the row every time. From 0.8 s to 0.9 s the link "
            + "from pg to s1 drops everything (block pg->s1): the WAL sent meanwhile is lost, the commits wait, and "
            + "once the link is back s1's status shows the gap and the walsender streams again from s1's write LSN.",
        "at 0.8s block pg->s1; at 0.9s heal",
        Durations.seconds(2),
        Durations.millis(500)));
  }

  @Override
  public void setup(Simulation sim) {
    sim.network().setLinkLatency(Replicas.PG, Replicas.S1, Durations.millis(2), Durations.millis(4));
    Replicas.cluster(sim, Replicas.settings(), "s1", "on", Durations.millis(40));
    sim.addClient(CLIENT, () -> new ReadYourWritesClient(Replicas.PG, Replicas.S1, ROUNDS));
    // the level each commit really had on the server (a restarted server forgets the client's SET)
    Map<Long, String> levelOf = new HashMap<>();
    sim.trace().addListener(e -> {
      if (e.node().equals("pg") && e.kind().equals("pg.reply") && e.attribute("synchronousCommit") != null) {
        levelOf.put(((Number) e.attribute("query")).longValue(), (String) e.attribute("synchronousCommit"));
      }
    });
    sim.addFinalCheck("pg.remote-apply-reads-own-writes", () -> {
      String name = "pg.remote-apply-reads-own-writes";
      ReadYourWritesClient c = client(sim);
      if (c == null) return CheckResult.ok(name, "client down");
      List<ReadYourWritesClient.Round> judged = c.done.stream()
          .filter(r -> "remote_apply".equals(levelOf.get(r.insertQuery())) && r.seen() != null).toList();
      List<String> missed = judged.stream().filter(r -> !r.seen()).map(r -> "id " + r.id()).toList();
      return !missed.isEmpty() ? CheckResult.failed(name, "remote_apply commits whose standby read right after missed the row: " + missed)
          : CheckResult.ok(name, judged.size() + " commits made with synchronous_commit=remote_apply, each read back on s1 right after: all seen");
    });
    sim.addLessonCheck("pg.on-may-not-read-your-writes", () -> {
      ReadYourWritesClient c = client(sim);
      long reads = c == null ? 0 : c.done.stream().filter(r -> r.level().equals("on") && r.seen() != null).count();
      long missed = c == null ? 0 : c.done.stream().filter(r -> r.level().equals("on") && Boolean.FALSE.equals(r.seen())).count();
      return CheckResult.of("pg.on-may-not-read-your-writes", missed > 0,
          reads + " reads on s1 right after a synchronous_commit=on COMMIT, " + missed + " did not see the row");
    });
    sim.addLessonCheck("pg.remote-apply-rounds-done", () -> {
      ReadYourWritesClient c = client(sim);
      long n = c == null ? 0 : c.done.stream().filter(r -> r.level().equals("remote_apply") && r.seen() != null).count();
      return CheckResult.of("pg.remote-apply-rounds-done", n == ROUNDS, n + " of " + ROUNDS + " remote_apply rounds read back");
    });
  }

  static ReadYourWritesClient client(Simulation sim) {
    return sim.isUp(CLIENT) ? sim.node(CLIENT, ReadYourWritesClient.class) : null;
  }
}
