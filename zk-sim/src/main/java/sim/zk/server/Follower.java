package sim.zk.server;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import sim.core.Durations;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.zk.server.ZkMessage.*;
import sim.zk.server.ZkTimer.*;
import sim.zk.tree.Txn;

/**
 * The following role ({@code Follower}, or {@code Observer}, over {@code Learner}), alive for one term:
 * connect to the leader, accept its epoch, be synced (DIFF, TRUNC or SNAP, then NEWLEADER and UPTODATE),
 * then log and ACK proposals and apply COMMITs in zxid order. An observer gets INFORMs instead and never ACKs.
 */
final class Follower {
  private final ZkServer self;
  private final NodeContext ctx;
  private final ZkConfig cfg;
  private final ZKDatabase db;
  private final long term;
  private final NodeId leaderId;
  private long leaderContactNanos;
  private boolean gotLeaderInfo;
  private int connectTries = 1;
  /** A DIFF, TRUNC or SNAP has arrived on this connection, so proposals may follow. */
  private boolean gotSync;
  /** NEWLEADER has been processed (currentEpoch persisted), so proposals may be logged and ACKed. */
  private boolean gotNewLeader;
  /** The sync was a SNAP: the new state reaches the disk at NEWLEADER. */
  private boolean snapshotNeeded;
  /** Proposals that arrived between the sync and NEWLEADER ({@code packetsNotCommitted}). */
  private final List<Txn> notLoggedYet = new ArrayList<>();
  /** Observer: INFORMs between the sync and NEWLEADER, logged at NEWLEADER. */
  private final List<Txn> informedDuringSync = new ArrayList<>();
  /** Committed txns received while syncing (DIFF, COMMITs before UPTODATE), applied at UPTODATE. */
  private final List<Txn> applyAtUpToDate = new ArrayList<>();
  /** Logged proposals waiting for COMMIT, in zxid order. */
  private final TreeMap<Long, Txn> pendingTxns = new TreeMap<>();
  /** {@code LearnerSessionTracker}: sessions my clients touched since the last ping, reported to the leader. */
  private final TreeSet<Long> touched = new TreeSet<>();
  /** Log files written during synchronization: durable before NEWLEADER is ACKed. */
  private final LinkedHashSet<String> syncFiles = new LinkedHashSet<>();
  private long newLeaderZxid;
  private final SyncRequestProcessor syncProcessor;
  /** {@code zookeeper.leaderConnectDelayDuringRetryMs}. */
  private static final int LEADER_CONNECT_DELAY_DURING_RETRY_MS = 100;
  private static final int CONNECT_TRIES = 5;

  Follower(ZkServer self, long term, NodeId leader) {
    this.self = self;
    this.ctx = self.ctx();
    this.cfg = self.cfg();
    this.db = self.db();
    this.term = term;
    this.leaderId = leader;
    // SendAckRequestProcessor: ACK once durable; an observer's log is flushed the same way but never ACKed
    boolean observer = cfg.isObserver(self.myid());
    this.syncProcessor = new SyncRequestProcessor(ctx, db, term, self.breaks().ackBeforeFsync(), observer ? zxid -> { } : this::ack);
  }

  SyncRequestProcessor syncProcessor() {
    return syncProcessor;
  }

  /** {@code Learner.connectToLeader} and {@code registerWithLeader}: FOLLOWERINFO with my epoch and last zxid. */
  void followLeader() {
    leaderContactNanos = ctx.localTimeNanos();
    ctx.send(leaderId, new FollowerInfo(self.acceptedEpoch(), db.lastLoggedZxid()));
    ctx.setTimer(new InitDeadline(term), Durations.millis((long) cfg.initLimit() * cfg.tickTimeMs()));
    ctx.setTimer(new Tick(term), Durations.millis(cfg.tickTimeMs() / 2));
  }

  /** After a refused connection: connect again and register (FOLLOWERINFO). */
  void onConnectRetry(int tries) {
    connectTries = tries;
    ctx.send(leaderId, new FollowerInfo(self.acceptedEpoch(), db.lastLoggedZxid()));
  }

  NodeId leaderId() {
    return leaderId;
  }

  /** Whether {@code from} is my leader; hearing from it keeps the connection alive. */
  boolean fromLeader(NodeId from) {
    if (!from.equals(leaderId)) return false;
    leaderContactNanos = ctx.localTimeNanos();
    return true;
  }

  // ==== discovery and synchronization ==========================================================================

  void onLeaderInfo(NodeId from, LeaderInfo li) {
    if (!fromLeader(from)) return;
    if (gotLeaderInfo) {
      self.becomeLooking("a second LEADERINFO on one connection");
      return;
    }
    gotLeaderInfo = true;
    if (li.newEpoch() > self.acceptedEpoch()) {
      self.persistAcceptedEpoch(li.newEpoch()); // then ACKEPOCH, in onAcceptedEpochDurable
    } else if (li.newEpoch() == self.acceptedEpoch()) {
      ctx.send(from, new AckEpoch(-1, db.lastLoggedZxid()));
    } else {
      self.becomeLooking("leader's epoch " + li.newEpoch() + " is less than my accepted epoch " + self.acceptedEpoch());
    }
  }

