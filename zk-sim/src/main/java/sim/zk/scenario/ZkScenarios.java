package sim.zk.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import sim.core.Durations;
import sim.core.NodeId;
import sim.core.Simulation;
import sim.core.check.BreakRule;
import sim.core.check.CheckResult;
import sim.core.scenario.Scenario;
import sim.core.scenario.ScenarioProvider;
import sim.zk.client.ZkClient;
import sim.zk.ensemble.Ensemble;
import sim.zk.server.RuleBreaks;
import sim.zk.server.ZkConfig;
import sim.zk.server.ZkServer;
import sim.zk.tree.EventType;
import sim.zk.tree.Op;
import sim.zk.tree.OpResult;
import sim.zk.tree.Txn;

/** The ZooKeeper lessons. With equal zxids fast leader election picks the highest id, so zk3 leads first. */
public final class ZkScenarios implements ScenarioProvider {
  private static final UnaryOperator<ZkConfig> DEFAULTS = c -> c;
  private static final BiConsumer<Simulation, Ensemble> NOTHING = (s, e) -> {};

  @Override
  public List<Scenario> scenarios() {
    List<Scenario> all = new ArrayList<>();
    all.add(new ZkScenario("zk.write-path", "one write through ZAB: proposal, fsync, ACK, quorum, COMMIT",
        "A client connected to a follower sets a znode. The follower forwards the request to the leader, the leader gives it the next zxid (epoch << 32 | counter) and sends PROPOSAL to every follower; each follower appends it to its txn log and fsyncs before it ACKs (zk.zab.ack); when a quorum (2 of 3, the leader's own fsync included) has it durably, the leader COMMITs in zxid order (zk.zab.commit), and every server applies it to its data tree. The server the client is connected to answers once it has applied the txn. Step with breakpoints on zk.zab.proposal, zk.zab.ack and zk.zab.commit.",
        3, "", Durations.seconds(5), DEFAULTS, 1, NOTHING));
    all.add(new ZkScenario("zk.leader-crash", "the leader crashes: fast leader election, new epoch, nothing committed lost",
        "zk3 leads epoch 1 while three clients write. At 6s zk3 crashes. Its followers hear their connections to it reset, go LOOKING at once and run fast leader election: each votes for itself, then adopts any better vote (higher epoch, then higher zxid, then higher id); once a quorum agrees and finalizeWait (200ms) brings nothing better, zk2 leads. Discovery picks epoch 2 (FOLLOWERINFO, LEADERINFO, ACKEPOCH), synchronization brings the follower to the leader's history (DIFF), NEWLEADER is acked by a quorum and broadcast resumes with zxids 0x2000000xx. Every write a client saw succeed is in the new leader's history. zk3 restarts at 22s, votes, learns from the others' answers that zk2 leads epoch 2 and rejoins as its follower. The crash is a process's: its operating system resets every TCP connection it had (conn.reset), so the followers go LOOKING within a millisecond and clients move to another server at once, and the whole failover takes about finalizeWait (200ms). Had the leader been silent instead (a GC pause, a cut cable: try --faults \"at 6s pause zk3; at 22s resume zk3\"), the followers would wait syncLimit (5 ticks of 2s) before electing.",
        3, "at 6s crash zk3; at 22s restart zk3", Durations.seconds(30), DEFAULTS, 3, both(points("zk.fle.elected"), ZkScenarios::failoverByReset)));
    all.add(new ZkScenario("zk.election-highest-zxid", "the most up-to-date server wins the election, not the highest id",
        "zk2 is cut off at 4s, so it misses the writes that client x1 (connected to the leader zk3) makes from 5s, which zk3 and zk1 commit. At 8s zk3 crashes and at 8.5s the partition heals. zk2, LOOKING since it lost its leader, votes for itself (id 2 beats id 1), but when zk1 starts looking its vote carries a higher zxid, and the zxid outranks the id: zk2 adopts zk1's vote and zk1 leads epoch 2. Had zk2 won, the writes it missed would be lost; FLE's order (epoch, then zxid, then id) is what keeps committed txns in the new leader's history.",
        3, "at 4s partition zk2|zk1,zk3; at 8s crash zk3; at 8500ms heal; at 28s restart zk3", Durations.seconds(32), DEFAULTS, 2, ZkScenarios::highestZxidWins));
    all.add(new ZkScenario("zk.observer", "an observer serves clients and learns every commit, but never votes",
        "Three voting servers and one observer (zk4, peerType=observer). Client o1 writes through the observer: it forwards the request to the leader like a follower would, but the leader sends it no PROPOSAL and waits for no ACK from it; it gets INFORM with each committed txn. When the leader crashes at 6s the observer takes no part in the vote (voters ignore its notifications and only tell it theirs) and follows whoever the voters elect. Quorums stay 2 of the 3 voters throughout.",
        3, "at 6s crash zk3; at 22s restart zk3", Durations.seconds(30), c -> c.withObservers(1), 3, ZkScenarios::observerNeverVotes));
    all.add(new ZkScenario("zk.leader-crash-5", "five servers survive two crashes: the leader and then the new leader",
        "A 5-server ensemble tolerates two failures (quorum 3). zk5 leads; at 6s it crashes and the four others elect zk4 (highest zxid, then highest id) for epoch 2; at 14s zk4 crashes too and the remaining three still form a quorum and elect again for epoch 3. Both return later and are synced to the new leader's history.",
        5, "at 6s crash zk5; at 14s crash zk4; at 22s restart zk5; at 24s restart zk4", Durations.seconds(30), DEFAULTS, 3, points("zk.fle.elected")));
    all.add(new ZkScenario("zk.client-reconnect", "a client's server dies; it reconnects elsewhere and never sees older state",
        "Reader r1 and writer w1 are connected to zk1; from 4s to 16s zk2 hears from the leader zk3 two seconds late (a far replica), so it applies every commit two seconds after zk1 does. At 6s zk1 crashes: its connections are reset, r1 and w1 move down their connect strings at once and reach zk2 with their session ids and the last zxid they saw. zk2 has not applied that zxid yet, so it refuses them (zk.session.refused: \"Refusing session request for client as it has seen zxid ... our last zxid is ... client must try another server\") and they try zk3, the next server. Their sessions survive (they reconnect within the timeout) and every answer they get carries a zxid at least as high as any they saw before. Run it with --break zk.accept-client-ahead to watch r1 read from the past.",
        3, "at 6s crash zk1; at 18s restart zk1", Durations.seconds(24), DEFAULTS, 1, ZkScenarios::clientReconnect));
    all.add(new ZkScenario("zk.watch-after-reconnect", "watches survive a move to another server (SetWatches)",
        "Client c2, connected to zk1, holds a data watch and a child watch on /cfg. At 5s zk1 crashes; at 6s c1 (on zk2) changes /cfg while c2 is still finding a new server. When c2 reconnects it sends SetWatches with the last zxid it saw: the new server sees /cfg's mzxid is newer and fires NodeDataChanged at once, and re-registers the child watch, which fires when c1 later adds a child.",
        3, "at 5s crash zk1; at 25s restart zk1", Durations.seconds(30), DEFAULTS, 1, ZkScenarios::watchAfterReconnect));
    all.add(new ZkScenario("zk.partition-leader-minority", "the leader is cut off in a minority: it steps down, the majority elects",
        "At 6s the leader zk3 is partitioned from zk1 and zk2. It keeps its clients for a while but can commit nothing: no quorum acks its proposals. After syncLimit without a quorum of followers it gives up leadership (\"leader lost quorum\") and goes LOOKING, dropping its clients, who reconnect to zk1 or zk2. Meanwhile zk1 and zk2 time out on their leader, elect zk2 for epoch 2 and carry on. After the heal zk3 learns from the others' notifications that zk2 leads, follows it and is synced (TRUNC if it logged proposals nobody committed).",
        3, "at 6s partition zk3|zk1,zk2; at 25s heal", Durations.seconds(35), DEFAULTS, 3, points("zk.fle.elected")));
    all.add(new ZkScenario("zk.sync-diff", "a follower that missed a few txns is synced by DIFF",
        "Follower zk1 crashes at 4s and restarts at 8s. It recovers its data tree from its snapshot and txn log, votes, learns that zk3 leads and sends FOLLOWERINFO with its last zxid. That zxid is inside the leader's in-memory committed log, so the leader sends a DIFF with just the txns zk1 missed (zk.sync.diff), then NEWLEADER and UPTODATE.",
        3, "at 4s crash zk1; at 8s restart zk1", Durations.seconds(15), DEFAULTS, 2, points("zk.sync.diff")));
    all.add(new ZkScenario("zk.sync-snap", "a follower far behind is synced by SNAP",
        "With commitLogCount 20, the leader keeps only the last 20 committed txns in memory. Follower zk1 is down from 4s to 20s while two clients write many more; when it comes back its last zxid is older than the leader's committed log, so the leader sends a whole snapshot (zk.sync.snap). zk1 replaces its state, writes the snapshot to its disk and drops its old log.",
        3, "at 4s crash zk1; at 20s restart zk1", Durations.seconds(28), c -> c.withCommitLogCount(20), 2, points("zk.sync.snap")));
    all.add(new ZkScenario("zk.sync-trunc", "an old leader with uncommitted proposals is truncated on return",
        "Leader zk3 is cut off at 5s; its own client w3 keeps writing, so zk3 logs proposals that no follower ever sees. zk3 crashes at 9s (before it noticed it lost its quorum); zk1 and zk2 notice their leader is gone after syncLimit, elect zk2 for epoch 2 and commit new writes. When zk3 returns at 20s its last zxid (epoch 1) is one the new leader never logged: the leader tells it to TRUNC to the last zxid they share (zk.sync.trunc) and DIFFs the rest. The uncommitted txns vanish; no client was ever told they succeeded.",
        3, "at 5s partition zk3|zk1,zk2; at 9s crash zk3; at 12s heal; at 20s restart zk3", Durations.seconds(28), DEFAULTS, 3, points("zk.sync.trunc")));
    all.add(new ZkScenario("zk.restart-from-snapshot", "the whole ensemble restarts and recovers from snapshot + log",
        "With snapCount 30 each server snapshots its tree every 30 txns and starts a new log file. At 10s every server crashes (zk1 with a torn last write); at 12s all restart. Each loads its newest valid snapshot, replays the txns logged after it, cuts off a torn tail, and votes with the last zxid it has; the one with the most recent history leads and nothing committed is lost.",
        3, "at 9s disk zk1 torn; at 10s crash zk1; at 10s crash zk2; at 10s crash zk3; at 12s restart zk1; at 12s restart zk2; at 12s restart zk3",
        Durations.seconds(20), c -> c.withSnapCount(30), 2, NOTHING));
    all.add(new ZkScenario("zk.power-loss", "every server loses power mid-write: acknowledged writes survive, writes in flight may vanish",
        "The disks are slow here (an fsync takes 100ms, a network disk under load), so each write spends about 100ms between its PROPOSAL and a quorum's ACKs: a follower ACKs only once its fsync has returned (fsync.wait, fsync.done, then zk.zab.ack) and the leader counts its own ACK only after its own fsync. At 7s every server loses power at once and whatever was only in the page cache is gone. Every write a client was told succeeded was on the disks of a quorum, so the ensemble that restarts at 9s elects a leader that has it. The writes in flight at 7s may be on no disk: those vanish, and no client was ever told they succeeded (their clients saw CONNECTIONLOSS: outcome unknown); one that a follower had already fsynced survives in the new leader's history. Run it with --break zk.ack-before-fsync to see an acknowledged write vanish.",
        3, "at 0s disk zk1 fsync-latency 100ms; at 0s disk zk2 fsync-latency 100ms; at 0s disk zk3 fsync-latency 100ms; "
            + "at 7s crash zk1; at 7s crash zk2; at 7s crash zk3; at 9s restart zk1; at 9s restart zk2; at 9s restart zk3",
        Durations.seconds(16), DEFAULTS, 3, ZkScenarios::inFlightAtPowerLoss));
    all.add(new ZkScenario("zk.disk-eio", "a follower's txn log write fails: it exits, the ensemble carries on, it recovers on restart",
        "At 5s the next disk write on follower zk1 fails with EIO. ZooKeeper does not try to continue with a log it cannot trust: the server exits (fail-stop). With zk1 gone the leader still has a quorum (itself and zk2) and keeps committing. At 9s zk1 restarts, recovers its snapshot and log, and is synced back by DIFF or SNAP.",
        3, "at 5s disk zk1 eio 1; at 9s restart zk1", Durations.seconds(15), DEFAULTS, 2, points("panic")));
    all.add(new ZkScenario("zk.session-expiry-lock", "a lock holder's session expires in a partition: its ephemeral goes, the next waiter gets the lock",
        "Clients take the lock recipe: each creates an ephemeral sequential /lock/n-, and l2 and l3 watch only their predecessor (no herd effect: a deletion wakes one client), while l4 takes the naive route and watches all of /lock's children, so it is woken by every change (the herd effect). At 6s the holder l1 is cut off from every server. It stops pinging; the leader's session tracker sees the session's deadline pass (timeout 6s) and proposes closeSession (zk.session.expire); applying it deletes l1's ephemeral, and l2's exists watch fires NodeDeleted: l2 now holds the lock. l3 sees nothing. After the heal l1 reconnects with its old session id and is told SESSIONEXPIRED.",
        3, "at 6s partition l1|zk1,zk2,zk3; at 25s heal", Durations.seconds(30), DEFAULTS, 1, ZkScenarios::lockRecipe));
    all.add(new ZkScenario("zk.sync-read", "sync then read: a follower's read made fresh (and the one case where it is not)",
        "Writer w1, connected to follower zk1, updates /w1 while readers r1 and r2 read it from follower zk2, whose link from the leader zk3 takes 200ms, so it applies commits late. r2 reads without sync: some of its reads return a version older than one w1 was already told is committed (ZooKeeper promises sequential consistency, not linearizable reads; reported as an expected anomaly). Before each read r1 issues sync, which goes through the leader and returns once zk2 has applied everything the leader had proposed; the read after it must show at least the version w1 had been acknowledged before the sync was sent. One hole is real ZooKeeper's too: the leader answers sync without asking a quorum, so a leader that has lost its quorum but not yet noticed (up to syncLimit) can serve a stale sync; the check reports that case as an expected anomaly.",
        3, "", Durations.seconds(15), DEFAULTS, 1, ZkScenarios::syncRead));
    return all;
  }

