package sim.postgres.scenario;

import sim.postgres.engine.Database;
import sim.postgres.replication.ReplMessage;
import sim.postgres.replication.ReplicationSlots;
import sim.postgres.replication.Timelines;
import sim.postgres.replication.WalReceiver;
import sim.postgres.replication.WalSenders;
import sim.postgres.wal.WalFiles;
import sim.core.NodeId;

/**
 * What the walsenders, the walreceiver and the replication slots reach of their server: its context, WAL,
 * timeline and clock. It reads through the node on every call, so it follows the server across a restart or
 * a promotion (a new storage, a new timeline).
 */
final class ReplicationHost implements WalSenders.Host, WalReceiver.Host, ReplicationSlots.Host {
  private final PostgresNode node;

  ReplicationHost(PostgresNode node) {
    this.node = node;
  }

  @Override
  public String removedSegment(long lsn) {
    int segSize = node.storage().wal().segmentSize();
    long segNo = WalFiles.segNo(lsn, segSize);
    return segNo <= node.storage().retention().lastRemovedSegNo() ? WalFiles.baseName(WalFiles.fileName(node.ownTimeline(), segNo, segSize)) : null;
  }

  @Override
  public void terminateWalSender(NodeId peer) {
    if (node.walSenders() != null) node.walSenders().terminate(peer);
  }

  @Override
  public void send(NodeId to, ReplMessage m) {
    node.ctx().send(to, m);
  }

  @Override
  public void point(String name, String detail, Object... attributes) {
    node.ctx().point(name, detail, attributes);
  }

  @Override
  public long nowNanos() {
    return node.ctx().localTimeNanos();
  }

  @Override
  public byte[] readWal(long from, long to) {
    return WalFiles.read(node.ctx().disk(), node.ownTimeline(), node.storage().wal().segmentSize(), from, to);
  }

  @Override
  public long flushedLsn() {
    return node.storage().wal().flushedLsn();
  }

  @Override
  public int timeline() {
    return node.ownTimeline();
  }

  @Override
  public String history() {
    return Timelines.read(node.ctx().disk(), node.ownTimeline());
  }

  @Override
  public sim.core.disk.SimDisk disk() {
    return node.ctx().disk();
  }

  @Override
  public void fsyncThen(String file, Runnable done) {
    node.fsyncThen(file, done);
  }

  @Override
  public void schedule(long delayNanos, String label, Runnable action) {
    node.clock().schedule(delayNanos, label, action);
  }

  @Override
  public Database database() {
    return node.database();
  }

  @Override
  public void walAvailable() {
    if (node.receiver() != null && node.walSenders() != null) node.walSenders().flushed(0); // the cascading walsenders send what is new
  }
}
