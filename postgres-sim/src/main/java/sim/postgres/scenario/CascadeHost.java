package sim.postgres.scenario;

import java.util.function.Supplier;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.postgres.replication.ReplMessage;
import sim.postgres.replication.Timelines;
import sim.postgres.replication.WalReceiver;
import sim.postgres.replication.WalSenders;
import sim.postgres.wal.WalFiles;

/**
 * What a cascading walsender (one on a standby, serving a standby whose primary_conninfo names this one) reaches
 * of its server: the WAL the standby has on its disk, up to GetStandbyFlushRecPtr, on the timeline it replays.
 */
final class CascadeHost implements WalSenders.Host {
  private final NodeContext ctx;
  private final Supplier<WalReceiver> receiver;
  /** --break pg.cascade-sends-unflushed: the walsender sends what the walreceiver wrote, fsynced or not. */
  private final boolean sendUnflushed;

  CascadeHost(NodeContext ctx, Supplier<WalReceiver> receiver, boolean sendUnflushed) {
    this.ctx = ctx;
    this.receiver = receiver;
    this.sendUnflushed = sendUnflushed;
  }

  @Override
  public void send(NodeId to, ReplMessage m) {
    ctx.send(to, m);
  }

  @Override
  public void point(String name, String detail, Object... attributes) {
    ctx.point(name, detail, attributes);
  }

  @Override
  public byte[] readWal(long from, long to) {
    WalReceiver r = receiver.get();
    return WalFiles.read(ctx.disk(), r.timeline(), r.replay().segmentSize(), from, to);
  }

  /** A standby removes no WAL here (restartpoints are not modelled). */
  @Override
  public String removedSegment(long lsn) {
    return null;
  }

  /**
   * GetStandbyFlushRecPtr: what the startup process has replayed, or, streaming on the same timeline, what the
   * walreceiver has flushed if that is further; never WAL that is only written (a crash of this standby could
   * lose it, and its downstream would then hold WAL this server does not).
   */
  @Override
  public long flushedLsn() {
    WalReceiver r = receiver.get();
    if (r == null) return 0;
    if (sendUnflushed) return r.writtenLsn();
    return Math.max(r.replayLsn(), r.flushedLsn());
  }

  @Override
  public int timeline() {
    WalReceiver r = receiver.get();
    return r == null ? Timelines.newest(ctx.disk()) : r.timeline();
  }

  @Override
  public String history() {
    return Timelines.read(ctx.disk(), timeline());
  }

  @Override
  public long nowNanos() {
    return ctx.localTimeNanos();
  }

  /**
   * BASE_BACKUP on a standby (pg_basebackup from a standby): its files as they are, no checkpoint (its control
   * file is the one its own backup came with, whose redo the WAL it holds starts from), the WAL cut at
   * GetStandbyFlushRecPtr (the written tail beyond is not the standby's to hand out).
   */
  static ReplMessage.BaseBackup baseBackup(sim.core.disk.SimDisk disk, WalReceiver r, long upTo) {
    java.util.Map<String, byte[]> files = new java.util.TreeMap<>();
    int segSize = r.replay().segmentSize();
    String endFile = WalFiles.fileOf(r.timeline(), segSize, upTo);
    for (String f : disk.list("")) {
      if (f.endsWith(".tmp") || f.equals(PostgresNode.STANDBY_SIGNAL) || f.startsWith("pg_replslot/") || f.startsWith("backup_label")) continue;
      byte[] bytes = disk.readAll(f);
      boolean sameTimeline = f.startsWith(endFile.substring(0, endFile.length() - 16)) && f.length() == endFile.length();
      if (sameTimeline && f.compareTo(endFile) > 0) continue;
      if (f.equals(endFile)) bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(bytes.length, upTo % segSize));
      files.put(f, bytes);
    }
    return new ReplMessage.BaseBackup(files, upTo, r.timeline());
  }
}