  @Override
  public List<BreakRule> breakRules() {
    return List.of(
        new BreakRule(RuleBreaks.COMMIT_WITHOUT_QUORUM, "zk.partition-leader-minority",
            "the leader commits on its own ACK: cut off in a minority it keeps acknowledging its client's writes, the majority elects without them and the old leader is truncated on return (zk.zab-promises: a committed txn missing from the new leader's history)"),
        new BreakRule(RuleBreaks.ELECT_LOWEST_ZXID, "zk.election-highest-zxid",
            "fast leader election prefers the lower zxid and the new leader skips waitForEpochAck's 'Follower is ahead of the leader' check, so the server that missed the commits leads and syncs the others to its shorter history (zk.zab-promises); with the check alone in place it would refuse the follower and the ensemble would stall"),
        new BreakRule(RuleBreaks.ACK_BEFORE_FSYNC, "zk.power-loss",
            "followers ACK and the leader counts itself as soon as a proposal is in the page cache: a write is committed and acknowledged before any disk has it, and a power loss erases it (zk.zab-promises, zk.acked-writes-committed)"),
        new BreakRule(RuleBreaks.ACCEPT_CLIENT_AHEAD, "zk.client-reconnect",
            "a lagging server accepts a client that has seen a newer zxid than it has applied: the client's next answers come from the past (zk.client-zxid-monotonic)"));
  }

