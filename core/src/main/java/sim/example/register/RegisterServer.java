package sim.example.register;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sim.core.Message;
import sim.core.Node;
import sim.core.NodeContext;
import sim.core.NodeId;
import sim.core.Timer;
import sim.core.disk.SimIOException;
import sim.example.register.RegisterMessage.Ack;
import sim.example.register.RegisterMessage.Replicate;
import sim.example.register.RegisterMessage.ReplicateAck;
import sim.example.register.RegisterMessage.Write;
import sim.example.register.RegisterTimer.BackupFlushed;
import sim.example.register.RegisterTimer.Flushed;

/**
 * A primary or a backup of the register. The primary logs each write, and in {@code durable} mode acks the
 * client only after its own fsync and the backup's; otherwise it acks as soon as the write is in its page
 * cache. The backup logs, fsyncs, then acks the primary.
 */
final class RegisterServer implements Node {
  static final String LOG = "register.log";

  private final boolean primary;
  private final boolean durable;
  private final NodeId backup;
  private final Map<Long, NodeId> waitingClients = new LinkedHashMap<>();
  private WriteLog log;
  private List<WriteLog.Entry> entries;
  private String recovery = "";

  RegisterServer(boolean primary, boolean durable, NodeId backup) {
    this.primary = primary;
    this.durable = durable;
    this.backup = backup;
  }

  @Override
  public void start(NodeContext ctx) {
    log = new WriteLog(ctx.disk(), LOG);
    StringBuilder report = new StringBuilder();
    entries = new java.util.ArrayList<>(log.recover(report));
    recovery = report.toString();
    ctx.point("example.recover", entries.size() + " writes on disk" + (recovery.isEmpty() ? "" : "; " + recovery));
  }

  @Override
  public void onMessage(NodeContext ctx, NodeId from, Message message) {
    try {
      if (message instanceof Write w) onWrite(ctx, from, w);
      else if (message instanceof Replicate r) onReplicate(ctx, from, r);
      else if (message instanceof ReplicateAck a) onReplicateAck(ctx, a);
    } catch (SimIOException e) {
      ctx.panic("cannot write " + LOG + ": " + e.getMessage()); // fail-stop; recovery starts from the disk
    }
  }

  @Override
  public void onTimer(NodeContext ctx, Timer timer) {
    if (timer instanceof Flushed f) ctx.send(backup, new Replicate(f.id(), f.value()));
    else if (timer instanceof BackupFlushed b) ctx.send(NodeId.of("primary"), new ReplicateAck(b.id()));
  }

  private void onWrite(NodeContext ctx, NodeId client, Write w) {
    if (!primary) return; // clients talk to the primary only; a backup ignores strays
    if (contains(w.id())) { // a retry of a write we already have: answer again, write nothing twice
      if (durable) {
        waitingClients.put(w.id(), client);
        ctx.send(backup, new Replicate(w.id(), w.value()));
      } else {
        ctx.send(client, new Ack(w.id()));
      }
      return;
    }
    appendEntry(ctx, w.id(), w.value());
    if (durable) {
      waitingClients.put(w.id(), client);
      ctx.fsyncThen(LOG, new Flushed(w.id(), w.value())); // persist before we replicate, and before we ack
    } else {
      ctx.send(client, new Ack(w.id())); // acked from the page cache: a crash now loses it
      ctx.point("example.ack", "write " + w.id() + " acked before fsync");
      ctx.send(backup, new Replicate(w.id(), w.value()));
    }
  }

  private void onReplicate(NodeContext ctx, NodeId from, Replicate r) {
    if (!contains(r.id())) appendEntry(ctx, r.id(), r.value());
    ctx.fsyncThen(LOG, new BackupFlushed(r.id()));
  }

  private void onReplicateAck(NodeContext ctx, ReplicateAck a) {
    NodeId client = waitingClients.remove(a.id());
    if (client == null || !durable) return;
    ctx.point("example.ack", "write " + a.id() + " on both disks");
    ctx.send(client, new Ack(a.id()));
  }

  private void appendEntry(NodeContext ctx, long id, String value) {
    log.append(id, value);
    entries.add(new WriteLog.Entry(id, value));
    ctx.point("example.append", "write " + id + " = " + value + " in page cache");
  }

  boolean contains(long id) {
    for (int i = entries.size() - 1; i >= 0; i--) if (entries.get(i).id() == id) return true;
    return false;
  }

  String value() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1).value();
  }

  @Override
  public String describeState() {
    return (primary ? "primary" : "backup") + ", " + entries.size() + " writes, value=" + value()
        + (recovery.isEmpty() ? "" : ", recovery: " + recovery);
  }
}
