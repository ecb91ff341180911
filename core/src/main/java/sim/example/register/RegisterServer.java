package sim.example.register;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.example.register.RegisterMessage.Ack;
import sim.example.register.RegisterMessage.Read;
import sim.example.register.RegisterMessage.ReadReply;
import sim.example.register.RegisterMessage.Replicate;
import sim.example.register.RegisterMessage.ReplicateAck;
import sim.example.register.RegisterMessage.Write;
import sim.example.register.RegisterTimer.BackupFlushed;
import sim.example.register.RegisterTimer.Flushed;

/**
 * A primary or a backup of the register. The primary logs each write to its page cache, then, as its
 * {@link Durability} says, waits for its own fsync (the kernel's durability door), replicates, waits for the
 * backup's fsync, and only then acks the client. The backup logs, fsyncs, then acks the primary. Reads are
 * answered by the primary from the last acknowledged write, never from a write still on its way to the disks.
 */
final class RegisterServer implements Node {
  static final String LOG = "register.log";

  private final boolean primary;
  private final Durability durability;
  private final NodeId peer;
  private final Map<Long, NodeId> waitingClients = new LinkedHashMap<>();
  private final Set<Long> ackedHere = new HashSet<>();
  private final Set<Long> durable = new HashSet<>();
  private WriteLog log;
  private List<WriteLog.Entry> entries;
  private int committedIndex = -1;
  private String recovery = "";

  /** {@code peer}: the backup, for the primary; the primary, for the backup. */
  RegisterServer(boolean primary, Durability durability, NodeId peer) {
    this.primary = primary;
    this.durability = durability;
    this.peer = peer;
  }

  @Override
  public void start(NodeContext ctx) {
    log = new WriteLog(ctx.disk(), LOG);
    StringBuilder report = new StringBuilder();
    entries = new ArrayList<>(log.recover(report));
    recovery = report.toString();
    for (WriteLog.Entry e : entries) durable.add(e.id());
    committedIndex = entries.size() - 1; // what survived on disk is what a reader may see: it cannot be undone
    ctx.point("example.recover", entries.size() + " writes on disk" + (recovery.isEmpty() ? "" : "; " + recovery),
        "writes", entries.size());
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    try {
      if (message instanceof Write w) onWrite(ctx, from, w);
      else if (message instanceof Read r) onRead(ctx, from, r);
      else if (message instanceof Replicate r) onReplicate(ctx, r);
      else if (message instanceof ReplicateAck a) onReplicateAck(ctx, a);
    } catch (SimIOException e) {
      ctx.panic("cannot write " + LOG + ": " + e.getMessage()); // fail-stop; recovery starts from the disk
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Flushed f) {
      durable.add(f.id());
      replicate(ctx, f.id(), f.value());
    } else if (timer instanceof BackupFlushed b) {
      durable.add(b.id());
      ctx.send(peer, new ReplicateAck(b.id()));
    }
  }

  private void onWrite(NodeContext ctx, NodeId client, Write w) {
    if (!primary) return; // clients talk to the primary only; a backup ignores strays
    if (ackedHere.contains(w.id())) { // a retry of a write already done: answer again
      ctx.send(client, new Ack(w.id()));
      return;
    }
    waitingClients.put(w.id(), client);
    if (!contains(w.id())) appendEntry(ctx, w.id(), w.value()); // a retry of a write in progress appends nothing twice
    if (durability.fsyncBeforeReplicate()) {
      ctx.fsyncThen(LOG, new Flushed(w.id(), w.value())); // persist before we replicate, and before we ack
    } else {
      replicate(ctx, w.id(), w.value()); // on to the backup at once: our copy is only in the page cache
    }
  }

  private void replicate(NodeContext ctx, long id, String value) {
    if (!durability.waitForBackup()) ack(ctx, id, durability.fsyncBeforeReplicate() ? "on the primary's disk" : "in the page cache only");
    ctx.send(peer, new Replicate(id, value));
  }

  private void onReplicate(NodeContext ctx, Replicate r) {
    if (!contains(r.id())) appendEntry(ctx, r.id(), r.value());
    ctx.fsyncThen(LOG, new BackupFlushed(r.id()));
  }

  private void onReplicateAck(NodeContext ctx, ReplicateAck a) {
    if (durability.waitForBackup()) ack(ctx, a.id(), durability.fsyncBeforeReplicate() ? "on both disks" : "on the backup's disk");
  }

  private void ack(NodeContext ctx, long id, String where) {
    NodeId client = waitingClients.remove(id);
    if (client == null) return;
    ackedHere.add(id);
    committedIndex = Math.max(committedIndex, indexOf(id));
    ctx.point("example.ack", "write " + id + " " + where, "id", id);
    ctx.send(client, new Ack(id));
  }

  private void onRead(NodeContext ctx, NodeId client, Read r) {
    if (!primary) return;
    ctx.send(client, new ReadReply(r.id(), value()));
  }

  private void appendEntry(NodeContext ctx, long id, String value) {
    log.append(id, value);
    entries.add(new WriteLog.Entry(id, value));
    ctx.point("example.append", "write " + id + " = " + value + " in page cache", "id", id);
  }

  boolean contains(long id) {
    return indexOf(id) >= 0;
  }

  /** Whether the write is on this server's disk: its fsync returned, or it was recovered from the disk. */
  boolean isDurable(long id) {
    return durable.contains(id);
  }

  private int indexOf(long id) {
    for (int i = entries.size() - 1; i >= 0; i--) if (entries.get(i).id() == id) return i;
    return -1;
  }

  /** The primary: the value of the last acknowledged write in log order (what a reader sees); a backup: its last copy. */
  String value() {
    int at = primary ? committedIndex : entries.size() - 1;
    return at < 0 ? null : entries.get(at).value();
  }

  @Override
  public String describeState() {
    return (primary ? "primary" : "backup") + ", " + entries.size() + " writes, value=" + value()
        + (recovery.isEmpty() ? "" : ", recovery: " + recovery);
  }
}