  /** A lesson check: the lesson's mechanism (a named write-path point) happened at least once. */
  private static BiConsumer<Simulation, Ensemble> points(String point) {
    return (sim, e) -> {
      int[] seen = {0};
      sim.trace().addListener(ev -> {
        if (ev.kind().equals(point)) seen[0]++;
      });
      sim.addLessonCheck("zk.saw-" + point, () -> CheckResult.of("zk.saw-" + point, seen[0] > 0, point + " happened " + seen[0] + " times"));
    };
  }

  private static BiConsumer<Simulation, Ensemble> both(BiConsumer<Simulation, Ensemble> a, BiConsumer<Simulation, Ensemble> b) {
    return a.andThen(b);
  }

  /**
   * Lesson: when the leader's process dies its connections are reset, so the next epoch is established
   * well within syncLimit (the silence a partition or a pause would need first).
   */
  private static void failoverByReset(Simulation sim, Ensemble e) {
    long[] crash = {-1, -1}; // when, and the epoch the crashed server led
    int[] resets = {0};
    sim.trace().addListener(ev -> {
      Map.Entry<Long, Long> latest = e.observer().leaders().lastEntry();
      if (crash[0] < 0 && ev.kind().equals("crash") && latest != null && ev.node().equals(e.config().idOf(latest.getValue()).name())) {
        crash[0] = ev.timeNanos();
        crash[1] = latest.getKey();
      }
      if (crash[0] >= 0 && ev.kind().equals("conn.reset") && e.config().sidOf(NodeId.of(ev.node())) > 0) resets[0]++;
    });
    long syncLimitNanos = Durations.millis((long) e.config().syncLimit() * e.config().tickTimeMs());
    sim.addLessonCheck("zk.failover-by-reset", () -> {
      if (crash[0] < 0) return CheckResult.failed("zk.failover-by-reset", "no established leader crashed");
      Map.Entry<Long, Long> next = e.observer().establishedAtNanos().higherEntry(crash[1]);
      if (next == null) return CheckResult.failed("zk.failover-by-reset", "no epoch after " + crash[1] + " was established");
      long took = next.getValue() - crash[0];
      return CheckResult.of("zk.failover-by-reset", took < syncLimitNanos,
          "the leader of epoch " + crash[1] + " crashed at " + Durations.format(crash[0]) + "; " + resets[0] + " servers heard the reset; epoch " + next.getKey()
              + " was established " + Durations.format(took) + " later (silence would first cost syncLimit, " + Durations.format(syncLimitNanos) + ")");
    });
  }

