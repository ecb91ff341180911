package sim.postgres.replication;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import sim.core.NodeId;
import sim.core.disk.SimDisk;
import sim.postgres.wal.StandbyReplay;
import sim.postgres.wal.Wal;
import sim.postgres.wal.WalFiles;
import sim.postgres.wal.WalRecord;

/**
 * A standby's walreceiver and startup process (walreceiver.c, xlogrecovery.c): WAL streamed from the
 * primary is written to the standby's own segment (write LSN), fsynced through the durability door
 * (flush LSN) and only then replayed by the startup process with the crash-recovery redo code (replay
 * LSN); each step is reported back in a standby status update. recovery_min_apply_delay holds back the
 * replay of commit records (and everything after them) until they have been here that long.
 */
public final class WalReceiver {
  /** The standby server around the walreceiver. */
  public interface Host {
    void send(NodeId to, ReplMessage m);

    void point(String name, String detail, Object... attributes);

    SimDisk disk();

    void fsyncThen(String file, Runnable done);

    void schedule(long delayNanos, String label, Runnable action);

    long nowNanos();

    /** The standby's sessions (the hot standby's proc array), or null before it accepts connections. */
    sim.postgres.engine.Database database();

    /** New WAL was flushed or replayed here: cascading walsenders may send it on. */
    default void walAvailable() {}
  }

  /**
   * Hot standby settings: {@code maxStandbyStreamingDelayNanos} (max_standby_streaming_delay, 30 s by
   * default; negative waits forever), {@code feedback} (hot_standby_feedback, off by default), and
   * {@code ignoreConflicts} (--break pg.standby-ignores-conflicts).
   */
  public record HotStandby(long maxStandbyStreamingDelayNanos, boolean feedback, boolean ignoreConflicts) {
    public static final HotStandby DEFAULTS = new HotStandby(RecoveryConflicts.DEFAULT_MAX_STANDBY_STREAMING_DELAY_NANOS, false, false);

    public HotStandby withFeedback(boolean on) {
      return new HotStandby(maxStandbyStreamingDelayNanos, on, ignoreConflicts);
    }

    public HotStandby withIgnoreConflicts(boolean broken) {
      return new HotStandby(maxStandbyStreamingDelayNanos, feedback, broken);
    }
  }

  /** wal_receiver_status_interval (10 s in PostgreSQL; shortened here as the scenarios are short). */
  public static final long STATUS_INTERVAL_NANOS = 100_000_000L;
  /** wal_receiver_timeout (60 s in PostgreSQL): no message from the primary for this long = reconnect. */
  public static final long RECEIVER_TIMEOUT_NANOS = 1_000_000_000L;

  private final Host host;
  private final NodeId upstream;
  private final String name;
  private final long minApplyDelayNanos;
  private final StandbyReplay replay;
  private int timeline;
  private long written;
  /** primary_slot_name: the slot on the primary that keeps this standby's WAL; null for none (the default). */
  private String primarySlotName;
  /** The segment file the walreceiver last wrote into: what its fsync covers. */
  private String currentFile;
  private long flushed;
  private boolean fsyncInFlight;
  /** Received WAL not yet replayed: bytes from replay.replayLsn() to written. */
  private byte[] pending = new byte[1 << 12];
  private int pendingLen;
  /** End LSN of each received chunk → when it arrived (recovery_min_apply_delay counts from there). */
  private final TreeMap<Long, Long> arrivals = new TreeMap<>();
  private long lastHeardNanos;
  private boolean replayScheduled;
  private String refused;
  private boolean stopped;
  /** WAL that arrived while the new timeline's history file was being made durable, in arrival order. */
  private final List<ReplMessage.WalData> heldForHistory = new java.util.ArrayList<>();
  /** --break pg.walreceiver-ignores-gaps: data after a gap is appended where the received WAL ends. */
  private final boolean ignoreGaps;
  private final HotStandby hotStandby;
  private final RecoveryConflicts conflicts;
  /** XLogReceiptTime: when the startup process last found newly flushed WAL; the conflict limit counts from it. */
  private long receiptNanos;
  /** The flush position the startup process last read up to (its flushedUpto). */
  private long seenFlushed;
  /** Where the walreceiver's latest flush began (WalRcvData.latestChunkStart). */
  private long latestChunkStart;

  public WalReceiver(Host host, NodeId upstream, String name, long minApplyDelayNanos, StandbyReplay replay, int timeline,
      boolean ignoreGaps, HotStandby hotStandby) {
    this.host = host;
    this.upstream = upstream;
    this.name = name;
    this.minApplyDelayNanos = minApplyDelayNanos;
    this.replay = replay;
    this.timeline = timeline;
    this.written = replay.replayLsn();
    this.flushed = written;
    this.ignoreGaps = ignoreGaps;
    this.hotStandby = hotStandby;
    this.conflicts = new RecoveryConflicts(host, name, host::database, hotStandby.maxStandbyStreamingDelayNanos(), hotStandby.ignoreConflicts());
    this.seenFlushed = written;
    this.latestChunkStart = written;
    this.receiptNanos = host.nowNanos();
  }