  /** The new epoch is durable as my acceptedEpoch: ACKEPOCH with my currentEpoch and last zxid. */
  void onAcceptedEpochDurable() {
    ctx.send(leaderId, new AckEpoch(self.currentEpoch(), db.lastLoggedZxid()));
  }

  void onDiff(NodeId from, Diff d) {
    if (!fromLeader(from)) return;
    gotSync = true;
    for (Txn t : d.txns()) {
      if (t.zxid() <= db.lastLoggedZxid()) continue;
      appendDuringSync(t); // durable before NEWLEADER is ACKed (ZOOKEEPER-3911)
      applyAtUpToDate.add(t); // Learner.syncWithLeader applies DIFF txns once the leader says UPTODATE
    }
  }

  void onTrunc(NodeId from, Trunc t) {
    if (!fromLeader(from)) return;
    ctx.note("TRUNC: dropping logged txns after " + Txn.hex(t.truncZxid()));
    syncFiles.addAll(db.truncateAfter(t.truncZxid())); // durable with the sync's txns, before NEWLEADER's ACK
    if (db.lastProcessedZxid() < t.truncZxid()) {
      // Only a snapshot newer than the TRUNC point held that history (real ZooKeeper would keep the newer
      // snapshot and diverge, the ZOOKEEPER-1549 class of bug); the model discards it and asks for a SNAP.
      self.becomeLooking("TRUNC to " + Txn.hex(t.truncZxid()) + " went below my newest snapshot; resync from " + Txn.hex(db.lastProcessedZxid()));
      return;
    }
    onDiff(from, new Diff(t.txns()));
  }

  void onSnap(NodeId from, Snap s) {
    if (!fromLeader(from)) return;
    gotSync = true;
    snapshotNeeded = true;
    db.deserializeSnapshot(s.snapshot());
  }

  void onNewLeader(NodeId from, NewLeader nl) {
    if (!fromLeader(from)) return;
    if (!gotSync) {
      // Over TCP the sync packet cannot go missing; here a lost one means the connection broke.
      self.becomeLooking("NEWLEADER arrived without DIFF, TRUNC or SNAP before it");
      return;
    }
    gotNewLeader = true;
    newLeaderZxid = nl.zxid();
    if (snapshotNeeded) {
      // Learner.syncWithLeader: a SNAP is written at NEWLEADER, durable before anything is ACKed
      ctx.fsyncBlocking(List.of(db.writeSnapshotTemp()), new SnapshotDurable(term));
      return;
    }
    logSyncTxns();
  }

  /** The SNAP's snapshot is durable: install it, then log what arrived during the sync. */
  void onSnapshotDurable() {
    db.installSnapshot();
    logSyncTxns();
  }

  private void logSyncTxns() {
    for (Txn t : informedDuringSync) appendDuringSync(t);
    informedDuringSync.clear();
    for (Txn t : notLoggedYet) appendDuringSync(t);
    // Learner.syncWithLeader: the txns of the sync are fsynced (the learner's thread waits), then
    // currentEpoch is persisted (ZOOKEEPER-4643), and only then is NEWLEADER ACKed.
    if (syncFiles.isEmpty()) onSyncLogged();
    else ctx.fsyncBlocking(new ArrayList<>(syncFiles), new SyncLogged(term));
  }

  private void appendDuringSync(Txn t) {
    db.append(t);
    syncFiles.add(db.fsyncTarget());
  }

  void onSyncLogged() {
    syncFiles.clear();
    self.persistCurrentEpoch(Txn.epochOf(newLeaderZxid));
  }

  /** Everything of the sync is durable and so is the new currentEpoch: ACK NEWLEADER and the proposals. */
  void onCurrentEpochDurable() {
    ctx.send(leaderId, new Ack(newLeaderZxid));
    for (Txn t : notLoggedYet) {
      ctx.point("zk.zab.ack", "logged and fsynced " + Txn.hex(t.zxid()) + " (received during sync): ACK to " + leaderId, "zxid", Txn.hex(t.zxid()), "leader", leaderId.name());
      ctx.send(leaderId, new Ack(t.zxid()));
    }
    notLoggedYet.clear();
  }

  void onUpToDate(NodeId from) {
    if (!fromLeader(from)) return;
    if (!gotNewLeader) {
      self.becomeLooking("UPTODATE arrived before NEWLEADER");
      return;
    }
    for (Txn t : applyAtUpToDate) self.applyCommitted(t);
    applyAtUpToDate.clear();
    self.startServing();
    ctx.note("UPTODATE from " + from + ": serving clients");
  }

  // ==== broadcast ==============================================================================================