  private static void observerNeverVotes(Simulation sim, Ensemble e) {
    NodeId o1 = e.addClient("o1", 3, 10_000);
    Workload.drive(sim, e, o1, Durations.seconds(1), Durations.millis(200),
        n -> Workload.created(e.client(o1)) ? new Op.SetData("/o1", Integer.toString(n), -1) : new Op.Create("/o1", "0", false, false));
    int[] observerAcks = {0};
    sim.trace().addListener(ev -> {
      if (ev.node().equals("zk4") && ev.kind().equals("zk.zab.ack")) observerAcks[0]++;
    });
    sim.addFinalCheck("zk.observer-never-votes", () -> {
      boolean led = e.observer().leaders().containsValue(4L);
      return CheckResult.of("zk.observer-never-votes", !led && observerAcks[0] == 0,
          "observer zk4 sent " + observerAcks[0] + " ACKs and led " + (led ? "an epoch" : "no epoch") + " (leaders by epoch " + e.observer().leaders() + ")");
    });
    sim.addLessonCheck("zk.observer-served-writes", () -> {
      int acked = Workload.ackedWrites(e.client(o1)).size();
      return CheckResult.of("zk.observer-served-writes", acked > 0, "o1, connected to the observer, had " + acked + " writes acknowledged");
    });
  }