  /** Whether the startup process is waiting for standby queries to end (a recovery conflict). */
  public boolean replayWaiting() {
    return conflicts.waiting();
  }

  public StandbyReplay replay() {
    return replay;
  }

  public int timeline() {
    return timeline;
  }

  public long writtenLsn() {
    return written;
  }

  public long flushedLsn() {
    return flushed;
  }

  public long replayLsn() {
    return replay.replayLsn();
  }

  public void setPrimarySlotName(String slot) {
    this.primarySlotName = slot == null || slot.isEmpty() ? null : slot;
  }

  public String refused() {
    return refused;
  }

  /** Connects (START_REPLICATION from the end of the WAL it has) and starts the status timer. */
  public void start() {
    connect();
    tick();
  }

  /** Promotion: the walreceiver is shut down; nothing more is received or replayed from the stream. */
  public void stop() {
    stopped = true;
  }

  private void connect() {
    lastHeardNanos = host.nowNanos();
    host.send(upstream, new ReplMessage.StartReplication(name, written, timeline, primarySlotName));
  }

  private void tick() {
    if (stopped) return;
    if (refused == null) {
      if (host.nowNanos() - lastHeardNanos > RECEIVER_TIMEOUT_NANOS) {
        host.point("pg.walreceiver.reconnect", name + ": no message from the primary for " + RECEIVER_TIMEOUT_NANOS / 1_000_000
            + " ms (wal_receiver_timeout): START_REPLICATION again from " + Wal.formatLsn(written), "standby", name);
        connect();
      } else {
        sendStatus();
        if (hotStandby.feedback()) sendFeedback();
      }
    }
    host.schedule(STATUS_INTERVAL_NANOS, "wal_receiver_status_interval", this::tick);
  }

  public void onMessage(ReplMessage m) {
    if (stopped) return;
    lastHeardNanos = host.nowNanos();
    if (m instanceof ReplMessage.StreamingRefused r) {
      refused = r.error();
      host.point("pg.walreceiver.fatal", "FATAL:  could not start WAL streaming: ERROR:  " + r.error()
          + (r.detail() == null ? "" : "  DETAIL:  " + r.detail()), "standby", name, "error", r.error());
    } else if (m instanceof ReplMessage.StreamError e) {
      // libpqrcv_receive's error; the real walreceiver then retries every wal_retrieve_retry_interval, failing alike
      refused = e.error();
      host.point("pg.walreceiver.fatal", "FATAL:  could not receive data from WAL stream: ERROR:  " + e.error(), "standby", name,
          "error", e.error());
    } else if (m instanceof ReplMessage.WalData d) {
      receive(d);
    }
  }

  private void receive(ReplMessage.WalData d) {
    if (!heldForHistory.isEmpty()) { // the history file is being made durable: the data waits behind it
      heldForHistory.add(d);
      return;
    }
    if (d.timeline() > timeline && d.history() != null) {
      // WalRcvFetchTimeLineHistoryFiles: the history file is durable before any WAL of the new timeline
      heldForHistory.add(d);
      Timelines.writeThen(host.disk(), host::fsyncThen, d.timeline(), d.history(), this::historyDurable);
      return;
    }
    if (d.timeline() > timeline) {
      // a newer timeline is followed only with its history file (WalRcvFetchTimeLineHistoryFiles); data of it
      // without one came after the lost message that carried it: report our position and wait for the resend
      if (!ignoreGaps) {
        sendStatus();
        return;
      }
      followTimeline(d.timeline());
    }
    long start = d.startLsn();
    if (start > written && !ignoreGaps) {
      sendStatus(); // a gap: the connection lost data; the walsender streams again from our write position
      return;
    }
    int skip = start < written ? (int) Math.min(d.bytes().length, written - start) : 0;
    int len = d.bytes().length - skip;
    if (len == 0) return;
    writeSegments(d.bytes(), skip, len);
    append(d.bytes(), skip, len);
    written += len;
    arrivals.put(written, host.nowNanos());
    host.point("pg.walreceiver.write", name + ": wrote WAL to " + Wal.formatLsn(written), "standby", name, "writeLsn", Wal.formatLsn(written));
    sendStatus();
    flush();
  }

  /**
   * XLogWalRcvWrite: into the segment files the primary's WAL goes to (same names, on the timeline
   * received); a segment it leaves behind is fsynced before it is closed (XLogWalRcvClose).
   */
  private void writeSegments(byte[] bytes, int from, int len) {
    List<String> files = WalFiles.write(host.disk(), timeline, replay.segmentSize(), written, bytes, from, len);
    if (currentFile != null && !files.get(0).equals(currentFile) && host.disk().exists(currentFile)) host.disk().fsync(currentFile);
    for (int i = 0; i < files.size() - 1; i++) host.disk().fsync(files.get(i));
    currentFile = files.get(files.size() - 1);
  }

