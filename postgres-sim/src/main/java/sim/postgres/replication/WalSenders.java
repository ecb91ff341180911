package sim.postgres.replication;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.postgres.wal.Storage;
import sim.postgres.wal.Wal;

/**
 * The primary's walsenders and the synchronous replication queue (walsender.c, syncrep.c). Each standby
 * that sent START_REPLICATION gets the WAL after its start point as soon as it is flushed locally (a
 * walsender sends only flushed WAL); each status reply updates pg_stat_replication's write, flush and
 * replay positions and releases the commits waiting in SyncRepWaitForLSN up to what
 * synchronous_standby_names makes of those positions.
 */
public final class WalSenders implements Storage.SyncRep {
  /** What the walsenders need from their server: sending, tracing, the WAL on its disk, the clock. */
  public interface Host {
    void send(NodeId to, ReplMessage m);

    void point(String name, String detail, Object... attributes);

    /** The primary's WAL bytes [from, to) as its disk has them. */
    byte[] readWal(long from, long to);

    /** CheckXLogRemoved / WalSndSegmentOpen's ENOENT: the name of the removed segment holding {@code lsn}, or null. */
    String removedSegment(long lsn);

    long flushedLsn();

    int timeline();

    String history();

    long nowNanos();
  }

  /** One walsender: its standby and what it knows of it (a row of pg_stat_replication). */
  static final class WalSnd {
    final NodeId node;
    final String name;
    final int slot;
    long sent;
    long write;
    long flush;
    long apply;
    long lastSendNanos;
    /** The xmin from the standby's hot standby feedback (this walsender's PGPROC xmin); 0 = none. */
    int xmin;
    boolean historic; // the standby asked for an older timeline: send the history with the data
    long historySentFrom = -1; // where the data that carried the history began; -1: none was sent
    String slotName; // START_REPLICATION SLOT: the physical slot this walsender advances

    WalSnd(NodeId node, String name, int slot) {
      this.node = node;
      this.name = name;
      this.slot = slot;
    }
  }

  private record Waiter(long lsn, int xid, String level, Runnable done) {}

  /** A walsender whose standby stopped acknowledging what it was sent restarts from the standby's position. */
  static final long RESEND_AFTER_NANOS = 200_000_000L;

  private final Host host;
  private final SyncStandbyNames names;
  private final Map<NodeId, WalSnd> senders = new LinkedHashMap<>();
  private final Map<String, List<Waiter>> queues = new TreeMap<>();
  private SyncStandbyNames.Released released = new SyncStandbyNames.Released(0, 0, 0);
  private int nextSlot;
  private ReplicationSlots slots;
  /** --break pg.sync-rep-ignored: a commit never waits for the standbys. */
  private final boolean ignoreSyncRep;

  public WalSenders(Host host, SyncStandbyNames names, boolean ignoreSyncRep) {
    this.host = host;
    this.names = names;
    this.ignoreSyncRep = ignoreSyncRep;
  }

  /** The server's replication slots (START_REPLICATION SLOT, restart_lsn from the standby's flush). */
  public void setSlots(ReplicationSlots slots) {
    this.slots = slots;
  }

  /** The walsender streaming to {@code node} exits (its slot was invalidated, or reading WAL failed). */
  public void terminate(NodeId node) {
    WalSnd w = senders.remove(node);
    if (w != null && w.slotName != null && slots != null) slots.release(w.slotName, node);
  }

  /** How far this server's WAL may be sent (on a standby: GetStandbyFlushRecPtr). */
  public long standbyFlushLsn() {
    return host.flushedLsn();
  }

  public SyncStandbyNames names() {
    return names;
  }

  // ---- the walsender side ---------------------------------------------------------------------------

  /** START_REPLICATION: checks the start point against this server's timeline history, then streams. */
  public void startReplication(NodeId from, ReplMessage.StartReplication req) {
    int tli = host.timeline();
    long flushed = host.flushedLsn();
    boolean historic = false;
    if (req.timeline() > tli) {
      refuse(from, req, "requested timeline " + req.timeline() + " is not in this server's history", null);
      return;
    }
    if (req.timeline() < tli) {
      long switchpoint = Timelines.switchPoint(host.history(), req.timeline());
      if (switchpoint < 0) {
        refuse(from, req, "requested timeline " + req.timeline() + " is not in this server's history", null);
        return;
      }
      if (switchpoint < req.startLsn()) {
        refuse(from, req, "requested starting point " + Wal.formatLsn(req.startLsn()) + " on timeline " + req.timeline()
            + " is not in this server's history", "This server's history forked from timeline " + req.timeline() + " at "
            + Wal.formatLsn(switchpoint) + ".");
        return;
      }
      historic = true;
    } else if (req.startLsn() > flushed) {
      refuse(from, req, "requested starting point " + Wal.formatLsn(req.startLsn()) + " is ahead of the WAL flush position of this server "
          + Wal.formatLsn(flushed), null);
      return;
    }
    if (req.slotName() != null) {
      String error = slots == null ? "replication slot \"" + req.slotName() + "\" does not exist" : slots.acquire(req.slotName(), from);
      if (error != null) {
        refuse(from, req, error, null);
        return;
      }
    }
    WalSnd w = senders.get(from);
    if (w == null) {
      w = new WalSnd(from, req.applicationName(), nextSlot++);
      senders.put(from, w);
    }
    w.slotName = req.slotName();
    w.sent = req.startLsn();
    w.xmin = 0; // a new walsender process: no xmin until the standby's first feedback
    w.historic = historic;
    w.lastSendNanos = host.nowNanos();
    host.point("pg.walsender.start", req.applicationName() + ": START_REPLICATION " + Wal.formatLsn(req.startLsn()) + " TIMELINE "
        + req.timeline() + (names != null && names.priority(w.name) > 0 ? " (sync priority " + names.priority(w.name) + ")" : " (async)"),
        "standby", w.name, "startLsn", Wal.formatLsn(req.startLsn()), "timeline", req.timeline());
    send(w);
  }