  /** Lesson: writes were in flight when every server lost power; what became of each. */
  private static void inFlightAtPowerLoss(Simulation sim, Ensemble e) {
    java.util.TreeSet<Long> proposed = new java.util.TreeSet<>();
    java.util.TreeSet<Long> inFlight = new java.util.TreeSet<>();
    int[] down = {0};
    sim.trace().addListener(ev -> {
      if (ev.kind().equals("zk.zab.proposal")) proposed.add(Long.decode(String.valueOf(ev.attribute("zxid"))));
      if (ev.kind().equals("crash") && e.config().sidOf(NodeId.of(ev.node())) > 0 && ++down[0] == e.config().servers().size()) {
        for (long z : proposed) if (!e.observer().isCommitted(z)) inFlight.add(z);
      }
    });
    sim.addLessonCheck("zk.writes-in-flight-at-power-loss", () -> {
      List<String> vanished = new ArrayList<>();
      List<String> kept = new ArrayList<>();
      for (long z : inFlight) (e.observer().isCommitted(z) ? kept : vanished).add(Txn.hex(z));
      return CheckResult.of("zk.writes-in-flight-at-power-loss", !inFlight.isEmpty(), inFlight.size() + " proposals were in flight when the power went: "
          + vanished.size() + " vanished " + vanished + ", " + kept.size() + " survived on a follower's disk and were committed by the next leader " + kept
          + "; no client had been told any of them succeeded");
    });
  }