  private void historyDurable() {
    if (stopped) return;
    List<ReplMessage.WalData> held = new java.util.ArrayList<>(heldForHistory);
    heldForHistory.clear();
    followTimeline(held.get(0).timeline());
    for (ReplMessage.WalData d : held) receive(d);
  }

  private void followTimeline(int tli) {
    host.point("pg.walreceiver.timeline", name + ": the primary is on timeline " + tli + "; following it", "standby", name,
        "timeline", tli);
    timeline = tli;
  }

  private void append(byte[] b, int from, int len) {
    if (pendingLen + len > pending.length) pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + len));
    System.arraycopy(b, from, pending, pendingLen, len);
    pendingLen += len;
  }

  private void flush() {
    if (fsyncInFlight || written <= flushed) return;
    fsyncInFlight = true;
    long target = written;
    host.fsyncThen(currentFile, () -> {
      fsyncInFlight = false;
      latestChunkStart = flushed; // XLogWalRcvFlush: the new chunk starts where the last flush ended
      flushed = Math.max(flushed, target);
      host.point("pg.walreceiver.flush", name + ": WAL durable to " + Wal.formatLsn(flushed), "standby", name,
          "flushLsn", Wal.formatLsn(flushed));
      sendStatus();
      replayAvailable();
      host.walAvailable();
      flush();
    });
  }

  /** The startup process replays what the walreceiver has flushed (xlogrecovery's WaitForWALToBecomeAvailable). */
  private void replayAvailable() {
    if (stopped) return;
    long base = replay.replayLsn();
    int upTo = (int) Math.min(pendingLen, flushed - base);
    List<Wal.Entry> entries = StandbyReplay.decode(pending, 0, upTo, base);
    int applied = 0;
    long heldUntil = -1;
    boolean blocked = false;
    for (Wal.Entry e : entries) {
      if (e.lsn() >= seenFlushed) {
        // WaitForWALToBecomeAvailable: past what it knew was flushed, the startup process asks again; the receipt
        // time restarts only if the record is in the latest chunk, so WAL that piled up while replay waited keeps
        // the old receipt time (max_standby_streaming_delay bounds the total delay, not each wait)
        seenFlushed = flushed;
        if (latestChunkStart <= e.lsn()) receiptNanos = host.nowNanos();
      }
      if (!conflicts.clear(e, receiptNanos, this::replayAvailable)) {
        blocked = true;
        break;
      }
      if (minApplyDelayNanos > 0 && e.record() instanceof WalRecord.Commit) {
        long arrived = arrivals.ceilingEntry(e.endLsn()).getValue();
        if (host.nowNanos() < arrived + minApplyDelayNanos) {
          heldUntil = arrived + minApplyDelayNanos;
          break;
        }
      }
      int expiredBefore = replay.expiredKnownAssigned();
      replay.replay(e);
      applied++;
      int expired = replay.expiredKnownAssigned() - expiredBefore;
      if (expired > 0) {
        host.point("pg.standby.expire", name + ": " + e.record() + ": " + expired
            + " xids without a commit or abort record no longer count as running (ExpireOldKnownAssignedTransactionIds)",
            "standby", name, "expired", expired);
      }
    }
    long done = replay.replayLsn() - base;
    if (done > 0) {
      System.arraycopy(pending, (int) done, pending, 0, pendingLen - (int) done);
      pendingLen -= (int) done;
      arrivals.headMap(replay.replayLsn(), false).clear();
    }
    if (applied > 0) {
      host.point("pg.replay", name + ": replayed " + applied + " records to " + Wal.formatLsn(replay.replayLsn()), "standby", name,
          "replayLsn", Wal.formatLsn(replay.replayLsn()), "records", applied);
      sendStatus();
      host.walAvailable();
    }
    if (heldUntil >= 0 && !replayScheduled && !blocked) {
      replayScheduled = true;
      host.schedule(heldUntil - host.nowNanos(), "recovery_min_apply_delay", () -> {
        replayScheduled = false;
        replayAvailable();
      });
    }
  }

  /**
   * XLogWalRcvSendHSFeedback: the oldest xmin of the standby's queries (GetReplicationHorizons), sent once
   * per wal_receiver_status_interval, so the primary's VACUUM keeps what they may still read.
   */
  private void sendFeedback() {
    sim.postgres.engine.Database d = host.database();
    if (d == null) return; // not yet accepting connections (HotStandbyActive)
    int xmin = sim.postgres.engine.StandbyBackends.oldestXmin(d);
    host.send(upstream, new ReplMessage.HotStandbyFeedback(name, xmin));
  }

  private void sendStatus() {
    host.send(upstream, new ReplMessage.StandbyStatus(name, written, flushed, replay.replayLsn()));
  }

  public String describe() {
    return "standby " + name + " of " + upstream.name() + " on timeline " + timeline + ": received (written) " + Wal.formatLsn(written)
        + ", flushed " + Wal.formatLsn(flushed) + ", replayed " + Wal.formatLsn(replay.replayLsn())
        + conflicts.describe() + (refused == null ? "" : ", streaming refused: " + refused);
  }
}