  private void refuse(NodeId from, ReplMessage.StartReplication req, String error, String detail) {
    host.point("pg.walsender.error", "ERROR:  " + error + (detail == null ? "" : "  DETAIL:  " + detail), "standby",
        req.applicationName(), "error", error);
    host.send(from, new ReplMessage.StreamingRefused(error, detail));
  }

  /** The local WAL became durable up to {@code lsn}: every walsender sends what it has not sent yet. */
  public void flushed(long lsn) {
    for (WalSnd w : new ArrayList<>(senders.values())) send(w);
  }

  private void send(WalSnd w) {
    long flushed = host.flushedLsn();
    if (w.sent >= flushed) return;
    String removed = host.removedSegment(w.sent);
    if (removed != null) {
      String error = "requested WAL segment " + removed + " has already been removed";
      host.point("pg.walsender.error", "ERROR:  " + error, "standby", w.name, "error", error);
      host.send(w.node, new ReplMessage.StreamError(error));
      terminate(w.node);
      return;
    }
    byte[] bytes = host.readWal(w.sent, flushed);
    host.send(w.node, new ReplMessage.WalData(w.sent, bytes, host.timeline(), w.historic ? host.history() : null));
    host.point("pg.walsender.send", w.name + ": WAL " + Wal.formatLsn(w.sent) + ".." + Wal.formatLsn(flushed) + " (" + bytes.length + " bytes)",
        "standby", w.name, "sentLsn", Wal.formatLsn(flushed));
    if (w.historic) w.historySentFrom = w.sent;
    w.sent = flushed;
    w.historic = false;
    w.lastSendNanos = host.nowNanos();
  }

  /** A standby status update: pg_stat_replication moves, and SyncRepReleaseWaiters runs. */
  public void status(NodeId from, ReplMessage.StandbyStatus st) {
    WalSnd w = senders.get(from);
    if (w == null) return;
    w.write = Math.max(w.write, st.write());
    w.flush = Math.max(w.flush, st.flush());
    w.apply = Math.max(w.apply, st.apply());
    if (w.slotName != null && slots != null) slots.confirmFlush(w.slotName, st.flush());
    if (st.write() < w.sent && host.nowNanos() - w.lastSendNanos > RESEND_AFTER_NANOS) {
      // what was sent never arrived (the connection broke): stream again from the standby's position, with the
      // history again if the data that carried it is among what was lost (the standby needs it to follow)
      w.sent = st.write();
      if (w.historySentFrom >= 0 && st.write() <= w.historySentFrom) w.historic = true;
      send(w);
    }
    host.send(from, new ReplMessage.KeepAlive(host.flushedLsn()));
    releaseWaiters();
  }

  /**
   * ProcessStandbyHSFeedbackMessage: the standby's oldest xmin becomes this walsender's xmin, which VACUUM
   * on this server respects like a snapshot's (invalid clears it; one from the future is ignored, as
   * TransactionIdInRecentPast rejects it).
   */
  public void feedback(NodeId from, ReplMessage.HotStandbyFeedback f, int nextXid) {
    WalSnd w = senders.get(from);
    if (w == null) return;
    int xmin = f.xmin();
    if (xmin != 0 && sim.postgres.mvcc.Xids.follows(xmin, nextXid)) return;
    if (xmin == w.xmin) return;
    w.xmin = xmin;
    host.point("pg.walsender.feedback", w.name + ": hot standby feedback xmin " + (xmin == 0 ? "invalid (none)" : Integer.toUnsignedString(xmin))
        + ": VACUUM here keeps what the standby's queries may read", "standby", w.name, "xmin", Integer.toUnsignedLong(xmin));
  }

  /** The oldest xmin any standby's feedback holds (0: none): part of this server's VACUUM horizon. */
  public int xmin() {
    int oldest = 0;
    for (WalSnd w : senders.values()) {
      if (w.xmin != 0 && (oldest == 0 || sim.postgres.mvcc.Xids.precedes(w.xmin, oldest))) oldest = w.xmin;
    }
    return oldest;
  }