  private static void highestZxidWins(Simulation sim, Ensemble e) {
    // x1, connected to the leader zk3, writes while zk2 is cut off: only zk3 and zk1 log these
    NodeId x1 = e.addClient("x1", 2, 10_000);
    for (int i = 0; i < 5; i++) Workload.submitAt(sim, x1, Durations.millis(5000 + 500L * i), new Op.Create("/x" + i, "", false, false));
    sim.addLessonCheck("zk.most-up-to-date-leads", () -> {
      Long second = e.observer().leaders().get(2L);
      // zk2 missed x1's writes: whoever leads epoch 2 (zk1, or zk3 if it is back in time with an even longer
      // log), it must not be zk2, though zk2 has the higher id of the two survivors
      return CheckResult.of("zk.most-up-to-date-leads", second != null && second != 2,
          "epoch 2 was led by " + (second == null ? "nobody" : "zk" + second) + " (leaders by epoch " + e.observer().leaders() + ")");
    });
  }

  private static void watchAfterReconnect(Simulation sim, Ensemble e) {
    NodeId c1 = e.addClient("c1", 1, 10_000);
    NodeId c2 = e.addClient("c2", 0, 10_000);
    Workload.submitAt(sim, c1, Durations.millis(2000), new Op.Create("/cfg", "v1", false, false));
    Workload.submitAt(sim, c2, Durations.millis(3000), new Op.GetData("/cfg", true));
    Workload.submitAt(sim, c2, Durations.millis(3200), new Op.GetChildren("/cfg", true));
    Workload.submitAt(sim, c1, Durations.millis(6000), new Op.SetData("/cfg", "v2", -1));
    Workload.submitAt(sim, c1, Durations.millis(20_000), new Op.Create("/cfg/child", "", false, false));
    sim.addLessonCheck("zk.watches-survived-reconnect", () -> {
      List<String> seen = new ArrayList<>();
      for (ZkClient.Event ev : e.client(c2).events()) seen.add(ev.type() + " " + ev.path());
      List<String> expected = List.of("NodeDataChanged /cfg", "NodeChildrenChanged /cfg");
      return CheckResult.of("zk.watches-survived-reconnect", seen.equals(expected),
          "c2 saw " + seen + " (expected " + expected + ") on session " + e.client(c2).sessionsOwned());
    });
  }