  void onProposal(NodeId from, Proposal p) {
    if (!fromLeader(from)) return;
    if (!gotSync) return; // the leader's packets to our previous incarnation's connection
    Txn t = p.txn();
    long last = Math.max(db.lastLoggedZxid(), pendingTxns.isEmpty() ? 0 : pendingTxns.lastKey());
    if (t.zxid() <= last) return; // a duplicate
    if (!isNext(t.zxid(), last)) {
      self.becomeLooking("gap in proposals: got " + Txn.hex(t.zxid()) + " after " + Txn.hex(last));
      return;
    }
    pendingTxns.put(t.zxid(), t);
    if (!gotNewLeader) {
      notLoggedYet.add(t); // Learner.syncWithLeader: logged once NEWLEADER has set the epoch
      return;
    }
    syncProcessor.log(t);
  }

  /** The log write is durable: now (and only now) the proposal may be acknowledged. */
  private void ack(long zxid) {
    String z = self.hex(zxid);
    ctx.point("zk.zab.ack", (self.breaks().ackBeforeFsync() ? "logged (not fsynced: rule broken) " : "logged and fsynced ") + z + ": ACK to " + leaderId,
        "zxid", z, "leader", leaderId.name());
    ctx.send(leaderId, new Ack(zxid));
  }

  void onCommit(NodeId from, Commit c) {
    if (!fromLeader(from) || !gotSync) return;
    if (pendingTxns.isEmpty() || pendingTxns.firstKey() != c.zxid()) {
      self.becomeLooking("COMMIT " + Txn.hex(c.zxid()) + " but next pending is " + (pendingTxns.isEmpty() ? "none" : Txn.hex(pendingTxns.firstKey())));
      return;
    }
    Txn t = pendingTxns.remove(c.zxid());
    if (self.isServing()) self.applyCommitted(t); else applyAtUpToDate.add(t);
  }

  /** Observer: a committed txn; log it and apply it (no ACK: the leader does not wait for observers). */
  void onInform(NodeId from, Inform i) {
    if (!fromLeader(from) || !gotSync) return;
    Txn t = i.txn();
    long last = informedDuringSync.isEmpty() ? db.lastLoggedZxid() : informedDuringSync.get(informedDuringSync.size() - 1).zxid();
    if (t.zxid() <= last) return; // a duplicate
    if (!isNext(t.zxid(), last)) {
      self.becomeLooking("gap in INFORMs: got " + Txn.hex(t.zxid()) + " after " + Txn.hex(last));
      return;
    }
    if (gotNewLeader) syncProcessor.log(t);
    else informedDuringSync.add(t); // logged with the sync's txns at NEWLEADER (after a SNAP's snapshot)
    if (self.isServing()) self.applyCommitted(t); else applyAtUpToDate.add(t);
  }

  /** Within an epoch zxids are consecutive; a new epoch starts at counter 1. Anything else is a lost packet. */
  private static boolean isNext(long zxid, long last) {
    return Txn.epochOf(zxid) == Txn.epochOf(last) ? Txn.counterOf(zxid) == Txn.counterOf(last) + 1 : Txn.counterOf(zxid) == 1;
  }

  // ==== ticks and pings ========================================================================================

  /** Half a tick has passed; false if I gave up on the leader. */
  boolean tick() {
    long now = ctx.localTimeNanos();
    long limitNanos = Durations.millis((long) (self.isServing() ? cfg.syncLimit() : cfg.initLimit()) * cfg.tickTimeMs());
    if (now - leaderContactNanos > limitNanos) {
      self.becomeLooking("no word from leader " + leaderId + " for " + Durations.format(now - leaderContactNanos));
      return false;
    }
    return true;
  }

  void onInitDeadline() {
    if (!self.isServing()) self.becomeLooking("leader did not sync me within initLimit");
  }

  /** The leader closed our connection: {@code Follower.followLeader} ends and the peer goes LOOKING. */
  void onDisconnect(NodeId from, Disconnect d) {
    if (!fromLeader(from)) return;
    if (!gotLeaderInfo && connectTries < CONNECT_TRIES) {
      // Learner.connectToLeader: the leader is not listening yet (still finishing its election): retry
      ctx.setTimer(new ConnectRetry(term, connectTries + 1), Durations.millis(LEADER_CONNECT_DELAY_DURING_RETRY_MS));
      return;
    }
    self.becomeLooking("leader " + leaderId + " closed the connection: " + d.reason());
  }

  /** The leader's ping: answer with the sessions my clients touched since the last one. */
  void onPing(NodeId from) {
    if (!fromLeader(from)) return;
    ctx.send(from, new Ping(new ArrayList<>(touched)));
    touched.clear();
  }

  void touch(long sessionId) {
    touched.add(sessionId);
  }

  String describe() {
    String s = (cfg.isObserver(self.myid()) ? " as OBSERVER" : "") + " (leader " + leaderId + (self.isServing() ? ", up to date)" : ", syncing)");
    return pendingTxns.isEmpty() ? s : s + "\n  logged, awaiting COMMIT: " + pendingTxns.size();
  }
}