  // ---- synchronous replication ------------------------------------------------------------------------

  private List<SyncStandbyNames.Standby> streaming() {
    List<SyncStandbyNames.Standby> out = new ArrayList<>();
    for (WalSnd w : senders.values()) out.add(new SyncStandbyNames.Standby(w.name, w.slot, w.write, w.flush, w.apply));
    return out;
  }

  /**
   * SyncRepWaitForLSN: returns at once unless synchronous_commit is remote_write, on or remote_apply and
   * synchronous_standby_names names someone (SyncRepRequested, sync_standbys_defined); otherwise the commit
   * waits in LSN order until the synchronous standbys have written, flushed or applied its commit record.
   */
  @Override
  public void waitFor(int xid, long lsn, String level, Runnable done) {
    boolean requested = level.equals("remote_write") || level.equals("on") || level.equals("remote_apply");
    if (!requested || names == null || ignoreSyncRep || lsn <= released.forLevel(level)) {
      done.run();
      return;
    }
    host.point("pg.syncrep.wait", "xid " + xid + " waits for " + names + " to " + verb(level) + " "
        + Wal.formatLsn(lsn) + " (synchronous_commit=" + level + ")", "xid", Integer.toUnsignedLong(xid), "lsn", Wal.formatLsn(lsn),
        "level", level);
    queues.computeIfAbsent(level, k -> new ArrayList<>()).add(new Waiter(lsn, xid, level, done));
  }

  private static String verb(String level) {
    return switch (level) {
      case "remote_write" -> "write";
      case "on" -> "flush";
      default -> "apply";
    };
  }

  private void releaseWaiters() {
    if (names == null) return;
    SyncStandbyNames.Released r = names.released(streaming());
    if (r == null) return; // fewer synchronous standbys than required: everyone keeps waiting
    released = new SyncStandbyNames.Released(Math.max(released.write(), r.write()), Math.max(released.flush(), r.flush()),
        Math.max(released.apply(), r.apply()));
    List<Waiter> ready = new ArrayList<>();
    for (List<Waiter> q : queues.values()) {
      long upTo = released.forLevel(q.isEmpty() ? "on" : q.get(0).level());
      q.removeIf(w -> {
        if (w.lsn() > upTo) return false;
        ready.add(w);
        return true;
      });
    }
    ready.sort(java.util.Comparator.comparingLong(Waiter::lsn));
    for (Waiter w : ready) {
      host.point("pg.syncrep.release", "xid " + w.xid() + " released: " + names + " " + verb(w.level()) + " to "
          + Wal.formatLsn(released.forLevel(w.level())), "xid", Integer.toUnsignedLong(w.xid()), "lsn", Wal.formatLsn(w.lsn()),
          "level", w.level());
      w.done().run();
    }
  }

  /** Commits waiting for standbys. */
  public int waiting() {
    return queues.values().stream().mapToInt(List::size).sum();
  }

  /**
   * pg_stat_replication: application_name, state, sent_lsn, write_lsn, flush_lsn, replay_lsn, sync_state,
   * backend_xmin (the standby's hot standby feedback xmin, null without it).
   */
  public List<List<Object>> statReplication() {
    List<List<Object>> rows = new ArrayList<>();
    List<SyncStandbyNames.Standby> sync = names == null ? List.of() : names.synchronous(streaming());
    for (WalSnd w : senders.values()) {
      String syncState = "async";
      if (names != null && names.priority(w.name) > 0) {
        boolean isSync = sync.stream().anyMatch(s -> s.name().equals(w.name));
        syncState = names.method() == SyncStandbyNames.Method.ANY ? "quorum" : isSync ? "sync" : "potential";
      }
      rows.add(java.util.Arrays.asList(w.name, "streaming", Wal.formatLsn(w.sent), Wal.formatLsn(w.write), Wal.formatLsn(w.flush),
          Wal.formatLsn(w.apply), syncState, w.xmin == 0 ? null : (Object) Integer.toUnsignedLong(w.xmin)));
    }
    return rows;
  }

  public String describe() {
    StringBuilder b = new StringBuilder("pg_stat_replication (synchronous_standby_names " + (names == null ? "''" : "'" + names + "'") + ", "
        + waiting() + " commits waiting)\n");
    b.append(String.format(java.util.Locale.ROOT, " %-8s %-10s %-11s %-11s %-11s %-11s %-10s %s%n", "name", "state", "sent_lsn", "write_lsn",
        "flush_lsn", "replay_lsn", "sync_state", "backend_xmin"));
    for (List<Object> r : statReplication()) {
      Object[] cells = r.toArray();
      if (cells[7] == null) cells[7] = "";
      b.append(String.format(java.util.Locale.ROOT, " %-8s %-10s %-11s %-11s %-11s %-11s %-10s %s%n", cells));
    }
    return b.toString();
  }
}