  private static void clientReconnect(Simulation sim, Ensemble e) {
    // a far replica from 4s (once everyone serves) to 16s: zk2 applies each commit two seconds after zk1,
    // longer than a client takes to come back
    NodeId leader = NodeId.of("zk3");
    NodeId far = NodeId.of("zk2");
    sim.schedule(Durations.seconds(4), "zk2 is far", () -> sim.network().setLinkLatency(leader, far, Durations.seconds(2), Durations.seconds(2)));
    sim.schedule(Durations.seconds(16), "zk2 is near again", () -> sim.network().setLinkLatency(leader, far, sim.network().minLatencyNanos(), sim.network().maxLatencyNanos()));
    NodeId r1 = e.addClient("r1", 0, 10_000);
    Workload.drive(sim, e, r1, Durations.millis(1500), Durations.millis(200), n -> new Op.GetData("/w1", false));
    points("zk.session.refused").accept(sim, e);
    sim.addLessonCheck("zk.session-survived-reconnect", () -> {
      ZkClient w1 = e.client(NodeId.of("w1"));
      ZkClient reader = e.client(r1);
      return CheckResult.of("zk.session-survived-reconnect", w1.sessionsOwned().size() == 1 && reader.sessionsOwned().size() == 1,
          "w1 used sessions " + w1.sessionsOwned() + ", r1 " + reader.sessionsOwned() + " (one session each means they reconnected within the timeout); last zxids seen "
              + Txn.hex(w1.lastZxidSeen()) + ", " + Txn.hex(reader.lastZxidSeen()));
    });
  }

  private static void lockRecipe(Simulation sim, Ensemble e) {
    NodeId l1 = e.addClient("l1", 0, 6_000);
    NodeId l2 = e.addClient("l2", 1, 6_000);
    NodeId l3 = e.addClient("l3", 2, 6_000);
    Workload.submitAt(sim, l1, Durations.millis(3000), new Op.Create("/lock", "", false, false));
    Workload.submitAt(sim, l1, Durations.millis(3300), new Op.Create("/lock/n-", "", true, true));
    Workload.submitAt(sim, l2, Durations.millis(3600), new Op.Create("/lock/n-", "", true, true));
    Workload.submitAt(sim, l3, Durations.millis(3900), new Op.Create("/lock/n-", "", true, true));
    Workload.submitAt(sim, l2, Durations.millis(4500), new Op.Exists("/lock/n-0000000000", true));
    Workload.submitAt(sim, l3, Durations.millis(4800), new Op.Exists("/lock/n-0000000001", true));
    // l4 takes the naive recipe: it watches all of /lock's children, so every change wakes it (the herd)
    NodeId l4 = e.addClient("l4", 1, 6_000);
    Workload.submitAt(sim, l4, Durations.millis(4200), new Op.Create("/lock/n-", "", true, true));
    Workload.submitAt(sim, l4, Durations.millis(5000), new Op.GetChildren("/lock", true));
    sim.addLessonCheck("zk.lock-handed-over", () -> {
      ZkClient c2 = e.client(l2);
      ZkClient c3 = e.client(l3);
      boolean l2Woken = c2.events().stream().anyMatch(ev -> ev.type() == EventType.NodeDeleted && ev.path().equals("/lock/n-0000000000"));
      if (!l2Woken) return CheckResult.failed("zk.lock-handed-over", "l2 was not told its predecessor's ephemeral was deleted: " + c2.events());
      if (!c3.events().isEmpty()) return CheckResult.failed("zk.lock-handed-over", "l3 was woken although its predecessor still holds: " + c3.events());
      for (NodeId id : e.config().servers()) {
        ZkServer s = e.server(id);
        if (s != null && s.tree().exists("/lock/n-0000000000")) return CheckResult.failed("zk.lock-handed-over", id + " still has the expired holder's ephemeral");
      }
      boolean herd = e.client(l4).events().stream().anyMatch(ev -> ev.type() == EventType.NodeChildrenChanged);
      if (!herd) return CheckResult.failed("zk.lock-handed-over", "l4, watching all of /lock's children, was not woken: " + e.client(l4).events());
      return CheckResult.ok("zk.lock-handed-over", "l1's session expired, its ephemeral was removed; of the predecessor-watchers only l2 was woken, while l4 (watching all children: the herd) was woken for nothing; l1 is " + e.client(l1).state());
    });
  }

  private static void syncRead(Simulation sim, Ensemble e) {
    // The leader's packets reach follower zk2 200ms late (a far replica): zk2 applies commits late.
    sim.network().setLinkLatency(NodeId.of("zk3"), NodeId.of("zk2"), Durations.millis(200), Durations.millis(200));
    NodeId r1 = e.addClient("r1", 1, 10_000);
    NodeId w1 = NodeId.of("w1");
    Map<Integer, Long> newestEpochAt = new TreeMap<>();
    Map<Integer, Long> servedEpochAt = new TreeMap<>();
    Workload.drive(sim, e, r1, Durations.millis(1500), Durations.millis(300), n -> {
      if (n % 2 == 1) {
        // the sync (n - 1) has just completed: which epoch was the newest established one then?
        newestEpochAt.put(n - 1, e.observer().leaders().isEmpty() ? 0L : e.observer().leaders().lastKey());
        ZkServer served = e.server(e.client(r1).server());
        servedEpochAt.put(n - 1, served == null ? 0L : served.currentEpoch());
        return new Op.GetData("/w1", false);
      }
      return new Op.Sync("/w1");
    });
    // r1's sync+read pairs are checked for linearizability with the writes (zk.znodes-linearizable); the
    // ones whose sync went through a server of an epoch older than the newest are ZOOKEEPER-1675's case.
    e.allowStaleSyncs(r1, read -> servedEpochAt.getOrDefault(read - 1, 0L) < newestEpochAt.getOrDefault(read - 1, 0L));
    // A second reader on the lagging follower reads without sync: those reads may be stale.
    NodeId r2 = e.addClient("r2", 1, 10_000);
    Map<Integer, Integer> plainFloorAt = new TreeMap<>();
    Workload.drive(sim, e, r2, Durations.millis(1600), Durations.millis(150), n -> {
      plainFloorAt.put(n, lastAckedVersion(e.client(w1)));
      return new Op.GetData("/w1", false);
    });
    sim.addLessonCheck("zk.plain-read-may-be-stale", () -> {
      List<ZkClient.Completed> done = e.client(r2).completed();
      int reads = 0;
      int stale = 0;
      for (int i = 0; i < done.size(); i++) {
        if (!(done.get(i).result() instanceof OpResult.Data d)) continue;
        reads++;
        if (d.stat().version() < plainFloorAt.getOrDefault(i, -1)) stale++;
      }
      return CheckResult.of("zk.plain-read-may-be-stale", stale > 0, stale + " of " + reads
          + " reads without sync returned a version older than one w1 had already been acknowledged (reads are served by the connected server: sequentially consistent, not linearizable)");
    });
  }

  private static int lastAckedVersion(ZkClient w) {
    int v = -1;
    if (w == null) return v;
    for (ZkClient.Completed d : w.completed()) {
      if (d.result() instanceof OpResult.StatOnly s && s.stat() != null) v = Math.max(v, s.stat().version());
    }
    return v;
  }
}
